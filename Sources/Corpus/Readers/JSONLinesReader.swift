import Tokenization

/// Reads JSON lines files (plain, .zst or .gz) one record at a time. Each line is an object whose
/// `textField` holds the document; bad lines become `SkipRecord`s and reading carries on, while
/// an unreadable file or a corrupt compressed stream throws.
public final class JSONLinesReader: DocumentSource {
    public struct Options: Sendable {
        /// The member holding the document text.
        public var textField: String
        /// Members copied into `Document.metadata` when present (strings, numbers and booleans).
        public var metadataFields: [String]
        public var chunkSize: Int

        public init(textField: String = "text", metadataFields: [String] = [], chunkSize: Int = 1 << 20) {
            self.textField = textField
            self.metadataFields = metadataFields
            self.chunkSize = chunkSize
        }
    }

    public let paths: [String]
    public let options: Options
    public private(set) var skipped: [SkipRecord] = []
    /// Called for each skip as it happens (for logging), in addition to `skipped`.
    public var onSkip: ((SkipRecord) -> Void)?
    private var fileIndex = 0
    private var lines: LineReader?

    public init(paths: [String], options: Options = Options()) {
        self.paths = paths
        self.options = options
    }

    public convenience init(path: String, options: Options = Options()) {
        self.init(paths: [path], options: options)
    }

    public func next() throws -> Document? {
        while true {
            if lines == nil {
                guard fileIndex < paths.count else { return nil }
                lines = LineReader(try openByteSource(paths[fileIndex], chunkSize: options.chunkSize))
                fileIndex += 1
            }
            guard let reader = lines else { continue }
            guard let line = try reader.nextLine() else { lines = nil; continue }
            if let document = decode(line, path: reader.path, number: reader.lineNumber) { return document }
        }
    }

    /// One line to a document, or nil after recording why it was skipped.
    private func decode(_ line: [UInt8], path: String, number: Int) -> Document? {
        func skip(_ reason: String) -> Document? {
            let record = SkipRecord(file: path, line: number, reason: reason)
            skipped.append(record)
            onSkip?(record)
            return nil
        }
        if line.allSatisfy(isBlankTextByte) { return skip("blank line") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line, source: "\(path):\(number)")
        } catch {
            // Invalid UTF-8 always fails the parse (bytes above 0x7F belong in strings, which are validated), so
            // the line is checked only then.
            if String(validating: line, as: UTF8.self) == nil { return skip("invalid UTF-8") }
            return skip("malformed JSON: \(error.message) at byte \(error.offset)")
        }
        guard value.object != nil else { return skip("not a JSON object") }
        guard let field = value[options.textField] else { return skip("missing text field \"\(options.textField)\"") }
        guard let text = field.string else { return skip("text field \"\(options.textField)\" is not a string") }
        if text.utf8.allSatisfy(isBlankTextByte) { return skip("empty") }
        var metadata: [String: String] = [:]
        for name in options.metadataFields {
            if let rendered = value[name].flatMap(renderScalar) { metadata[name] = rendered }
        }
        return Document(text: text, source: path, location: "\(path):\(number)", metadata: metadata)
    }
}

/// Metadata values as strings: integers without a ".0", other numbers as Swift prints them.
func renderScalar(_ value: JSONValue) -> String? {
    switch value {
    case .string(let s): return s
    case .number(let n): return value.int.map(String.init) ?? String(n)
    case .bool(let b): return b ? "true" : "false"
    default: return nil
    }
}
