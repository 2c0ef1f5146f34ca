import Corpus

/// One packed sequence as the trainer uses it: token ids, the document boundaries attention must
/// not cross (cu_seqlens), next-token targets and its domain. Built from an MDS sample in
/// ProLong's layout: `input_ids`, optional `indices` ((start, end) spans), `domain`, and for SFT
/// `mask` (1 where the token is part of a response and counts in the loss).
public struct TrainingSequence: Sendable, Equatable {
    public static let ignoredTarget: Int32 = -100

    public var tokens: [UInt32]
    /// Cumulative document offsets: 0 first, `tokens.count` last. One document when masking is off.
    public var documentOffsets: [Int32]
    /// The token position t predicts, or `ignoredTarget`: at the last position, where the next token
    /// starts a document (the first label of each document is ignored), and (SFT) where `mask` is 0.
    public var targets: [Int32]
    public var domain: String

    public var validTargets: Int { targets.reduce(0) { $1 == Self.ignoredTarget ? $0 : $0 + 1 } }

    /// Sum of squared document lengths: the attention work, by which ProLong orders micro-batches.
    public var attentionWork: Int {
        zip(documentOffsets.dropFirst(), documentOffsets).reduce(0) { sum, pair in
            let length = Int(pair.0 - pair.1)
            return sum + length * length
        }
    }

    public init(tokens: [UInt32], documentOffsets: [Int32], targets: [Int32], domain: String) {
        self.tokens = tokens
        self.documentOffsets = documentOffsets
        self.targets = targets
        self.domain = domain
    }

    /// Position ids: running on across documents (ProLong's public code), or restarting at 0 in each.
    public func positions(restartPerDocument: Bool) -> [Int32] {
        guard restartPerDocument else { return (0..<Int32(tokens.count)).map { $0 } }
        var out = [Int32](repeating: 0, count: tokens.count)
        for (start, end) in zip(documentOffsets, documentOffsets.dropFirst()) {
            for t in Int(start)..<Int(end) { out[t] = Int32(t) - start }
        }
        return out
    }

    /// Reads one MDS sample. Document boundaries are every start and end of `indices` (spans may
    /// leave gaps: a gap is its own document, so nothing attends across any boundary). `location`
    /// names the sample in errors; `maxLength` is the stage's sequence length.
    public init(sample: [String: MDSValue], location: String, documentMasking: Bool, maxLength: Int,
                defaultDomain: String) throws(TrainingError) {
        func fail(_ reason: String) -> TrainingError { .badSample(location: location, reason: reason) }
        guard let ids = sample["input_ids"]?.arrayValue?.int64Values else { throw fail("no input_ids array") }
        if let bad = ids.firstIndex(where: { $0 < 0 || $0 > Int64(Int32.max) }) {
            throw fail("input_ids[\(bad)] = \(ids[bad]) is not a token id")
        }
        let count = ids.count
        guard count >= 2 else { throw fail("\(count) token(s): nothing to predict") }
        guard count <= maxLength else { throw fail("\(count) tokens, longer than the stage's sequence_length \(maxLength)") }
        tokens = ids.map { UInt32($0) }

        var cuts: Set<Int> = [0, count]
        if documentMasking, let indices = sample["indices"] {
            guard let bounds = indices.arrayValue?.int64Values, bounds.count % 2 == 0 else {
                throw fail("indices is not a list of (start, end) pairs")
            }
            for k in 0..<(bounds.count / 2) {
                let start = bounds[2 * k], end = bounds[2 * k + 1]
                guard 0 <= start, start < end, end <= Int64(count) else {
                    throw fail("indices span \(k) (\(start), \(end)) is empty or outside 0..<\(count)")
                }
                cuts.insert(Int(start))
                cuts.insert(Int(end))
            }
        }
        documentOffsets = cuts.sorted().map { Int32($0) }

        var mask: [Int64]? = nil
        if let column = sample["mask"] {
            guard let values = column.arrayValue?.int64Values, values.count == count else {
                throw fail("mask is not an array of \(count) values")
            }
            mask = values
        }
        let starts = Set(documentOffsets.dropFirst().dropLast().map(Int.init))
        var targets = [Int32](repeating: Self.ignoredTarget, count: count)
        for t in 0..<(count - 1) where !starts.contains(t + 1) && (mask?[t + 1] ?? 1) != 0 {
            targets[t] = Int32(ids[t + 1])
        }
        self.targets = targets
        domain = sample["domain"]?.stringValue ?? defaultDomain
    }
}
