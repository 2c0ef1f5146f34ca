/// Token ids are 32-bit: every vocabulary in use fits, and packed training data stores them as uint32.
public typealias TokenID = UInt32

/// A tokenizer file that cannot be used, with the file and the place in it.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}
