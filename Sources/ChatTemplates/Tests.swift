/// jinja2's tests (`x is defined`, `x is string`, `n is divisibleby 3`, ...).
enum Tests {
    static let names: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "iterable", "sequence",
        "boolean", "true", "false", "even", "odd", "divisibleby", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan",
        "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "callable", "lower", "upper", "sameas", "escaped",
    ]

    static func apply(_ name: String, _ value: TemplateValue, _ args: CallArguments) throws -> Bool {
        func argument() throws -> TemplateValue {
            guard let first = args.positional.first ?? args.named.first?.1 else { throw ValueError("test '\(name)' needs an argument") }
            return first
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value.isNone
        case "string": if case .string = value { return true } else { return false }
        case "number":
            switch value { case .int, .double, .bool: return true; default: return false }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable":
            switch value { case .string, .list, .tuple, .dict, .undefined: return true; default: return false }
        case "sequence":
            switch value { case .string, .list, .tuple, .dict: return true; default: return false }
        case "callable": if case .macro = value { return true } else { return false }
        case "escaped": return false
        case "even", "odd":
            let remainder = try Operators.modulo(value, .int(2))
            return Operators.equal(remainder, .int(0)) == (name == "even")
        case "divisibleby": return Operators.equal(try Operators.modulo(value, try argument()), .int(0))
        case "eq", "equalto", "==": return Operators.equal(value, try argument())
        case "ne", "!=": return !Operators.equal(value, try argument())
        case "lt", "lessthan", "<": return try Operators.compare(value, try argument()) < 0
        case "le", "<=": return try Operators.compare(value, try argument()) <= 0
        case "gt", "greaterthan", ">": return try Operators.compare(value, try argument()) > 0
        case "ge", ">=": return try Operators.compare(value, try argument()) >= 0
        case "in": return try Operators.contains(try argument(), value)
        case "lower": let s = value.pythonStr; return hasCased(s) && pythonLower(s) == s
        case "upper": let s = value.pythonStr; return hasCased(s) && pythonUpper(s) == s
        case "sameas":
            let other = try argument()
            switch (value, other) {
            case (.none, .none), (.undefined, .undefined): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            case (.macro(let a), .macro(let b)): return a === b
            default: return false
            }
        default: throw ValueError(.unknownFilterOrTest, "No test named '\(name)'.")
        }
    }

    private static func hasCased(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.properties.changesWhenUppercased || $0.properties.changesWhenLowercased }
    }
}
