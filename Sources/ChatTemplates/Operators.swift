import Foundation

/// Python's semantics for the operators templates use: numeric tower int < float (bool counts as int),
/// str/list concatenation and repetition, floor division and modulo that round toward negative infinity.
enum Operators {
    enum Number {
        case int(Int)
        case double(Double)
        var asDouble: Double {
            switch self {
            case .int(let i): return Double(i)
            case .double(let d): return d
            }
        }
    }

    static func number(_ v: TemplateValue) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return .double(d)
        default: return nil
        }
    }

    static func unsupported(_ op: String, _ a: TemplateValue, _ b: TemplateValue) -> ValueError {
        ValueError("unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'")
    }

    private static func intResult(_ r: (partialValue: Int, overflow: Bool)) throws -> TemplateValue {
        if r.overflow { throw ValueError("integer overflow (Python integers are unbounded; these are 64-bit)") }
        return .int(r.partialValue)
    }

    static func binary(_ op: String, _ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        switch op {
        case "+": return try add(a, b)
        case "-": return try arithmetic(op, a, b, { $0.subtractingReportingOverflow($1) }, -)
        case "*": return try multiply(a, b)
        case "/":
            guard let x = number(a), let y = number(b) else { throw unsupported("/", a, b) }
            if y.asDouble == 0 { throw ValueError("division by zero") }
            return .double(x.asDouble / y.asDouble)
        case "//": return try floorDivide(a, b)
        case "%": return try modulo(a, b)
        case "**": return try power(a, b)
        case "~": return .string(a.pythonStr + b.pythonStr)
        default: throw ValueError("unknown operator \(op)")
        }
    }

    private static func arithmetic(
        _ op: String, _ a: TemplateValue, _ b: TemplateValue,
        _ ints: (Int, Int) -> (partialValue: Int, overflow: Bool), _ doubles: (Double, Double) -> Double
    ) throws -> TemplateValue {
        guard let x = number(a), let y = number(b) else { throw unsupported(op, a, b) }
        if case .int(let i) = x, case .int(let j) = y { return try intResult(ints(i, j)) }
        return .double(doubles(x.asDouble, y.asDouble))
    }

    static func add(_ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        switch (a, b) {
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.tuple(let x), .tuple(let y)): return .tuple(x + y)
        case (.string, _): throw ValueError("can only concatenate str (not \"\(b.typeName)\") to str")
        case (.list, _): throw ValueError("can only concatenate list (not \"\(b.typeName)\") to list")
        default: return try arithmetic("+", a, b, { $0.addingReportingOverflow($1) }, +)
        }
    }

    static func multiply(_ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        func repeated(_ count: TemplateValue) -> Int? {
            switch count {
            case .int(let n): return max(n, 0)
            case .bool(let flag): return flag ? 1 : 0
            default: return nil
            }
        }
        switch (a, b) {
        case (.string(let s), _) where repeated(b) != nil: return .string(String(repeating: s, count: repeated(b)!))
        case (_, .string(let s)) where repeated(a) != nil: return .string(String(repeating: s, count: repeated(a)!))
        case (.list(let xs), _) where repeated(b) != nil: return .list(Array([[TemplateValue]](repeating: xs, count: repeated(b)!).joined()))
        case (_, .list(let xs)) where repeated(a) != nil: return .list(Array([[TemplateValue]](repeating: xs, count: repeated(a)!).joined()))
        case (.string, _), (_, .string), (.list, _), (_, .list):
            throw ValueError("can't multiply sequence by non-int of type '\((a.typeName == "str" || a.typeName == "list") ? b.typeName : a.typeName)'")
        default: return try arithmetic("*", a, b, { $0.multipliedReportingOverflow(by: $1) }, *)
        }
    }

    static func floorDivide(_ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        guard let x = number(a), let y = number(b) else { throw unsupported("//", a, b) }
        if y.asDouble == 0 { throw ValueError("integer division or modulo by zero") }
        if case .int(let i) = x, case .int(let j) = y {
            if i == Int.min && j == -1 { throw ValueError("integer overflow") }
            let q = i / j
            return .int((i % j != 0 && ((i < 0) != (j < 0))) ? q - 1 : q)
        }
        return .double((x.asDouble / y.asDouble).rounded(.down))
    }

    static func modulo(_ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        if case .string(let format) = a { return .string(try percentFormat(format, b)) }
        guard let x = number(a), let y = number(b) else { throw unsupported("%", a, b) }
        if y.asDouble == 0 { throw ValueError("integer division or modulo by zero") }
        if case .int(let i) = x, case .int(let j) = y {
            let r = i % j
            return .int(r != 0 && ((r < 0) != (j < 0)) ? r + j : r)
        }
        let yd = y.asDouble
        var r = fmod(x.asDouble, yd)
        if r != 0 && ((r < 0) != (yd < 0)) { r += yd }
        return .double(r)
    }

    static func power(_ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        guard let x = number(a), let y = number(b) else { throw unsupported("** or pow()", a, b) }
        if case .int(let base) = x, case .int(let exponent) = y, exponent >= 0 {
            var result = 1
            for _ in 0..<exponent {
                let r = result.multipliedReportingOverflow(by: base)
                if r.overflow { throw ValueError("integer overflow") }
                result = r.partialValue
            }
            return .int(result)
        }
        return .double(pow(x.asDouble, y.asDouble))
    }

    static func negate(_ v: TemplateValue) throws -> TemplateValue {
        switch v {
        case .int(let i): return try intResult((0).subtractingReportingOverflow(i))
        case .bool(let b): return .int(b ? -1 : 0)
        case .double(let d): return .double(-d)
        default: throw ValueError("bad operand type for unary -: '\(v.typeName)'")
        }
    }

    static func plus(_ v: TemplateValue) throws -> TemplateValue {
        switch v {
        case .int, .double: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw ValueError("bad operand type for unary +: '\(v.typeName)'")
        }
    }

    // MARK: comparison

    /// Python's `==`.
    static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i == j }
            return x.asDouble == y.asDouble
        }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.pythonEquals(y)
        case (.none, .none), (.undefined, .undefined): return true
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.allSatisfy { pair in y[pair.key].map { equal(pair.value, $0) } ?? false }
        case (.namespace(let x), .namespace(let y)): return x === y
        case (.macro(let x), .macro(let y)): return x === y
        default: return false
        }
    }

    /// Python's ordering (`<`); -1, 0 or 1, or a TypeError for types Python cannot order.
    static func compare(_ a: TemplateValue, _ b: TemplateValue) throws -> Int {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i < j ? -1 : (i == j ? 0 : 1) }
            let (p, q) = (x.asDouble, y.asDouble)
            return p < q ? -1 : (p == q ? 0 : 1)
        }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if x.pythonEquals(y) { return 0 }
            return x.pythonLess(y) ? -1 : 1
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            for (p, q) in zip(x, y) where !equal(p, q) { return try compare(p, q) }
            return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
        default:
            throw ValueError("'<' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    static func compare(_ op: String, _ a: TemplateValue, _ b: TemplateValue) throws -> Bool {
        switch op {
        case "==": return equal(a, b)
        case "!=": return !equal(a, b)
        case "<": return try compare(a, b) < 0
        case "<=": return try compare(a, b) <= 0
        case ">": return try compare(a, b) > 0
        case ">=": return try compare(a, b) >= 0
        case "in": return try contains(b, a)
        case "not in": return try !contains(b, a)
        default: throw ValueError("unknown comparison \(op)")
        }
    }

    /// Python's `element in container`.
    static func contains(_ container: TemplateValue, _ element: TemplateValue) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let needle) = element else {
                throw ValueError("'in <string>' requires string as left operand, not \(element.typeName)")
            }
            return pythonContains(s, needle)
        case .list(let items), .tuple(let items): return items.contains { equal($0, element) }
        case .dict(let d):
            if case .string(let key) = element { return d[key] != nil }
            return false
        case .undefined: return false
        default: throw ValueError("argument of type '\(container.typeName)' is not iterable")
        }
    }

    // MARK: printf-style formatting

    /// Python's `format % values` for the conversions templates use (%s %r %d %i %f %e %g %x %o %c %%, flags,
    /// width, precision).
    static func percentFormat(_ format: String, _ values: TemplateValue) throws -> String {
        var arguments: [TemplateValue]
        switch values {
        case .tuple(let items): arguments = items
        default: arguments = [values]
        }
        var mapping: TemplateDictionary?
        if case .dict(let d) = values { mapping = d; arguments = [] }
        let f = format.scalars
        var out = ""
        var i = 0
        var next = 0
        func take() throws -> TemplateValue {
            guard next < arguments.count else { throw ValueError("not enough arguments for format string") }
            defer { next += 1 }
            return arguments[next]
        }
        while i < f.count {
            guard f[i] == "%" else { out.unicodeScalars.append(f[i]); i += 1; continue }
            i += 1
            guard i < f.count else { throw ValueError("incomplete format") }
            if f[i] == "%" { out += "%"; i += 1; continue }
            var key: String?
            if f[i] == "(" {
                var j = i + 1
                while j < f.count && f[j] != ")" { j += 1 }
                key = String(scalars: f[(i + 1)..<j])
                i = j + 1
            }
            var flags = ""
            while i < f.count, "-+ #0".unicodeScalars.contains(f[i]) { flags.unicodeScalars.append(f[i]); i += 1 }
            var width = ""
            while i < f.count, f[i] >= "0" && f[i] <= "9" { width.unicodeScalars.append(f[i]); i += 1 }
            var precision: String?
            if i < f.count && f[i] == "." {
                i += 1
                var p = ""
                while i < f.count, f[i] >= "0" && f[i] <= "9" { p.unicodeScalars.append(f[i]); i += 1 }
                precision = p
            }
            guard i < f.count else { throw ValueError("incomplete format") }
            let conversion = f[i]
            i += 1
            let value: TemplateValue
            if let key {
                guard let mapping, let v = mapping[key] else { throw ValueError("format requires a mapping") }
                value = v
            } else {
                value = try take()
            }
            out += try formatOne(value, conversion: conversion, flags: flags, width: Int(width), precision: precision.map { Int($0) ?? 0 })
        }
        if next < arguments.count && mapping == nil { throw ValueError("not all arguments converted during string formatting") }
        return out
    }

    private static func formatOne(_ value: TemplateValue, conversion: Unicode.Scalar, flags: String, width: Int?, precision: Int?) throws -> String {
        var body: String
        switch conversion {
        case "s": body = value.pythonStr; if let precision { body = String(body.prefix(precision)) }
        case "r", "a": body = value.pythonRepr
        case "d", "i", "u":
            guard let n = number(value) else { throw ValueError("%\(Character(conversion)) format: a real number is required, not \(value.typeName)") }
            switch n {
            case .int(let x): body = String(x)
            case .double(let d): body = String(Int(d.rounded(.towardZero)))
            }
            if flags.contains("+") && !body.hasPrefix("-") { body = "+" + body }
        case "f", "F", "e", "E", "g", "G":
            guard let n = number(value) else { throw ValueError("must be real number, not \(value.typeName)") }
            body = String(format: "%" + (flags.contains("+") ? "+" : "") + ".\(precision ?? 6)" + String(Character(conversion)), n.asDouble)
        case "x", "X", "o":
            guard case .int(let x)? = number(value) else { throw ValueError("%x format: an integer is required") }
            body = String(x, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
        case "c":
            if case .int(let x) = value, let scalar = Unicode.Scalar(x) { body = String(Character(scalar)) } else { body = value.pythonStr }
        default: throw ValueError("unsupported format character '\(Character(conversion))'")
        }
        if let width, body.unicodeScalars.count < width {
            let pad = width - body.unicodeScalars.count
            if flags.contains("-") {
                body += String(repeating: " ", count: pad)
            } else if flags.contains("0") && "diufFeEgGxXo".unicodeScalars.contains(conversion) {
                let negative = body.hasPrefix("-") || body.hasPrefix("+")
                let sign = negative ? String(body.removeFirst()) : ""
                body = sign + String(repeating: "0", count: pad) + body
            } else {
                body = String(repeating: " ", count: pad) + body
            }
        }
        return body
    }
}
