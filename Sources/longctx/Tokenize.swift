import ArgumentParser
import Tokenization

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize UTF-8 text from stdin (or decode ids) with a real tokenizer.",
        discussion: """
            Encode (default): reads all of stdin as UTF-8 and prints the token ids as one JSON array on one line.
            --decode: reads a JSON array of ids from stdin and prints the text (no newline added).
            --count: prints only the number of tokens.
            --jsonl: reads one JSON object per line and prints one id array per line (or one count per
            line with --count), encoding on --threads threads; a bad line is reported with its number.
            Input that is not valid UTF-8 is rejected with the byte offset of the first bad sequence.
            """
    )

    @Option(name: .long, help: "A tokenizer.json, a model directory holding one, a .gguf file, or a .tiktoken file.")
    var tokenizer: String

    @Option(name: .long, help: "tiktoken encoding for a .tiktoken file (gpt2, r50k_base, p50k_base, cl100k_base, o200k_base); guessed from the file name when omitted.")
    var encoding: String?

    @Flag(name: .long, help: "Read JSON lines (one document per line) and write one result per line.")
    var jsonl = false

    @Option(name: .long, help: "With --jsonl: the field holding the text.")
    var field = "text"

    @Option(name: .long, help: "With --jsonl: encoding threads (default: all cores).")
    var threads: Int?

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
        if jsonl && decode { throw ValidationError("--jsonl encodes; it cannot be combined with --decode") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let tok = try Tokenizer.load(path: tokenizer, encoding: encoding)
        let input = readStandardInput()
        if decode {
            let ids = try parseIDs(input)
            writeStandardOutput(tok.decode(ids, skipSpecialTokens: skipSpecialTokens).utf8)
            return
        }
        if jsonl {
            try encodeLines(tok, input)
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

    private func encodeLines(_ tok: Tokenizer, _ input: [UInt8]) throws {
        let texts = try readTextField(ofJSONLines: input, field: field, source: "stdin")
        let results = tok.encodeBatch(texts, threads: threads ?? availableCores(),
                                      addSpecialTokens: addSpecialTokens, parseSpecialTokens: !noParseSpecial)
        var out: [UInt8] = []
        for ids in results {
            let line = count ? String(ids.count) : "[" + ids.map(String.init).joined(separator: ",") + "]"
            out.append(contentsOf: line.utf8)
            out.append(0x0A)
            if out.count > 1 << 20 { writeStandardOutput(out); out.removeAll(keepingCapacity: true) }
        }
        writeStandardOutput(out)
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
