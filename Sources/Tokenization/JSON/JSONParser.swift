import Formats

/// A strict RFC 8259 JSON parser over UTF-8 bytes. Written here (not Foundation) because a 129K-vocab
/// tokenizer.json must load in a fraction of a second and errors must name the byte offset.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let offset: Int
    public let message: String
    public var description: String { "\(source): invalid JSON at byte \(offset): \(message)" }
}

public enum JSONParser {
    /// Parses a whole document; `source` names the input in errors (a file path, usually).
    public static func parse(_ bytes: [UInt8], source: String = "<input>") throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var parser = Parser(bytes: buffer, source: source)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.position != buffer.count { throw parser.error("unexpected data after the document") }
            return value
        }
    }

    public static func parse(_ text: String, source: String = "<input>") throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), source: source)
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    var position = 0
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
        scratch.reserveCapacity(256)
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(source: source, offset: offset ?? position, message: message)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < 512 else { throw error("nesting deeper than 512") }
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character '\(printable(bytes[position]))'")
        }
    }

    func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("truncated literal") }
        let start = literal.utf8Start
        for i in 0..<count where bytes[position + i] != start[i] {
            throw error("invalid literal")
        }
        position += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw error("unterminated object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("unterminated array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits(_ p: inout Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
            let s = p
            while p < b.count, b[p] >= 0x30, b[p] <= 0x39 { p += 1 }
            return p - s
        }
        let intDigits = digits(&position, bytes)
        guard intDigits > 0 else { throw error("expected digits", at: start) }
        if intDigits > 1, bytes[position - intDigits] == UInt8(ascii: "0") { throw error("leading zero", at: start) }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            isInteger = false
            guard digits(&position, bytes) > 0 else { throw error("expected digits after '.'") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            isInteger = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits(&position, bytes) > 0 else { throw error("expected exponent digits") }
        }
        // Fast path for the common case: small integers (token ids, ranks).
        if isInteger, position - start <= 15 {
            var value = 0
            var i = start
            let negative = bytes[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            while i < position { value = value * 10 + Int(bytes[i] - 0x30); i += 1 }
            return Double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw error("invalid number", at: start) }
        return value
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes, valid UTF-8 checked by String(validating:).
        position = endOfPlainRun(from: position)
        if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
            guard let string = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) else {
                throw error("invalid UTF-8 in string", at: start)
            }
            position += 1
            return string
        }
        // Escapes: copy the plain runs between them in bulk.
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while position < bytes.count {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: scratch, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape()
                default: throw error("invalid escape '\\\(printable(escape))'", at: position - 2)
                }
            default:
                throw error("control character in string")
            }
            runStart = position
            position = endOfPlainRun(from: position)
        }
        throw error("unterminated string", at: start - 1)
    }

    /// The first offset at or after `from` holding a quote, a backslash or a control character (or the
    /// end), 8 bytes at a time with word arithmetic (SWAR), since documents are long strings with
    /// few escapes. (Swift's SIMD mask operations compile to per-lane code here: measured slower.)
    func endOfPlainRun(from: Int) -> Int {
        var i = from
        guard let base = bytes.baseAddress else { return i }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            // A zero byte in `quote`/`backslash`, or a byte below 0x20 in `word` (exact tests).
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { break }
            i += 8
        }
        while i < bytes.count {
            let byte = base[i]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 { return i }
            i += 1
        }
        return i
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = jsonHexDigit(bytes[position]) else { throw error("invalid hex digit in \\u escape") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// \uXXXX, joining surrogate pairs; a lone surrogate is an error (it has no UTF-8 form).
    mutating func appendUnicodeEscape() throws(JSONParseError) {
        let escapeStart = position - 2
        var code = try readHex4()
        if code >= 0xD800 && code < 0xDC00 {
            guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                  bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("lone high surrogate", at: escapeStart)
            }
            position += 2
            let low = try readHex4()
            guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid surrogate pair", at: escapeStart) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if code >= 0xDC00 && code < 0xE000 {
            throw error("lone low surrogate", at: escapeStart)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point", at: escapeStart) }
        scratch.append(contentsOf: String(Character(scalar)).utf8)
    }
}
