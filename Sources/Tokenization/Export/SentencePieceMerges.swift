/// The BPE merges a SentencePiece vocabulary implies, recovered from token scores exactly as
/// transformers' `generate_merges(vocab, vocab_scores)` does for GGUF files that store none:
/// every split of a token into two tokens of the vocabulary becomes a merge ranked by the token's
/// score (ties: longer left piece, then longer right piece, then the order found).
enum SentencePieceMerges {
    /// `tokens` must be unique; lengths count Unicode scalars, as Python counts characters.
    static func generate(tokens: [String], scores: [Float]) -> [(String, String)] {
        let id = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
        struct Candidate { let left: Int, right: Int, score: Float, leftLength: Int, rightLength: Int }
        var found: [Candidate] = []
        for (index, token) in tokens.enumerated() {
            let scalars = Array(token.unicodeScalars)
            guard scalars.count > 1 else { continue }
            var local: [Candidate] = []
            for cut in 1..<scalars.count {
                var left = String.UnicodeScalarView(), right = String.UnicodeScalarView()
                left.append(contentsOf: scalars[..<cut])
                right.append(contentsOf: scalars[cut...])
                guard let l = id[String(left)], let r = id[String(right)] else { continue }
                local.append(Candidate(left: l, right: r, score: scores[index], leftLength: cut, rightLength: scalars.count - cut))
            }
            // Within a token: by the pieces' ids (Python's stable sort; cuts are unique, so no ties).
            local.sort { ($0.left, $0.right) < ($1.left, $1.right) }
            found += local
        }
        // Python's sorted(reverse=True) is stable: equal keys keep their order, hence the index.
        let order = found.indices.sorted { a, b in
            let x = found[a], y = found[b]
            if x.score != y.score { return x.score > y.score }
            if x.leftLength != y.leftLength { return x.leftLength > y.leftLength }
            if x.rightLength != y.rightLength { return x.rightLength > y.rightLength }
            return a < b
        }
        return order.map { (tokens[found[$0].left], tokens[found[$0].right]) }
    }
}
