/// A value inside a chat template: what Python's jinja2 sees when transformers renders one
/// (str, int, float, bool, None, jinja2's Undefined, list, tuple, dict, a macro or a namespace).
public enum TemplateValue: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case none
    /// A name or key that is not there; prints as "" and fails when used as a number or called, like jinja2's Undefined.
    case undefined
    case list([TemplateValue])
    /// Kept apart from lists because Python prints and compares tuples differently (`('a', 1)`, `(1,) != [1]`).
    case tuple([TemplateValue])
    case dict(TemplateDictionary)
    case macro(TemplateCallable)
    case namespace(TemplateNamespace)
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    /// Keeps the literal's key order, as a Python dict keeps insertion order (it shows in `tojson` and `items()`).
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .dict(TemplateDictionary(elements)) }
    public init(nilLiteral: ()) { self = .none }
}

extension TemplateValue {
    public var isUndefined: Bool { if case .undefined = self { return true } else { return false } }
    public var isNone: Bool { if case .none = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Python's truth value: empty strings and containers, zero, None and Undefined are false.
    public var isTruthy: Bool {
        switch self {
        case .string(let s): return !s.isEmpty
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .bool(let b): return b
        case .none, .undefined: return false
        case .list(let items), .tuple(let items): return !items.isEmpty
        case .dict(let d): return !d.isEmpty
        case .macro, .namespace: return true
        }
    }

    /// The Python type name, for error messages worded like Python's.
    var typeName: String {
        switch self {
        case .string: return "str"
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .none: return "NoneType"
        case .undefined: return "Undefined"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .macro: return "Macro"
        case .namespace: return "Namespace"
        }
    }
}

/// A string-keyed dictionary that remembers insertion order, like a Python dict.
public struct TemplateDictionary: Sendable, Sequence {
    public private(set) var keys: [String] = []
    private var storage: [String: TemplateValue] = [:]

    public init() {}

    public init<S: Sequence>(_ pairs: S) where S.Element == (String, TemplateValue) {
        for (key, value) in pairs { self[key] = value }
    }

    /// From an unordered Swift dictionary: keys sorted, so the order is at least stable.
    public init(_ dictionary: [String: TemplateValue]) {
        self.init(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var values: [TemplateValue] { keys.map { storage[$0]! } }

    public subscript(key: String) -> TemplateValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public func makeIterator() -> AnyIterator<(key: String, value: TemplateValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], storage[keys[index]]!)
        }
    }
}

/// `namespace(...)`: the one mutable object a template can change from inside a loop (`{% set ns.x = ... %}`).
/// A reference type because every holder must see the change; it only lives during one render, on one thread.
public final class TemplateNamespace: @unchecked Sendable {
    public internal(set) var attributes: TemplateDictionary
    init(_ attributes: TemplateDictionary) { self.attributes = attributes }
}
