/// tiktoken's named encodings: the split pattern and special tokens that go with a `.tiktoken` rank file
/// (the file holds only ranks). Patterns are tiktoken 0.14's `tiktoken_ext/openai_public.py`.
public struct TiktokenEncoding: Sendable {
    public let name: String
    public let pattern: String
    public let specialTokens: [(String, TokenID)]

    static let r50kPattern = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#
    static let cl100kPattern =
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
    static let o200kPattern = [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"\p{N}{1,3}"#, #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#, #"\s*[\r\n]+"#, #"\s+(?!\S)"#, #"\s+"#,
    ].joined(separator: "|")

    public static let all: [TiktokenEncoding] = [
        TiktokenEncoding(name: "gpt2", pattern: r50kPattern, specialTokens: [("<|endoftext|>", 50256)]),
        TiktokenEncoding(name: "r50k_base", pattern: r50kPattern, specialTokens: [("<|endoftext|>", 50256)]),
        TiktokenEncoding(name: "p50k_base", pattern: r50kPattern, specialTokens: [("<|endoftext|>", 50256)]),
        TiktokenEncoding(name: "p50k_edit", pattern: r50kPattern, specialTokens: [
            ("<|endoftext|>", 50256), ("<|fim_prefix|>", 50281), ("<|fim_middle|>", 50282), ("<|fim_suffix|>", 50283)]),
        TiktokenEncoding(name: "cl100k_base", pattern: cl100kPattern, specialTokens: [
            ("<|endoftext|>", 100257), ("<|fim_prefix|>", 100258), ("<|fim_middle|>", 100259),
            ("<|fim_suffix|>", 100260), ("<|endofprompt|>", 100276)]),
        TiktokenEncoding(name: "o200k_base", pattern: o200kPattern, specialTokens: [
            ("<|endoftext|>", 199999), ("<|endofprompt|>", 200018)]),
    ]

    public init(name: String, pattern: String, specialTokens: [(String, TokenID)]) {
        self.name = name
        self.pattern = pattern
        self.specialTokens = specialTokens
    }

    public static func named(_ name: String) -> TiktokenEncoding? { all.first { $0.name == name } }

    /// The encoding a rank file's name implies (`cl100k_base.tiktoken`, whisper's `gpt2.tiktoken`...).
    static func guess(fromFileName file: String) -> TiktokenEncoding? {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        let stem = base.hasSuffix(".tiktoken") ? String(base.dropLast(".tiktoken".count)) : base
        if let exact = named(stem) { return exact }
        if stem == "multilingual" { return named("gpt2") }  // whisper's multilingual vocabulary
        return nil
    }
}

extension Tokenizer {
    /// Loads a tiktoken rank file (`base64(token) rank` per line) with a named encoding's pattern and
    /// special tokens. Special tokens are recognized only when `parseSpecialTokens` is true.
    public convenience init(tiktokenRanks bytes: [UInt8], source: String, encoding: TiktokenEncoding) throws {
        var ranked: [[UInt8]] = []
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var line = bytes[lineStart..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            guard let space = line.firstIndex(of: 0x20),
                  let token = decodeBase64(line[lineStart..<space]),
                  let rank = Int(String(decoding: line[(space + 1)...], as: UTF8.self)), rank >= 0 else {
                throw TokenizerError(file: source, "line \(lineNumber) (byte \(lineStart)): expected 'base64 rank'")
            }
            guard rank == ranked.count else {
                throw TokenizerError(file: source, "line \(lineNumber): rank \(rank) out of order (expected \(ranked.count))")
            }
            ranked.append(token)
        }
        guard !ranked.isEmpty else { throw TokenizerError(file: source, "no tokens") }
        let model = BPEModel(rankedBytes: ranked)
        let pattern: PretokenPattern
        do { pattern = try PretokenPattern(encoding.pattern) } catch {
            throw TokenizerError(file: source, "pattern of encoding \(encoding.name): \(error)")
        }
        let specials = encoding.specialTokens.map { AddedToken(id: $0.1, content: $0.0, special: true) }
        self.init(source: source, model: model, normalizer: nil,
                  preTokenizer: .split(.regex(pattern), .isolated, invert: false), postProcessor: .none,
                  decoder: .byteLevel, addedTokens: specials, bosTokenID: nil,
                  eosTokenID: specials.first { $0.content == "<|endoftext|>" }?.id)
    }
}

/// Standard base64 (with padding) to bytes; nil on any invalid character.
func decodeBase64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for c in text {
        let v: UInt32
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): v = 62
        case UInt8(ascii: "/"): v = 63
        case UInt8(ascii: "="): continue
        default: return nil
        }
        buffer = buffer << 6 | v
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
        }
    }
    return out
}
