/// `obj.name`, `obj[key]` and `obj[a:b:c]` as jinja2's sandboxed environment resolves them: attribute first for
/// `.name` (so `d.items` is the method), item first for `[key]`, and Undefined, not an error, when neither exists.
enum Access {
    /// Methods that would change a list or dict: the immutable sandbox refuses them.
    static let unsafeMethods: [String: Set<String>] = [
        "list": ["append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"],
        "dict": ["pop", "popitem", "setdefault", "update", "clear"],
    ]

    static func attribute(_ object: TemplateValue, _ name: String) throws -> TemplateValue {
        if name.hasPrefix("_") { return .undefined }
        if let method = try boundMethod(object, name) { return method }
        switch object {
        case .dict(let d): return d[name] ?? .undefined
        case .namespace(let ns): return ns.attributes[name] ?? .undefined
        default: return .undefined
        }
    }

    static func item(_ object: TemplateValue, _ key: TemplateValue) throws -> TemplateValue {
        switch (object, key) {
        case (.dict(let d), .string(let k)):
            if let value = d[k] { return value }
        case (.namespace(let ns), .string(let k)):
            if let value = ns.attributes[k] { return value }
        case (.list(let items), _), (.tuple(let items), _):
            if let i = index(key, count: items.count) { return items[i] }
        case (.string(let s), _):
            let scalars = s.scalars
            if let i = index(key, count: scalars.count) { return .string(String(scalars: [scalars[i]])) }
        default:
            break
        }
        if case .string(let name) = key { return try attribute(object, name) }
        return .undefined
    }

    private static func index(_ key: TemplateValue, count: Int) -> Int? {
        let raw: Int
        switch key {
        case .int(let i): raw = i
        case .bool(let b): raw = b ? 1 : 0
        default: return nil
        }
        let i = raw < 0 ? raw + count : raw
        return i >= 0 && i < count ? i : nil
    }

    static func boundMethod(_ object: TemplateValue, _ name: String) throws -> TemplateValue? {
        guard Methods.exists(on: object, name) else {
            if let unsafe = unsafeMethods[object.typeName], unsafe.contains(name) {
                throw ValueError("access to attribute '\(name)' of '\(object.typeName)' object is unsafe.")
            }
            return nil
        }
        return .macro(TemplateCallable(.method(object, name)))
    }

    /// Python slicing with optional start, stop and step (negative steps included).
    static func slice(_ object: TemplateValue, start: TemplateValue, stop: TemplateValue, step: TemplateValue) throws -> TemplateValue {
        func bound(_ v: TemplateValue) throws -> Int? {
            switch v {
            case .none, .undefined: return nil
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default: throw ValueError("slice indices must be integers or None or have an __index__ method")
            }
        }
        let stepValue = try bound(step) ?? 1
        if stepValue == 0 { throw ValueError("slice step cannot be zero") }
        func indices(_ count: Int) throws -> [Int] {
            func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
                guard var x = v else { return defaultValue }
                if x < 0 { x += count }
                return min(max(x, low), high)
            }
            if stepValue > 0 {
                let a = clamp(try bound(start), 0, low: 0, high: count)
                let b = clamp(try bound(stop), count, low: 0, high: count)
                return Array(stride(from: a, to: b, by: stepValue))
            }
            let a = clamp(try bound(start), count - 1, low: -1, high: count - 1)
            let b = clamp(try bound(stop), -1, low: -1, high: count - 1)
            return Array(stride(from: a, to: b, by: stepValue))
        }
        switch object {
        case .list(let items): return .list(try indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(try indices(items.count).map { items[$0] })
        case .string(let s):
            let scalars = s.scalars
            return .string(String(scalars: try indices(scalars.count).map { scalars[$0] }))
        case .undefined: throw ValueError(.undefined, "")
        default: throw ValueError("'\(object.typeName)' object is not subscriptable")
        }
    }

    /// What `for x in value` walks: list/tuple items, dict keys, string characters; Undefined is empty.
    static func iterate(_ value: TemplateValue) throws -> [TemplateValue] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let d): return d.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String(Character($0))) }
        case .undefined: return []
        default: throw ValueError("'\(value.typeName)' object is not iterable")
        }
    }

    /// jinja2's `object_type_repr`, as it appears in "'dict object' has no attribute 'x'".
    static func objectTypeDescription(_ value: TemplateValue) -> String {
        if case .none = value { return "None" }
        return "\(value.typeName) object"
    }
}
