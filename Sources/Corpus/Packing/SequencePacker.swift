/// Packs documents into sequences of exactly `length` tokens (ProLong A.2).
///
/// - `long`: each document is cut into pieces of `pieceLength` tokens (default: the sequence
///   length); each piece is its own span, pieces fill sequences in order, and a tail shorter than a
///   piece is dropped and counted. At 512K with 64K pieces, eight pieces make one sequence.
/// - `pretrain`: documents are concatenated; the one that overflows is cut and its remainder
///   starts the next sequence.
/// - `sft`: as pretrain, but the remainder of the overflowing document is dropped and counted.
///
/// Memory: one sequence buffer (`length` tokens) plus the document being added.
public struct SequencePacker: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable { case long, pretrain, sft }

    public let length: Int
    public let pieceLength: Int
    public let mode: Mode
    /// The sequence being filled.
    public private(set) var buffer: [UInt32] = []
    public private(set) var spans: [UInt32] = []
    /// Tokens of accepted documents that no sequence holds (long-document tails, SFT overflow).
    public private(set) var droppedTokens = 0

    public init(length: Int, mode: Mode, pieceLength: Int? = nil) {
        precondition(length > 0)
        self.length = length
        self.mode = mode
        self.pieceLength = pieceLength ?? length
        precondition(self.pieceLength > 0 && (mode != .long || length % self.pieceLength == 0),
                     "the sequence length must be a multiple of the piece length")
    }

    /// Adds one document; `emit` receives each completed sequence and returns false once no more
    /// are wanted, in which case the rest of this document is returned as unused (not dropped:
    /// the caller accounts for it as over budget).
    /// - Returns: tokens of this document not placed because `emit` asked to stop.
    @discardableResult
    public mutating func add(_ document: [UInt32], emit: (PackedSequence) throws -> Bool) rethrows -> Int {
        switch mode {
        case .long:
            let pieces = document.count / pieceLength
            droppedTokens += document.count - pieces * pieceLength
            for k in 0..<pieces {
                let start = k * pieceLength
                if try !place(document[start..<(start + pieceLength)], emit: emit) {
                    return (pieces - k - 1) * pieceLength
                }
            }
        case .pretrain, .sft:
            var rest = document[...]
            while !rest.isEmpty {
                let take = min(length - buffer.count, rest.count)
                let piece = rest.prefix(take)
                rest = rest.dropFirst(take)
                if mode == .sft && !rest.isEmpty {
                    droppedTokens += rest.count
                    rest = []
                }
                if try !place(piece, emit: emit) { return rest.count }
            }
        }
        return 0
    }

    /// Appends a piece that fits in the current sequence; emits when full. Returns false when the
    /// consumer wants no more sequences.
    private mutating func place(_ piece: ArraySlice<UInt32>, emit: (PackedSequence) throws -> Bool) rethrows -> Bool {
        spans.append(UInt32(buffer.count))
        buffer.append(contentsOf: piece)
        spans.append(UInt32(buffer.count))
        guard buffer.count == length else { return true }
        let sequence = PackedSequence(tokens: buffer, spans: spans)
        buffer.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        return try emit(sequence)
    }

    /// The partly filled sequence is discarded at the end of a build (sequences are exact-length);
    /// returns its token count for the account.
    public mutating func discardPartial() -> Int {
        let n = buffer.count
        buffer.removeAll()
        spans.removeAll()
        return n
    }
}
