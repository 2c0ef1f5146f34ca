import ArgumentParser
import Tokenization

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize UTF-8 text from stdin (or decode ids) with a real tokenizer.",
        discussion: """
            Encode (default): reads all of stdin as UTF-8 and prints the token ids as one JSON array on one line.
            --decode: reads a JSON array of ids from stdin and prints the text (no newline added).
            --count: prints only the number of tokens.
            Input that is not valid UTF-8 is rejected with the byte offset of the first bad sequence.
            """
    )

    @Option(name: .long, help: "A tokenizer.json, a model directory holding one, a .gguf file, or a .tiktoken file.")
    var tokenizer: String

    @Option(name: .long, help: "tiktoken encoding for a .tiktoken file (gpt2, r50k_base, p50k_base, cl100k_base, o200k_base); guessed from the file name when omitted.")
    var encoding: String?

    @Flag(name: .long, help: "Decode a JSON array of ids read from stdin.")
    var decode = false

    @Flag(name: .long, help: "Print only the number of tokens.")
    var count = false

    @Flag(name: .long, help: "Add the tokenizer's special tokens (BOS/EOS) around the text, as its post-processor says.")
    var addSpecialTokens = false

    @Flag(name: .long, help: "Treat special-token text (e.g. <|endoftext|>) as plain text.")
    var noParseSpecial = false

    @Flag(name: .long, help: "With --decode: leave special tokens out of the text.")
    var skipSpecialTokens = false

    func validate() throws {
        if decode && count { throw ValidationError("--decode and --count cannot be combined") }
        if skipSpecialTokens && !decode { throw ValidationError("--skip-special-tokens applies to --decode only") }
    }

    func run() throws {
        let tok = try Tokenizer.load(path: tokenizer, encoding: encoding)
        let input = readStandardInput()
        if decode {
            let ids = try parseIDs(input)
            writeStandardOutput(tok.decode(ids, skipSpecialTokens: skipSpecialTokens).utf8)
            return
        }
        if let offset = firstInvalidUTF8Offset(input) {
            throw ValidationError("stdin: invalid UTF-8 at byte offset \(offset)")
        }
        let text = String(decoding: input, as: UTF8.self)
        let ids = tok.encode(text, addSpecialTokens: addSpecialTokens, parseSpecialTokens: !noParseSpecial)
        if count {
            print(ids.count)
        } else {
            print("[" + ids.map(String.init).joined(separator: ",") + "]")
        }
    }

    private func parseIDs(_ input: [UInt8]) throws -> [TokenID] {
        let value: JSONValue
        do { value = try JSONParser.parse(input, source: "stdin") } catch { throw ValidationError("\(error)") }
        guard let array = value.array else { throw ValidationError("stdin: expected a JSON array of token ids") }
        return try array.enumerated().map { i, v in
            guard let n = v.int, n >= 0, n <= Int(UInt32.max) else {
                throw ValidationError("stdin: element \(i) is not a token id")
            }
            return TokenID(n)
        }
    }
}
