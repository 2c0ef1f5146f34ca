/// A token added on top of the model vocabulary (special tokens, chat markers, user tokens), with
/// tokenizers' matching options.
public struct AddedToken: Sendable, Equatable {
    public var id: TokenID
    public var content: String
    public var special: Bool
    public var singleWord = false
    public var lstrip = false
    public var rstrip = false
    /// Matched on normalized text rather than raw text.
    public var normalized = false

    public init(id: TokenID, content: String, special: Bool, singleWord: Bool = false, lstrip: Bool = false,
                rstrip: Bool = false, normalized: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.normalized = normalized
    }
}

/// Finds added tokens in text, leftmost-longest as tokenizers' Aho-Corasick matcher does, in time
/// linear in the text: a byte trie walked from each position whose first byte can start a token.
struct AddedTokenMatcher: Sendable {
    private struct Node: Sendable {
        var children: [(UInt8, Int32)] = []
        var token: Int32 = -1          // index into tokens
    }
    private var nodes = [Node()]
    private var startsToken = [Bool](repeating: false, count: 256)
    let tokens: [AddedToken]

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        for (index, token) in tokens.enumerated() {
            let bytes = Array(token.content.utf8)
            guard let first = bytes.first else { continue }
            startsToken[Int(first)] = true
            var node = 0
            for b in bytes {
                if let child = nodes[node].children.first(where: { $0.0 == b }) {
                    node = Int(child.1)
                } else {
                    nodes.append(Node())
                    nodes[node].children.append((b, Int32(nodes.count - 1)))
                    node = nodes.count - 1
                }
            }
            if nodes[node].token < 0 { nodes[node].token = Int32(index) }
        }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// The longest token starting at `position`: (token index, end offset).
    @inline(__always)
    private func longestMatch(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> (Int, Int)? {
        var node = 0
        var best: (Int, Int)?
        var i = position
        while i < text.count {
            guard let child = nodes[node].children.first(where: { $0.0 == text[i] }) else { break }
            node = Int(child.1)
            i += 1
            if nodes[node].token >= 0 { best = (Int(nodes[node].token), i) }
        }
        return best
    }

    /// Splits `text` into stretches of plain text (token nil) and added tokens, applying single_word,
    /// lstrip and rstrip as tokenizers does.
    func split(_ text: UnsafeBufferPointer<UInt8>) -> [(range: Range<Int>, token: AddedToken?)] {
        var result: [(range: Range<Int>, token: AddedToken?)] = []
        var consumed = 0
        var position = 0
        while position < text.count {
            guard startsToken[Int(text[position])], let (index, matchEnd) = longestMatch(text, at: position) else {
                position += 1
                continue
            }
            let token = tokens[index]
            if token.singleWord && !isWholeWord(text, position, matchEnd) {
                position = matchEnd  // the matcher moves past a rejected match, as Aho-Corasick's iterator does
                continue
            }
            var start = position, end = matchEnd
            if token.lstrip { start = max(consumed, whitespaceStart(text, before: start)) }
            if token.rstrip { end = whitespaceEnd(text, after: end) }
            if consumed < start { result.append((consumed..<start, nil)) }
            result.append((start..<end, token))
            consumed = end
            position = max(matchEnd, end)
        }
        if consumed < text.count { result.append((consumed..<text.count, nil)) }
        return result
    }

    private func isWholeWord(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        if start > 0, let before = scalar(endingAt: start, text), isWordScalar(before) { return false }
        if end < text.count, let after = scalar(startingAt: end, text), isWordScalar(after) { return false }
        return true
    }

    private func whitespaceStart(_ text: UnsafeBufferPointer<UInt8>, before start: Int) -> Int {
        var i = start
        while i > 0, let s = scalar(endingAt: i, text), s.properties.isWhitespace { i -= s.utf8.count }
        return i
    }

    private func whitespaceEnd(_ text: UnsafeBufferPointer<UInt8>, after end: Int) -> Int {
        var i = end
        while i < text.count, let s = scalar(startingAt: i, text), s.properties.isWhitespace { i += s.utf8.count }
        return i
    }
}

/// Rust's `char::is_alphanumeric() || c == '_'`, the word test of single_word tokens.
private func isWordScalar(_ s: Unicode.Scalar) -> Bool {
    if s == "_" { return true }
    switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
         .decimalNumber, .letterNumber, .otherNumber: return true
    default: return s.properties.isAlphabetic
    }
}

func scalar(startingAt i: Int, _ text: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
    let length = utf8SequenceLength(text[i])
    guard i + length <= text.count else { return nil }
    var iterator = UnsafeBufferPointer(rebasing: text[i..<(i + length)]).makeIterator()
    var decoder = UTF8()
    if case .scalarValue(let s) = decoder.decode(&iterator) { return s }
    return nil
}

func scalar(endingAt end: Int, _ text: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
    var start = end - 1
    while start > 0 && text[start] & 0xC0 == 0x80 && end - start < 4 { start -= 1 }
    return scalar(startingAt: start, text)
}
