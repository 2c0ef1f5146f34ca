import Tokenization

/// Turns generated tokens into text as they come: releases only text that can no longer change (no trailing
/// partial UTF-8 character) and that cannot be the start of a stop string, and cuts the text at the first stop
/// string. The text released, piece by piece, always concatenates to the final text.
struct TextStream {
    let tokenizer: Tokenizer
    let stops: [[UInt8]]
    private(set) var tokens: [Int32] = []
    /// UTF-8 bytes of the released text.
    private(set) var released: [UInt8] = []
    private(set) var stopped = false

    init(tokenizer: Tokenizer, stops: [String]) {
        self.tokenizer = tokenizer
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Adds a token; returns the newly released text (possibly empty). After a stop string is found, `stopped` is
    /// true and the text ends before it.
    mutating func append(_ token: Int32) -> String {
        precondition(!stopped, "TextStream: append after a stop string")
        tokens.append(token)
        let text = Array(tokenizer.decode(tokens.map { TokenID($0) }, skipSpecialTokens: true).utf8)
        if let cut = firstStop(in: text) {
            stopped = true
            return release(upTo: cut, of: text)
        }
        var safe = text.count
        if text.count >= 3 && text[(text.count - 3)...].elementsEqual([0xEF, 0xBF, 0xBD]) { safe -= 3 }
        safe -= longestStopPrefixSuffix(of: text[..<safe])
        return release(upTo: safe, of: text)
    }

    /// Releases whatever is held back (the sequence ended without a stop string).
    mutating func finish() -> String {
        let text = Array(tokenizer.decode(tokens.map { TokenID($0) }, skipSpecialTokens: true).utf8)
        return release(upTo: text.count, of: text)
    }

    var text: String { String(decoding: released, as: UTF8.self) }

    private mutating func release(upTo end: Int, of text: [UInt8]) -> String {
        // Decoding more tokens only ever appends (byte-level and piece decoders); if it did not, hold back.
        guard end > released.count, text[..<released.count].elementsEqual(released) else { return "" }
        let piece = text[released.count..<end]
        released += piece
        return String(decoding: piece, as: UTF8.self)
    }

    /// The byte offset of the earliest stop string that starts at or after what could still be unreleased.
    private func firstStop(in text: [UInt8]) -> Int? {
        let longest = stops.map(\.count).max() ?? 0
        let from = max(0, released.count - longest + 1)
        var best: Int?
        for stop in stops where text.count >= stop.count {
            var i = from
            while i + stop.count <= text.count {
                if text[i..<i + stop.count].elementsEqual(stop) {
                    best = min(best ?? i, i)
                    break
                }
                i += 1
            }
        }
        return best.map { max($0, released.count) }
    }

    /// Length of the longest suffix of `text` that is a proper prefix of some stop string.
    private func longestStopPrefixSuffix(of text: ArraySlice<UInt8>) -> Int {
        var best = 0
        for stop in stops {
            var length = min(stop.count - 1, text.count)
            while length > best {
                if text.suffix(length).elementsEqual(stop.prefix(length)) { best = length; break }
                length -= 1
            }
        }
        return best
    }
}
