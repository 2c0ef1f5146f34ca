/// One packed sequence as the model takes it: token ids, position ids, document offsets
/// (cu_seqlens: attention never crosses them) and next-token targets (-100: no loss there).
public struct LlamaInput: Sendable, Equatable {
    public var tokens: [Int32]
    public var positions: [Int32]
    public var documentOffsets: [Int32]
    public var targets: [Int32]

    public init(tokens: [Int32], positions: [Int32], documentOffsets: [Int32], targets: [Int32]) {
        precondition(positions.count == tokens.count && targets.count == tokens.count, "tokens, positions and targets differ in length")
        precondition(documentOffsets.first == 0 && documentOffsets.last == Int32(tokens.count), "document offsets must run from 0 to \(tokens.count)")
        self.tokens = tokens
        self.positions = positions
        self.documentOffsets = documentOffsets
        self.targets = targets
    }

    /// One document, positions from 0, targets = the next token (last: none).
    public init(singleDocument tokens: [Int32]) {
        self.init(tokens: tokens, positions: (0..<Int32(tokens.count)).map { $0 }, documentOffsets: [0, Int32(tokens.count)],
                  targets: Array(tokens.dropFirst()) + [-100])
    }

    public var count: Int { tokens.count }
}
