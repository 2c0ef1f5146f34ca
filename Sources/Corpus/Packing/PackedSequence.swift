/// One training sequence as ProLong stores it: exactly `length` tokens, the (start, end) token
/// spans of the documents in it (the boundaries document-masked attention uses), and its domain.
public struct PackedSequence: Sendable, Equatable {
    public var tokens: [UInt32]
    /// Flattened (start, end) pairs, end exclusive, covering `tokens` in order.
    public var spans: [UInt32]

    public init(tokens: [UInt32], spans: [UInt32]) {
        self.tokens = tokens
        self.spans = spans
    }

    public var documentCount: Int { spans.count / 2 }

    /// The MDS sample in ProLong's columns.
    public func sample(domain: String) -> [String: MDSValue] {
        [
            "input_ids": .uint32Array(tokens),
            "indices": .uint32Array(spans, shape: [spans.count / 2, 2]),
            "domain": .string(domain),
            "length": .int(Int64(tokens.count)),
        ]
    }

    /// ProLong's columns and encodings, in the order MDSWriter sorts them.
    public static let mdsColumns: [(String, String)] = [
        ("domain", "str"), ("indices", "ndarray:uint32"), ("input_ids", "ndarray:uint32"), ("length", "int"),
    ]
}
