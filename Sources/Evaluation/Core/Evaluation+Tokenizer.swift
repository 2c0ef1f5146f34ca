import Tokenization

extension Tokenizer: TokenCounting {
    public func encode(_ text: String) -> [Int32] { encode(text, addSpecialTokens: false).map { Int32($0) } }
    public func decode(_ tokens: [Int32]) -> String { decode(tokens.map { TokenID($0) }) }
}
