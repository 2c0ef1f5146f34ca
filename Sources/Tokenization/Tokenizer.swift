/// A loaded tokenizer: tokenizers' pipeline (added tokens, normalizer, pre-tokenizer, BPE, post-processor,
/// decoder), whatever file it came from. Immutable and shareable across threads; per-thread scratch lives
/// in `EncoderState`.
public final class Tokenizer: Sendable {
    /// Where it was loaded from, for messages.
    public let source: String
    let model: BPEModel
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let postProcessor: PostProcessor
    let decoder: Decoder?
    public let addedTokens: [AddedToken]
    private let addedByID: [TokenID: AddedToken]
    private let rawMatcher: AddedTokenMatcher
    private let rawMatcherWithoutSpecial: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private let normalizedMatcherWithoutSpecial: AddedTokenMatcher
    public let bosTokenID: TokenID?
    public let eosTokenID: TokenID?

    init(source: String, model: BPEModel, normalizer: Normalizer?, preTokenizer: PreTokenizer?,
         postProcessor: PostProcessor, decoder: Decoder?, addedTokens: [AddedToken],
         bosTokenID: TokenID?, eosTokenID: TokenID?) {
        self.source = source
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.decoder = decoder
        // tokenizers stores a normalized added token in its normalized spelling: it is matched, and
        // decoded, as such.
        let addedTokens = addedTokens.map { token -> AddedToken in
            guard token.normalized, let normalizer else { return token }
            var t = token
            t.content = normalizer.apply(token.content)
            return t
        }
        self.addedTokens = addedTokens
        var byID: [TokenID: AddedToken] = [:]
        for token in addedTokens { byID[token.id] = token }
        addedByID = byID
        let raw = addedTokens.filter { !$0.normalized }
        rawMatcher = AddedTokenMatcher(raw)
        rawMatcherWithoutSpecial = AddedTokenMatcher(raw.filter { !$0.special })
        // Normalized tokens are looked for in normalized text, so their own text is normalized first.
        let normalizedTokens = addedTokens.filter(\.normalized)
        normalizedMatcher = AddedTokenMatcher(normalizedTokens)
        normalizedMatcherWithoutSpecial = AddedTokenMatcher(normalizedTokens.filter { !$0.special })
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
    }

    /// Model vocabulary plus added tokens beyond it.
    public var vocabularySize: Int {
        max(model.size, (addedTokens.map { Int($0.id) }.max() ?? -1) + 1)
    }

    public func id(of token: String) -> TokenID? {
        if let added = addedTokens.first(where: { $0.content == token }) { return added.id }
        return model.tableID(ofSpelling: token)
    }

    public func token(of id: TokenID) -> String? {
        if let added = addedByID[id] { return added.content }
        return Int(id) < model.size ? model.tokens[Int(id)] : nil
    }

    public func isSpecial(_ id: TokenID) -> Bool { addedByID[id]?.special ?? false }

    // MARK: Encoding

    /// Encodes text. `addSpecialTokens` applies the post-processor (BOS/EOS); `parseSpecialTokens` false
    /// treats special-token text as plain text (tiktoken's encode_ordinary).
    public func encode(_ text: String, addSpecialTokens: Bool = false, parseSpecialTokens: Bool = true) -> [TokenID] {
        var state = EncoderState()
        return encode(text, addSpecialTokens: addSpecialTokens, parseSpecialTokens: parseSpecialTokens, state: &state)
    }

    public func encode(_ text: String, addSpecialTokens: Bool = false, parseSpecialTokens: Bool = true,
                       state: inout EncoderState) -> [TokenID] {
        var out: [TokenID] = []
        out.reserveCapacity(text.utf8.count / 3 + 4)
        var text = text
        text.withUTF8 { bytes in
            let matcher = parseSpecialTokens ? rawMatcher : rawMatcherWithoutSpecial
            if matcher.isEmpty {
                encodeSegment(bytes, atOrigin: true, parseSpecialTokens: parseSpecialTokens, into: &out, state: &state)
                return
            }
            for (range, token) in matcher.split(bytes) {
                if let token {
                    out.append(token.id)
                } else {
                    encodeSegment(UnsafeBufferPointer(rebasing: bytes[range]), atOrigin: range.lowerBound == 0,
                                  parseSpecialTokens: parseSpecialTokens, into: &out, state: &state)
                }
            }
        }
        return addSpecialTokens ? postProcessor.apply(out) : out
    }

    /// Text between raw-matched added tokens: normalize, find normalized added tokens, pre-tokenize, BPE.
    private func encodeSegment(_ bytes: UnsafeBufferPointer<UInt8>, atOrigin: Bool, parseSpecialTokens: Bool,
                               into out: inout [TokenID], state: inout EncoderState) {
        guard let normalizer else {
            encodeNormalized(bytes, atOrigin: atOrigin, parseSpecialTokens: parseSpecialTokens, into: &out, state: &state)
            return
        }
        var normalized = normalizer.apply(String(decoding: bytes, as: UTF8.self))
        normalized.withUTF8 {
            encodeNormalized($0, atOrigin: atOrigin, parseSpecialTokens: parseSpecialTokens, into: &out, state: &state)
        }
    }

    private func encodeNormalized(_ bytes: UnsafeBufferPointer<UInt8>, atOrigin: Bool, parseSpecialTokens: Bool,
                                  into out: inout [TokenID], state: inout EncoderState) {
        let matcher = parseSpecialTokens ? normalizedMatcher : normalizedMatcherWithoutSpecial
        if matcher.isEmpty {
            encodeWords(bytes, atOrigin: atOrigin, into: &out, state: &state)
            return
        }
        for (range, token) in matcher.split(bytes) {
            if let token {
                out.append(token.id)
            } else {
                encodeWords(UnsafeBufferPointer(rebasing: bytes[range]), atOrigin: atOrigin && range.lowerBound == 0,
                            into: &out, state: &state)
            }
        }
    }

    private func encodeWords(_ bytes: UnsafeBufferPointer<UInt8>, atOrigin: Bool, into out: inout [TokenID],
                             state: inout EncoderState) {
        guard !bytes.isEmpty else { return }
        state.pieces.reset(with: bytes, atOrigin: atOrigin)
        preTokenizer?.apply(&state.pieces, scratch: &state.scratch)
        state.pieces.bytes.withUnsafeBufferPointer { all in
            for piece in state.pieces.pieces {
                encodeWord(UnsafeBufferPointer(rebasing: all[piece]), into: &out, state: &state)
            }
        }
    }

    /// The number of words the pre-tokenizer cuts `text` into (added tokens split out and text normalized
    /// first, as in encode), without running BPE: measures the pre-tokenization stage alone.
    public func countWords(_ text: String, state: inout EncoderState) -> Int {
        var text = text
        var words = 0
        text.withUTF8 { bytes in
            for (range, token) in rawMatcher.split(bytes) where token == nil {
                var segment = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                if let normalizer { segment = normalizer.apply(segment) }
                segment.withUTF8 {
                    state.pieces.reset(with: $0, atOrigin: range.lowerBound == 0)
                    preTokenizer?.apply(&state.pieces, scratch: &state.scratch)
                    words += state.pieces.pieces.count
                }
            }
        }
        return words
    }

    @inline(__always)
    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into out: inout [TokenID], state: inout EncoderState) {
        guard word.count <= WordCache.maxWordLength else {
            model.encodeWord(word, into: &out, workspace: &state.workspace)
            return
        }
        let h = hashBytes(word.baseAddress!, word.count)
        if state.cache.lookup(word, hash: h, into: &out) { return }
        let start = out.count
        model.encodeWord(word, into: &out, workspace: &state.workspace)
        state.cache.insert(word, hash: h, ids: out[start...])
    }

    // MARK: Decoding

    /// Decodes ids to text; ids outside the vocabulary are ignored, as tokenizers does.
    public func decode(_ ids: [TokenID], skipSpecialTokens: Bool = false) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            if let added = addedByID[id] {
                if !(skipSpecialTokens && added.special) { tokens.append(added.content) }
            } else if Int(id) < model.size {
                tokens.append(model.tokens[Int(id)])
            }
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        if case .llamaCppPieces(let strip) = decoder {
            return decodeLlamaCppPieces(ids, skipSpecialTokens: skipSpecialTokens, stripFirstSpace: strip)
        }
        if case .byteLevel = decoder { return decodeByteLevel(ids, skipSpecialTokens: skipSpecialTokens) }
        return decoder.decodeChain(tokens).joined()
    }

    private func decodeLlamaCppPieces(_ ids: [TokenID], skipSpecialTokens: Bool, stripFirstSpace: Bool) -> String {
        var bytes: [UInt8] = []
        let space = Array("▁".utf8)
        for (index, id) in ids.enumerated() {
            var piece: [UInt8]
            if let added = addedByID[id] {
                if skipSpecialTokens && added.special { continue }
                piece = Array(added.content.utf8)
            } else if Int(id) < model.size {
                let text = model.tokens[Int(id)]
                if let byte = Decoder.fallbackByte(text) {
                    piece = [byte]
                } else {
                    piece = []
                    var i = 0
                    let utf8 = Array(text.utf8)
                    while i < utf8.count {
                        if utf8[i...].starts(with: space) { piece.append(0x20); i += space.count } else { piece.append(utf8[i]); i += 1 }
                    }
                }
            } else {
                continue
            }
            if index == 0 && stripFirstSpace && piece.first == 0x20 { piece.removeFirst() }
            bytes += piece
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ByteLevel decoding straight from the bytes each token stands for (no per-token strings).
    private func decodeByteLevel(_ ids: [TokenID], skipSpecialTokens: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            if let added = addedByID[id] {
                if !(skipSpecialTokens && added.special) {
                    bytes.append(contentsOf: ByteLevel.decode(added.content) ?? Array(added.content.utf8))
                }
            } else if Int(id) < model.size {
                bytes.append(contentsOf: model.tokenBytes[Int(id)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Scratch for one thread of encoding: the word cache and reusable buffers.
public struct EncoderState {
    var cache = WordCache()
    var workspace = BPEWorkspace()
    var pieces = PieceBuffer()
    var scratch = PieceBuffer()
    public init() {}
}
