/// One merge as a tokenizer file spells it: "left right" in one string, split at the UTF-8 offset of the
/// separating space. The string spelling of a file is kept as it is (no two new strings per merge, and
/// the merged token is the text without that byte); the array spelling, whose tokens may hold spaces,
/// is joined once and keeps its own offset.
struct MergeSpelling: Sendable {
    let text: String
    /// UTF-8 offset of the space between the two tokens.
    let split: Int

    /// "left right" with exactly one space, as tokenizer.json and GGUF spell merges; nil otherwise. Split on
    /// the byte 0x20: a space followed by a combining mark is one Character in Swift.
    init?(joined: String) {
        var copy = joined
        let space: Int? = copy.withUTF8 { bytes in
            guard let space = bytes.firstIndex(of: 0x20), !bytes[(space + 1)...].contains(0x20) else { return nil }
            return space
        }
        guard let space else { return nil }
        text = joined
        split = space
    }

    init(left: String, right: String) {
        text = left + " " + right
        split = left.utf8.count
    }

    /// The ids of the left token, the right token and the merged one (the text without its space), looked up
    /// by their UTF-8 bytes in place; `scratch` holds the merged spelling.
    func ids(in table: BytesTable, scratch: inout [UInt8]) -> (left: TokenID?, right: TokenID?, merged: TokenID?) {
        var text = text
        return text.withUTF8 { bytes in
            let left = UnsafeBufferPointer(rebasing: bytes[..<split]), right = UnsafeBufferPointer(rebasing: bytes[(split + 1)...])
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: left)
            scratch.append(contentsOf: right)
            return (table.get(left.baseAddress!, left.count), table.get(right.baseAddress!, right.count), table.get(scratch))
        }
    }

    var left: String { String(decoding: Array(text.utf8)[..<split], as: UTF8.self) }
    var right: String { String(decoding: Array(text.utf8)[(split + 1)...], as: UTF8.self) }
}

/// "left right" -> (left, right); see `MergeSpelling(joined:)`.
func splitMerge(_ merge: String) -> (String, String)? {
    MergeSpelling(joined: merge).map { ($0.left, $0.right) }
}
