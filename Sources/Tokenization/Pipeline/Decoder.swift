/// tokenizer.json decoders: they turn the token strings of a sequence back into text. Each works on the
/// list of token strings, as tokenizers' decode_chain does, so chains compose the same way. Text is
/// handled as Unicode scalars (Rust chars), never Characters: " " + a combining mark is one Character.
indirect enum Decoder: Sendable {
    case byteLevel
    case metaspace(replacement: Unicode.Scalar, prependScheme: PreTokenizer.PrependScheme)
    case replace(SplitPattern, with: String)
    case byteFallback
    case fuse
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    case wordPiece(prefix: String, cleanup: Bool)
    case bpe(suffix: String)
    case sequence([Decoder])
    /// llama.cpp's SentencePiece detokenizer: byte tokens are raw bytes, ▁ is a space, the first token
    /// loses one leading space, and the joined bytes are decoded lossily (no per-token U+FFFD).
    /// Needs token ids (which token is first), so `Tokenizer.decode` runs it, not `decodeChain`.
    case llamaCppPieces(stripFirstSpace: Bool)

    func decodeChain(_ tokens: [String]) -> [String] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.decodeChain($0) }
        case .llamaCppPieces:
            preconditionFailure("llamaCppPieces decodes from ids in Tokenizer.decode")
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens { bytes.append(contentsOf: ByteLevel.decode(token) ?? Array(token.utf8)) }
            return [String(decoding: bytes, as: UTF8.self)]
        case let .metaspace(replacement, scheme):
            return tokens.enumerated().map { i, token in
                var out = String.UnicodeScalarView()
                for c in token.unicodeScalars {
                    if c == replacement {
                        if !(i == 0 && scheme != .never) { out.append(" ") }
                    } else {
                        out.append(c)
                    }
                }
                return String(out)
            }
        case let .replace(pattern, content):
            return tokens.map { Normalizer.replace(pattern, with: Array(content.utf8)).apply($0) }
        case .byteFallback:
            var out: [String] = []
            var pending: [UInt8] = []
            func flush() {
                guard !pending.isEmpty else { return }
                if let s = String(validating: pending, as: UTF8.self) {
                    out.append(s)
                } else {
                    out.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
                }
                pending.removeAll()
            }
            for token in tokens {
                if let byte = Self.fallbackByte(token) {
                    pending.append(byte)
                } else {
                    flush()
                    out.append(token)
                }
            }
            flush()
            return out
        case .fuse:
            return [tokens.joined()]
        case let .strip(content, start, stop):
            return tokens.map { token in
                var chars = Substring(token).unicodeScalars[...]
                var n = 0
                while n < start, chars.first == content { chars.removeFirst(); n += 1 }
                n = 0
                while n < stop, chars.last == content { chars.removeLast(); n += 1 }
                return String(String.UnicodeScalarView(chars))
            }
        case let .wordPiece(prefix, cleanup):
            return tokens.enumerated().map { i, token in
                var t = token
                if i != 0 {
                    if t.hasPrefix(prefix) { t.removeFirst(prefix.count) } else { t = " " + t }
                }
                return cleanup ? Self.cleanup(t) : t
            }
        case .bpe(let suffix):
            return tokens.enumerated().map { i, token in
                var t = token
                if t.hasSuffix(suffix) {
                    t.removeLast(suffix.count)
                    if i != tokens.count - 1 { t += " " }
                }
                return t
            }
        }
    }

    /// `<0xNN>` (exactly six characters) -> NN.
    static func fallbackByte(_ token: String) -> UInt8? {
        let u = Array(token.utf8)
        guard u.count == 6, u[0] == UInt8(ascii: "<"), u[1] == UInt8(ascii: "0"), u[2] == UInt8(ascii: "x"),
              u[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }

    /// WordPiece's cleanup of tokenization spaces before punctuation and in contractions.
    static func cleanup(_ s: String) -> String {
        var t = s
        for (a, b) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                       (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            t = t.replacingAll(a, with: b)
        }
        return t
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
