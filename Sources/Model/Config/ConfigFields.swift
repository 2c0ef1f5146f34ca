/// Typed access to the members of one JSON object, throwing `ConfigError`s that name the key with its
/// dotted prefix. A member set to null counts as absent, as transformers treats None.
struct ConfigFields {
    let entries: [(key: String, value: ConfigJSON)]
    /// "" for the top level, else the parent key (e.g. "rope_scaling").
    let prefix: String

    init(entries: [(key: String, value: ConfigJSON)], prefix: String = "") {
        self.entries = entries
        self.prefix = prefix
    }

    init(_ object: ConfigJSON, prefix: String = "") throws {
        guard let entries = object.objectValue else {
            throw ConfigError(key: prefix.isEmpty ? "(top level)" : prefix, .wrongType(expected: "an object"))
        }
        self.init(entries: entries, prefix: prefix)
    }

    var keys: [String] { entries.map(\.key) }

    func path(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    func error(_ key: String, _ problem: ConfigProblem) -> ConfigError { ConfigError(key: path(key), problem) }

    func value(_ key: String) -> ConfigJSON? {
        guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func double(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.doubleValue, number.isFinite else { throw error(key, .wrongType(expected: "a finite number")) }
        return number
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.intValue else { throw error(key, .wrongType(expected: "an integer")) }
        return number
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else { throw error(key, .wrongType(expected: "true or false")) }
        return flag
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { throw error(key, .wrongType(expected: "a string")) }
        return text
    }

    func doubles(_ key: String) throws -> [Double]? {
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue else { throw error(key, .wrongType(expected: "a list of numbers")) }
        return try items.map { item in
            guard let number = item.doubleValue, number.isFinite else { throw error(key, .wrongType(expected: "a list of numbers")) }
            return number
        }
    }

    /// An int or a list of ints (token ids such as eos_token_id); empty when absent.
    func intList(_ key: String) throws -> [Int] {
        guard let value = value(key) else { return [] }
        if let single = value.intValue { return [single] }
        guard let items = value.arrayValue else { throw error(key, .wrongType(expected: "an integer or a list of integers")) }
        return try items.map { item in
            guard let number = item.intValue else { throw error(key, .wrongType(expected: "an integer or a list of integers")) }
            return number
        }
    }

    func required<T>(_ key: String, _ read: (String) throws -> T?) throws -> T {
        guard let value = try read(key) else { throw error(key, .missing) }
        return value
    }

    func positive(_ key: String, _ value: Int) throws -> Int {
        guard value > 0 else { throw error(key, .notPositive) }
        return value
    }

    func positive(_ key: String, _ value: Double) throws -> Double {
        guard value > 0 else { throw error(key, .notPositive) }
        return value
    }
}
