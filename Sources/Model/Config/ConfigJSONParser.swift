/// Reads JSON text into `ConfigJSON`, keeping number literals and key order.
/// Duplicate keys keep the first position and the last value, as Python's `json.load` does.
struct ConfigJSONParser {
    struct Failure: Error { let message: String }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) throws -> ConfigJSON {
        var parser = ConfigJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ message: String) -> Failure {
        let line = bytes[..<min(index, bytes.count)].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return Failure(message: "\(message) (line \(line), byte \(index))")
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for byte in literal.utf8 {
            guard current == byte else { throw failure("expected '\(literal)'") }
            index += 1
        }
    }

    private mutating func value() throws -> ConfigJSON {
        guard let byte = current else { throw failure("unexpected end of text") }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        // Python writes these for non-finite floats; they are not numbers we can use, so refuse them here.
        case UInt8(ascii: "N"), UInt8(ascii: "I"): throw failure("NaN and Infinity are not valid config values")
        default: return .number(try number())
        }
    }

    private mutating func nested<T>(_ body: (inout ConfigJSONParser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 256 else { throw failure("nesting deeper than 256 levels") }
        return try body(&self)
    }

    private mutating func object() throws -> ConfigJSON {
        try nested { parser in
            parser.index += 1
            var entries: [(key: String, value: ConfigJSON)] = []
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "}") { parser.index += 1; return .object(entries) }
            while true {
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: "\"") else { throw parser.failure("expected a key string") }
                let key = try parser.string()
                parser.skipWhitespace()
                try parser.expect(":")
                parser.skipWhitespace()
                let value = try parser.value()
                if let existing = entries.firstIndex(where: { $0.key == key }) {
                    entries[existing].value = value
                } else {
                    entries.append((key, value))
                }
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: ",") { parser.index += 1; continue }
                try parser.expect("}")
                return .object(entries)
            }
        }
    }

    private mutating func array() throws -> ConfigJSON {
        try nested { parser in
            parser.index += 1
            var items: [ConfigJSON] = []
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "]") { parser.index += 1; return .array(items) }
            while true {
                parser.skipWhitespace()
                items.append(try parser.value())
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: ",") { parser.index += 1; continue }
                try parser.expect("]")
                return .array(items)
            }
        }
    }

    /// A number per RFC 8259: -? int frac? exp?; returns its literal text.
    private mutating func number() throws -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw failure("expected a value") }
        index += 1
        if first != UInt8(ascii: "0") { while let byte = current, isDigit(byte) { index += 1 } }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let byte = current, isDigit(byte) else { throw failure("expected digits after '.'") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, isDigit(byte) else { throw failure("expected digits in the exponent") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func string() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ parser: ConfigJSONParser) {
            scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<parser.index], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                flush(self)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("control character in a string") }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            flush(self)
            index += 1
            guard let escape = current else { throw failure("unterminated escape") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
            default: throw failure("unknown escape")
            }
            runStart = index
        }
    }

    /// `\uXXXX`, joining a UTF-16 surrogate pair when one follows.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), current == UInt8(ascii: "\\"), index + 1 < bytes.count,
           bytes[index + 1] == UInt8(ascii: "u") {
            let saved = index
            index += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low),
               let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                return scalar
            }
            index = saved
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { throw failure("bad \\u escape") }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }
}
