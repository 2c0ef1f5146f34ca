/// One training document as it leaves a reader: the text plus where it came from, so any later
/// stage (filtering, packing, MDS) can point back at the exact file and line.
public struct Document: Sendable, Equatable {
    public var text: String
    /// The file (or repository) path the document was read from.
    public var source: String
    /// "file:line" for line-oriented inputs, otherwise the path.
    public var location: String
    public var metadata: [String: String]
    /// Token ids for already-tokenized inputs (MDS datasets); `text` is empty then.
    public var tokens: [UInt32]?

    public init(text: String, source: String, location: String, metadata: [String: String] = [:], tokens: [UInt32]? = nil) {
        self.text = text
        self.source = source
        self.location = location
        self.metadata = metadata
        self.tokens = tokens
    }
}

/// Input that a reader passed over on purpose. Readers never drop data silently: every line or
/// file that did not become (part of) a document leaves one of these behind.
public struct SkipRecord: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line for line-oriented inputs; nil when the whole file was skipped.
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// A pull-based stream of documents. Memory is bounded by the reader's buffers (and the largest
/// single document), never by the corpus size.
public protocol DocumentSource: AnyObject {
    /// The next document, or nil when the source is exhausted. Throws on unreadable input
    /// (missing file, corrupt compressed stream); skippable bad records go to `skipped`.
    func next() throws -> Document?
    /// Everything skipped so far, in input order.
    var skipped: [SkipRecord] { get }
}

extension DocumentSource {
    /// Drains the source; for tests and small inputs only.
    public func readAll() throws -> [Document] {
        var out: [Document] = []
        while let d = try next() { out.append(d) }
        return out
    }
}

/// Whitespace that makes a text blank ("empty" skip) in every reader: space, tab, LF, CR.
func isBlankTextByte(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
