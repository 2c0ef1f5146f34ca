/// tokenizer.json pre-tokenizers: they cut normalized text into the words BPE sees.
indirect enum PreTokenizer: Sendable {
    case split(SplitPattern, SplitBehavior, invert: Bool)
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case metaspace(replacement: [UInt8], prependScheme: PrependScheme, split: Bool)
    case sequence([PreTokenizer])

    /// `unconditional` is llama.cpp's SentencePiece rule (a space before every text fragment, even one
    /// that starts with a space); the others are tokenizers' names.
    enum PrependScheme: String, Sendable { case first, always, never, unconditional }

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    /// One shared compiled GPT-2 pattern: ByteLevel(use_regex) appears in most byte-level tokenizers.
    static let gpt2 = try! PretokenPattern(gpt2Pattern)

    func apply(_ buffer: inout PieceBuffer, scratch: inout PieceBuffer) {
        switch self {
        case .sequence(let steps):
            for step in steps { step.apply(&buffer, scratch: &scratch) }
        case let .split(pattern, behavior, invert):
            Self.cut(&buffer, pattern: pattern, behavior: behavior, invert: invert)
        case let .byteLevel(addPrefixSpace, useRegex):
            if addPrefixSpace {
                Self.rewrite(&buffer, scratch: &scratch) { piece, out, _ in
                    if piece.first != 0x20 { out.append(0x20) }
                    out.append(contentsOf: piece)
                }
            }
            if useRegex { Self.cut(&buffer, pattern: .regex(Self.gpt2), behavior: .isolated, invert: false) }
        case let .metaspace(replacement, scheme, split):
            Self.rewrite(&buffer, scratch: &scratch) { piece, out, atOrigin in
                let startsWithReplacement = piece.first == 0x20 || piece.starts(with: replacement)
                if scheme == .unconditional
                    || !startsWithReplacement && (scheme == .always || (scheme == .first && atOrigin)) {
                    out.append(contentsOf: replacement)
                }
                for b in piece {
                    if b == 0x20 { out.append(contentsOf: replacement) } else { out.append(b) }
                }
            }
            if split {
                Self.cut(&buffer, pattern: .literal(replacement), behavior: .mergedWithNext, invert: false)
            }
        }
    }

    private static func cut(_ buffer: inout PieceBuffer, pattern: SplitPattern, behavior: SplitBehavior, invert: Bool) {
        let old = buffer.pieces
        buffer.pieces.removeAll(keepingCapacity: true)
        var parts: [(range: Range<Int>, isMatch: Bool)] = []
        buffer.bytes.withUnsafeBufferPointer { all in
            for piece in old {
                parts.removeAll(keepingCapacity: true)
                var previous = piece.lowerBound
                pattern.forEachMatch(in: UnsafeBufferPointer(rebasing: all[piece])) { m in
                    let start = piece.lowerBound + m.lowerBound, end = piece.lowerBound + m.upperBound
                    if previous < start { parts.append((previous..<start, invert)) }
                    parts.append((start..<end, !invert))
                    previous = end
                }
                if previous < piece.upperBound { parts.append((previous..<piece.upperBound, invert)) }
                if parts.count == 1 && !parts[0].isMatch && behavior != .removed {
                    buffer.pieces.append(piece)  // nothing found: the common case, kept cheap
                } else {
                    behavior.apply(parts: parts, into: &buffer.pieces)
                }
            }
        }
    }

    /// Rebuilds every piece through `transform` (piece bytes, output, whether it starts at the origin).
    private static func rewrite(_ buffer: inout PieceBuffer, scratch: inout PieceBuffer,
                                _ transform: (ArraySlice<UInt8>, inout [UInt8], Bool) -> Void) {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.pieces.removeAll(keepingCapacity: true)
        for (index, piece) in buffer.pieces.enumerated() {
            let start = scratch.bytes.count
            transform(buffer.bytes[piece], &scratch.bytes, index == 0 && buffer.firstPieceAtOrigin)
            if scratch.bytes.count > start { scratch.pieces.append(start..<scratch.bytes.count) }
        }
        scratch.firstPieceAtOrigin = buffer.firstPieceAtOrigin
        swap(&buffer, &scratch)
    }
}
