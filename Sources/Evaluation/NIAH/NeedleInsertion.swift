import Foundation

/// The token-level steps of Fu et al.'s `needle_in_haystack.py` (from gkamradt's LLMTest_NeedleInAHaystack):
/// the haystack repeated until it covers the longest length, trimmed to the length, cut by the buffer and the
/// needle, and the needle inserted at the depth moved back to just after a period token.
struct NeedleInsertion {
    let tokenizer: any TokenCounting
    private var periodCache: [Int32: Bool] = [:]

    init(tokenizer: any TokenCounting) {
        self.tokenizer = tokenizer
        for id in tokenizer.encode(".") { periodCache[id] = true }
    }

    /// `read_context_files`: whole copies of the haystack appended until there are at least `tokens` tokens.
    static func repeatedHaystack(_ haystack: String, coveringTokens tokens: Int, tokenizer: any TokenCounting) throws -> [Int32] {
        let once = tokenizer.tokenCount(haystack)
        guard once > 0 else { throw EvalTaskError("niah: the haystack text is empty") }
        var copies = max(1, (tokens + once - 1) / once)
        while true {
            let encoded = tokenizer.encode(String(repeating: haystack, count: copies))
            if encoded.count >= tokens { return encoded }
            copies += 1
        }
    }

    /// Where the needle went and the context text with it.
    struct Placed {
        var context: String
        /// Token index in the cut context the needle was inserted before.
        var insertionPoint: Int
        /// Tokens of the cut context (without the needle).
        var contextTokens: Int
    }

    /// `insert_needle(context, depth_percent, context_length)`; `contextTokens` is the trimmed context encoded
    /// again (as they do), computed once per length by the caller.
    mutating func insert(needleTokens: [Int32], into contextTokens: [Int32], depthPercent: Double, contextLength: Int,
                         buffer: Int) -> Placed {
        var contextTokens = contextTokens
        let limit = contextLength - buffer
        if contextTokens.count + needleTokens.count > limit {
            contextTokens = Array(contextTokens.prefix(max(0, limit - needleTokens.count)))
        }
        if depthPercent == 100 {
            return Placed(context: tokenizer.decode(contextTokens + needleTokens), insertionPoint: contextTokens.count,
                          contextTokens: contextTokens.count)
        }
        // int(len * depth / 100) truncates toward zero, as Python's int() does.
        var insertion = Int(Double(contextTokens.count) * (depthPercent / 100))
        while insertion > 0 && !isPeriod(contextTokens[insertion - 1]) { insertion -= 1 }
        let tokens = Array(contextTokens[..<insertion]) + needleTokens + Array(contextTokens[insertion...])
        return Placed(context: tokenizer.decode(tokens), insertionPoint: insertion, contextTokens: contextTokens.count)
    }

    /// Their period tokens are `encode('.')` (and, for LLaMA, both '.' and '▁.'); any tokenizer's equivalent is a
    /// token that decodes to a period with nothing else but whitespace around it.
    private mutating func isPeriod(_ id: Int32) -> Bool {
        if let known = periodCache[id] { return known }
        let text = tokenizer.decode([id]).trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = text == "."
        periodCache[id] = answer
        return answer
    }
}
