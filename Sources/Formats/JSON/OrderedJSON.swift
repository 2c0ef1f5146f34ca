/// JSON as written: objects keep their key order (and each key's byte offset, for error messages), integers
/// stay exact up to Int.max (tensor offsets are u64 in safetensors) and are told apart from other numbers as
/// Python's json module does. Safetensors headers and index files and chat-template values (messages, tools)
/// are read with it; Formats stays free of Foundation.
public indirect enum OrderedJSON: Sendable {
    public struct Member: Sendable {
        public let key: String
        public let value: OrderedJSON
        public let offset: Int
    }

    /// Members in file order; `offset` is where the key's opening quote is, for error messages.
    case object([Member])
    case array([OrderedJSON])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    /// A short rendering for error messages: scalars as written, containers by kind.
    var brief: String {
        switch self {
        case .integer(let n): "\(n)"
        case .number(let d): "\(d)"
        case .string(let s): "\"\(s.prefix(40))\""
        case .bool(let b): "\(b)"
        case .null: "null"
        case .object, .array: "an \(kind)"
        }
    }

    /// "object", "array"… for error messages.
    var kind: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer, .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}

/// A syntax error at a byte offset of the parsed text.
public struct OrderedJSONError: Error, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public var description: String { "JSON: \(message) at byte \(offset)" }
}

extension OrderedJSON {
    /// Parses one JSON value (RFC 8259, strict) from UTF-8 text.
    public static func parse(_ text: String) throws(OrderedJSONError) -> OrderedJSON {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in Result { () throws(OrderedJSONError) in try OrderedJSONParser.parse(raw) } }.get()
    }
}

/// Recursive-descent parser over UTF-8 bytes (RFC 8259), strict: no trailing commas, no comments,
/// nothing but whitespace after the value.
struct OrderedJSONParser {
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(OrderedJSONError) -> OrderedJSON {
        var parser = OrderedJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.at == bytes.count else { throw parser.fail("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private func fail(_ message: String) -> OrderedJSONError { OrderedJSONError(offset: at, message: message) }

    private var current: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { at += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(OrderedJSONError) {
        guard current == c else { throw fail(current == nil ? "unexpected end, expected \(what)" : "expected \(what)") }
        at += 1
    }

    private mutating func value(depth: Int) throws(OrderedJSONError) -> OrderedJSON {
        guard depth < Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) levels deep") }
        switch current {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case .some(let c) where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): return try number()
        case nil: throw fail("unexpected end, expected a value")
        default: throw fail("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(OrderedJSONError) {
        let n = word.utf8CodeUnitCount
        guard n <= bytes.count - at,
              (0..<n).allSatisfy({ bytes[at + $0] == word.utf8Start[$0] }) else { throw fail("invalid literal") }
        at += n
    }

    private mutating func object(depth: Int) throws(OrderedJSONError) -> OrderedJSON {
        at += 1
        var members: [OrderedJSON.Member] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { at += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = at
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            members.append(OrderedJSON.Member(key: key, value: try value(depth: depth + 1), offset: keyOffset))
            skipWhitespace()
            if current == UInt8(ascii: ",") { at += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(OrderedJSONError) -> OrderedJSON {
        at += 1
        var items: [OrderedJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { at += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { at += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(items)
        }
    }

    private mutating func string() throws(OrderedJSONError) -> String {
        at += 1
        let start = at
        // Fast path: no escapes, so the bytes are the string.
        while let c = current, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\"), c >= 0x20 { at += 1 }
        if current == UInt8(ascii: "\"") {
            let s = try decodeUTF8(start..<at)
            at += 1
            return s
        }
        var buffer = Array(bytes[start..<at])
        while true {
            guard let c = current else { throw fail("unterminated string") }
            if c == UInt8(ascii: "\"") { at += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { buffer.append(c); at += 1; continue }
            at += 1
            guard let e = current else { throw fail("unterminated escape") }
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"): appendUTF8(try unicodeEscape(), to: &buffer)
            default: at -= 1; throw fail("invalid escape")
            }
        }
        guard let s = String(validating: buffer, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return s
    }

    private func decodeUTF8(_ range: Range<Int>) throws(OrderedJSONError) -> String {
        guard let s = String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw OrderedJSONError(offset: range.lowerBound, message: "string is not valid UTF-8")
        }
        return s
    }

    /// After "\u": four hex digits, and a low surrogate escape when the first is a high one.
    private mutating func unicodeEscape() throws(OrderedJSONError) -> UInt32 {
        let first = try hex4()
        if first >= 0xD800 && first < 0xDC00 {
            guard current == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "u") else {
                throw fail("unpaired surrogate")
            }
            at += 2
            let second = try hex4()
            guard second >= 0xDC00 && second < 0xE000 else { throw fail("unpaired surrogate") }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard first < 0xDC00 || first >= 0xE000 else { throw fail("unpaired surrogate") }
        return first
    }

    private mutating func hex4() throws(OrderedJSONError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current else { throw fail("unterminated \\u escape") }
            guard let digit = jsonHexDigit(c) else { throw fail("invalid \\u escape") }
            v = v << 4 | digit
            at += 1
        }
        return v
    }

    private func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
    }

    private mutating func number() throws(OrderedJSONError) -> OrderedJSON {
        let start = at
        if current == UInt8(ascii: "-") { at += 1 }
        guard let first = current, first >= 0x30 && first <= 0x39 else { throw fail("invalid number") }
        if first == 0x30 { at += 1 } else { skipDigits() }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            at += 1
            guard let c = current, c >= 0x30 && c <= 0x39 else { throw fail("invalid number") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            at += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { at += 1 }
            guard let c = current, c >= 0x30 && c <= 0x39 else { throw fail("invalid number") }
            skipDigits()
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        if integral, let v = Int(text) { return .integer(v) }
        guard let d = Double(text) else { throw OrderedJSONError(offset: start, message: "invalid number") }
        return .number(d)
    }

    private mutating func skipDigits() {
        while let c = current, c >= 0x30 && c <= 0x39 { at += 1 }
    }
}

/// The value of a hex digit of a JSON \u escape (ASCII 0-9, A-F, a-f), or nil; shared by the JSON parsers here
/// and in Tokenization.
public func jsonHexDigit(_ c: UInt8) -> UInt32? {
    switch c {
    case 0x30...0x39: return UInt32(c - 0x30)
    case 0x41...0x46: return UInt32(c - 0x41 + 10)
    case 0x61...0x66: return UInt32(c - 0x61 + 10)
    default: return nil
    }
}
