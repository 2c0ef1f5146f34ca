import Foundation

/// The functions a chat template can call by name: jinja2's `range` and `dict`, and what transformers adds
/// (`raise_exception`, `strftime_now`, `namespace`).
enum Globals {
    static let names: Set<String> = ["range", "namespace", "dict", "raise_exception", "strftime_now"]

    static func call(_ name: String, _ arguments: CallArguments) throws -> TemplateValue {
        switch name {
        case "raise_exception":
            throw ValueError(.raised, arguments.value(0, "message")?.pythonStr ?? "")
        case "namespace", "dict":
            var attributes = TemplateDictionary()
            if let first = arguments.positional.first {
                guard case .dict(let d) = first else { throw ValueError("\(name)() positional argument must be a mapping") }
                attributes = d
            }
            for (key, value) in arguments.named { attributes[key] = value }
            if name == "dict" { return .dict(attributes) }
            if let bad = attributes.keys.first(where: { $0.hasPrefix("_") }) {
                throw ValueError("Chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(bad)'. Please rename the attribute.")
            }
            return .namespace(TemplateNamespace(attributes))
        case "range":
            let ints = try arguments.positional.map { value -> Int in
                switch value {
                case .int(let i): return i
                case .bool(let b): return b ? 1 : 0
                default: throw ValueError("'\(value.typeName)' object cannot be interpreted as an integer")
                }
            }
            let (start, stop, step): (Int, Int, Int)
            switch ints.count {
            case 1: (start, stop, step) = (0, ints[0], 1)
            case 2: (start, stop, step) = (ints[0], ints[1], 1)
            case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
            default: throw ValueError("range expected at most 3 arguments, got \(ints.count)")
            }
            if step == 0 { throw ValueError("range() arg 3 must not be zero") }
            let values = step > 0 ? Array(stride(from: start, to: stop, by: step)) : Array(stride(from: start, to: stop, by: step))
            // jinja2's sandbox caps range() so a template cannot exhaust memory.
            if values.count > 100_000 { throw ValueError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).") }
            return .list(values.map { .int($0) })
        case "strftime_now":
            guard case .string(let format)? = arguments.value(0, "format") else { throw ValueError("strftime_now() needs a format string") }
            return .string(strftimeNow(format))
        default:
            throw ValueError(.undefined, "'\(name)' is undefined")
        }
    }

    /// `datetime.now().strftime(format)`: the C library's strftime on local time, as CPython uses on Linux.
    static func strftimeNow(_ format: String, now: Date = Date()) -> String {
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [Int8](repeating: 0, count: 512)
        let written = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
