/// Sizes of one packed attention call. Tensors are token-major as linear layers produce them:
/// q and o are [tokens, queryHeads, headDim], k and v are [tokens, kvHeads, headDim], lse is [queryHeads, tokens].
public struct AttentionShape: Sendable, Equatable {
    public var tokens: Int
    public var queryHeads: Int
    public var kvHeads: Int
    public var headDim: Int

    public init(tokens: Int, queryHeads: Int, kvHeads: Int, headDim: Int) {
        precondition(tokens >= 0 && queryHeads > 0 && kvHeads > 0, "attention sizes must be positive")
        precondition(queryHeads % kvHeads == 0, "queryHeads (\(queryHeads)) must be a multiple of kvHeads (\(kvHeads))")
        precondition(headDim > 0 && headDim % 16 == 0, "headDim (\(headDim)) must be a positive multiple of 16")
        self.tokens = tokens
        self.queryHeads = queryHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
    }

    /// Query heads sharing one key/value head (grouped-query attention); query head h reads kv head h / groupSize.
    public var groupSize: Int { queryHeads / kvHeads }
    /// Distance in floats between consecutive tokens of q, o, dq.
    var queryRowStride: Int { queryHeads * headDim }
    /// Distance in floats between consecutive tokens of k, v, dk, dv.
    var kvRowStride: Int { kvHeads * headDim }
    public var queryCount: Int { tokens * queryHeads * headDim }
    public var kvCount: Int { tokens * kvHeads * headDim }
}

/// One document of a packed sequence: tokens [start, start + length).
struct Document {
    var start: Int
    var length: Int
}

extension Array where Element == Document {
    /// Documents from cumulative offsets (flash-attention's cu_seqlens): first 0, non-decreasing, last = tokens.
    /// Empty documents are allowed and skipped.
    init(cuSeqlens: [Int32], tokens: Int) {
        precondition(cuSeqlens.first == 0, "cuSeqlens must start at 0")
        precondition(Int(cuSeqlens.last ?? 0) == tokens, "cuSeqlens must end at the token count \(tokens)")
        var documents: [Document] = []
        for index in 1..<cuSeqlens.count {
            let start = Int(cuSeqlens[index - 1]), end = Int(cuSeqlens[index])
            precondition(end >= start, "cuSeqlens must be non-decreasing")
            if end > start { documents.append(Document(start: start, length: end - start)) }
        }
        self = documents
    }
}
