import Tokenization

extension Tokenizer {
    /// Token ids as the model takes them (Int32), special tokens in the text parsed, none added.
    public func modelTokens(_ text: String) -> [Int32] { encode(text, addSpecialTokens: false).map { Int32(bitPattern: $0) } }

    /// Text of model token ids, special tokens dropped (what generation returns).
    public func text(ofModelTokens tokens: [Int32]) -> String {
        decode(tokens.map { TokenID(bitPattern: $0) }, skipSpecialTokens: true)
    }
}
