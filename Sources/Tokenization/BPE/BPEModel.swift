/// A BPE vocabulary with its merge table, in the form the encoder runs on: tokens as byte strings,
/// merges as (left id, right id) -> (rank, merged id).
///
/// Two spellings exist in the wild: byte-level (GPT-2, Llama-3, Qwen2, tiktoken), where the initial
/// symbols are bytes, and character-level with byte fallback (SentencePiece-style: Llama-2, Mistral),
/// where they are Unicode scalars and unknown scalars become `<0xNN>` tokens.
struct BPEModel: Sendable {
    enum Alphabet: Sendable { case bytes, scalars }

    let alphabet: Alphabet
    /// Token text as the tokenizer file spells it (byte-level spelling for byte-level vocabularies).
    let tokens: [String]
    /// Token id -> the bytes it stands for in the text (decoded byte-level spelling, or UTF-8).
    let tokenBytes: TokenBytes
    let lookup: BytesTable
    let merges: PairTable
    /// Byte-level: the id of each single byte, or -1.
    let byteIDs: [Int32]
    /// SentencePiece-style: the id of each `<0xNN>` token, or -1.
    let fallbackIDs: [Int32]
    let unknownID: TokenID?
    let fuseUnknown: Bool
    let byteFallback: Bool
    /// Look the whole word up before merging (Llama-3's `ignore_merges`, and always for tiktoken).
    let ignoreMerges: Bool
    /// Set for GGUF "llama" vocabularies: merge by token score instead of merge rank.
    var scored: ScoredVocabulary?

    /// - Parameters:
    ///   - vocab: token text -> id, in the file's spelling.
    ///   - merges: pairs in rank order, in the file's spelling.
    init(file: String, alphabet: Alphabet, vocab: [(String, TokenID)], merges: [MergeSpelling],
         unknownToken: String?, fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool) throws {
        self.alphabet = alphabet
        // The id tables and the merge table are independent and take about as long each (70 ms for a 128K
        // vocabulary), so they are built on two threads: loading a tokenizer is on the critical path of every
        // command that starts with one.
        let ((tokens, tokenBytes, lookup), (idOfSpelling, table)) = try inParallel(
            { Self.idTables(vocab: vocab, alphabet: alphabet) },
            { try Self.mergeTable(file: file, vocab: vocab, merges: merges) })
        self.tokens = tokens
        self.tokenBytes = tokenBytes
        self.lookup = lookup
        self.merges = table
        var byteIDs = [Int32](repeating: -1, count: 256)
        var fallbackIDs = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            if let id = lookup.get([UInt8(b)]), alphabet == .bytes { byteIDs[b] = Int32(id) }
            if let id = idOfSpelling.get(spelling: Self.fallbackName(UInt8(b))) { fallbackIDs[b] = Int32(id) }
        }
        self.byteIDs = byteIDs
        self.fallbackIDs = fallbackIDs
        if let unknownToken {
            guard let id = idOfSpelling.get(spelling: unknownToken) else {
                throw TokenizerError(file: file, "unk_token '\(unknownToken)' is not in the vocabulary")
            }
            self.unknownID = id
        } else {
            self.unknownID = nil
        }
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
    }

    /// Builds a byte-level model from raw byte tokens with implicit merges, as tiktoken defines them:
    /// any two adjacent tokens whose concatenation is a token merge, at that token's rank.
    init(rankedBytes: [[UInt8]]) {
        alphabet = .bytes
        tokens = rankedBytes.map { ByteLevel.encode($0) }
        tokenBytes = TokenBytes(rankedBytes)
        var lookup = BytesTable(capacity: rankedBytes.count)
        for (id, bytes) in rankedBytes.enumerated() { lookup.insert(bytes, TokenID(id)) }
        var table = PairTable(capacity: rankedBytes.count * 2)
        for (id, bytes) in rankedBytes.enumerated() where bytes.count > 1 {
            for split in 1..<bytes.count {
                if let l = lookup.get(bytes[..<split]), let r = lookup.get(bytes[split...]) {
                    table.insertIfAbsent(left: l, right: r, rank: UInt32(id), merged: TokenID(id))
                }
            }
        }
        self.lookup = lookup
        merges = table
        var byteIDs = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { if let id = lookup.get([UInt8(b)]) { byteIDs[b] = Int32(id) } }
        self.byteIDs = byteIDs
        fallbackIDs = [Int32](repeating: -1, count: 256)
        unknownID = nil
        fuseUnknown = false
        byteFallback = false
        ignoreMerges = true
    }

    /// Token id -> its text and bytes, and bytes -> token id.
    private static func idTables(vocab: [(String, TokenID)], alphabet: Alphabet) -> ([String], TokenBytes, BytesTable) {
        let size = Int(vocab.map(\.1).max().map { $0 + 1 } ?? 0)
        var tokens = [String](repeating: "", count: size)
        var tokenBytes = TokenBytes(count: size)
        var lookup = BytesTable(capacity: vocab.count)
        for (text, id) in vocab {
            tokens[Int(id)] = text
            switch alphabet {
            case .bytes:
                if let bytes = ByteLevel.decode(text) {
                    tokenBytes.set(Int(id), bytes)
                    lookup.insert(bytes, id)
                } else {
                    // Outside the byte alphabet: unreachable from text, decoded as its UTF-8.
                    tokenBytes.set(Int(id), text.utf8)
                }
            case .scalars:
                tokenBytes.set(Int(id), text.utf8)
                lookup.insert(text.utf8, id)
            }
        }
        return (tokens, tokenBytes, lookup)
    }

    /// Token text -> id (the file's spelling; a repeated text keeps its last id) and the merges as id pairs.
    /// Spellings are compared byte for byte, as tokenizers compares them (a Swift String dictionary would
    /// also join canonically equivalent spellings, and hashing through Unicode normalization made this
    /// the slowest part of a load).
    private static func mergeTable(file: String, vocab: [(String, TokenID)], merges: [MergeSpelling]) throws
        -> (BytesTable, PairTable) {
        var idOfSpelling = BytesTable(capacity: vocab.count)
        for (text, id) in vocab { idOfSpelling.insert(text.utf8, id) }
        var table = PairTable(capacity: merges.count)
        var scratch: [UInt8] = []
        for (rank, merge) in merges.enumerated() {
            func missing(_ text: String) -> TokenizerError {
                TokenizerError(file: file, "model.merges[\(rank)]: '\(text)' is not in the vocabulary")
            }
            let (l, r, m) = merge.ids(in: idOfSpelling, scratch: &scratch)
            guard let l else { throw missing(merge.left) }
            guard let r else { throw missing(merge.right) }
            guard let m else { throw missing(merge.left + merge.right) }
            table.insertIfAbsent(left: l, right: r, rank: UInt32(rank), merged: m)
        }
        return (idOfSpelling, table)
    }

    /// The id of a token as the file spells it, through the byte table (no second 128K-entry dictionary): a
    /// token's text is its byte-level spelling or its UTF-8. Nil for texts outside the byte alphabet.
    func tableID(ofSpelling text: String) -> TokenID? {
        let bytes = alphabet == .bytes ? ByteLevel.decode(text) : Array(text.utf8)
        guard let bytes, let id = lookup.get(bytes), tokens[Int(id)] == text else { return nil }
        return id
    }

    /// `tableID(ofSpelling:)`, else a scan for texts the table cannot hold (unreachable from input), which
    /// only loading needs.
    func id(ofSpelling text: String) -> TokenID? {
        tableID(ofSpelling: text) ?? tokens.firstIndex(of: text).map { TokenID($0) }
    }

    static func fallbackName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    var size: Int { tokens.count }
}
