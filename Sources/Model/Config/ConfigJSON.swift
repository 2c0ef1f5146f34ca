/// A JSON value as written in a config file. Numbers keep their literal text (`8.0` stays `8.0`,
/// `100000` stays `100000`, `1e-05` stays `1e-05`) and objects keep their key order, so a config we
/// patch is written back with every key we did not touch exactly as it was.
public indirect enum ConfigJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, validated as a JSON number.
    case number(String)
    case string(String)
    case array([ConfigJSON])
    /// Key-value pairs in file order (keys are unique).
    case object([(key: String, value: ConfigJSON)])

    /// Equality by value, as Python compares loaded JSON: `8` equals `8.0` and key order does not
    /// matter. Compare `.number` literals directly where the spelling matters.
    public static func == (lhs: ConfigJSON, rhs: ConfigJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (Double(a) != nil && Double(a) == Double(b))
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && a.allSatisfy { entry in b.contains { $0.key == entry.key && $0.value == entry.value } }
        default: return false
        }
    }
}

extension ConfigJSON {
    /// A number written the way Python's `json.dumps` writes a float: shortest round-trip digits,
    /// `.0` on integral values, exponent form outside [1e-4, 1e16).
    public static func float(_ value: Double) -> ConfigJSON {
        precondition(value.isFinite, "JSON has no literal for \(value)")
        // Swift switches to exponent form at 2^53, Python at 1e16; every double in between is integral.
        if abs(value) >= 0x1p53, abs(value) < 1e16 { return .number(String(Int64(value)) + ".0") }
        return .number(value.description)
    }

    public static func integer(_ value: Int) -> ConfigJSON { .number(String(value)) }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var doubleValue: Double? { if case let .number(text) = self { return Double(text) } else { return nil } }

    /// The value as an Int when the number is integral (`8192` or `8192.0`), as Python would accept it.
    public var intValue: Int? {
        guard let value = doubleValue, value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// True when the literal is written as an integer (no fraction or exponent), as Python's `int` type.
    public var isIntegerLiteral: Bool {
        if case let .number(text) = self { return !text.contains(where: { ".eE".contains($0) }) }
        return false
    }

    public var boolValue: Bool? { if case let .bool(value) = self { return value } else { return nil } }
    public var stringValue: String? { if case let .string(value) = self { return value } else { return nil } }
    public var arrayValue: [ConfigJSON]? { if case let .array(value) = self { return value } else { return nil } }
    public var objectValue: [(key: String, value: ConfigJSON)]? {
        if case let .object(value) = self { return value } else { return nil }
    }

    /// The member named `key` of an object; nil when absent or when this is not an object.
    public subscript(key: String) -> ConfigJSON? {
        get { objectValue?.first { $0.key == key }?.value }
    }

    /// The object's keys in file order.
    public var keys: [String] { objectValue?.map(\.key) ?? [] }

    /// Sets `key` in place if present; otherwise inserts it before the first key that sorts after it
    /// (so a sorted file stays sorted). Does nothing when this is not an object.
    public mutating func set(_ key: String, to value: ConfigJSON) {
        guard var entries = objectValue else { return }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            let index = entries.firstIndex { Self.pythonOrder(key, $0.key) }
            entries.insert((key, value), at: index ?? entries.count)
        }
        self = .object(entries)
    }

    public mutating func remove(_ key: String) {
        guard let entries = objectValue else { return }
        self = .object(entries.filter { $0.key != key })
    }

    /// Python's `sort_keys` order: by Unicode code points.
    static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}
