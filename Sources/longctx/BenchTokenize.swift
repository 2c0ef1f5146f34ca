import ArgumentParser
import Formats
import Tokenization

#if canImport(Glibc)
import Glibc
#endif

struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-tokenize",
        abstract: "Measure encode throughput on a corpus (prints one JSON line; see Benchmarks/tokenize.sh).",
        discussion: """
            INPUT is a .jsonl file (one document per line, text in --field) or a text file (documents \
            separated by blank lines). Reports the best of --repeat timed runs after one warm-up run.
            """
    )

    @Option(name: .long, help: "Tokenizer path (as for `tokenize`).")
    var tokenizer: String
    @Option(name: .long, help: "tiktoken encoding name for a .tiktoken file.")
    var encoding: String?
    @Option(name: .long, help: "Corpus: .jsonl or plain text.")
    var input: String
    @Option(name: .long, help: "JSON field holding the text in a .jsonl corpus.")
    var field = "text"
    @Option(name: .long, help: "Encoding threads.")
    var threads = 1
    @Flag(name: .long, help: "Time only the pre-tokenization stage (added tokens, normalizer, pre-tokenizer); single thread; 'tokens' then counts words.")
    var pretokenizeOnly = false
    @Option(name: .long, help: "Timed runs; the best is reported.")
    var `repeat` = 3

    func run() throws {
        let loadStart = now()
        let tok = try Tokenizer.load(path: tokenizer, encoding: encoding)
        let loadSeconds = now() - loadStart
        let docs = try loadDocuments()
        let bytes = docs.reduce(0) { $0 + $1.utf8.count }
        var state = EncoderState()
        let run: () -> Int = pretokenizeOnly
            ? { docs.reduce(0) { $0 + tok.countWords($1, state: &state) } }
            : { tok.encodeBatch(docs, threads: threads).reduce(0) { $0 + $1.count } }
        var tokens = run()  // warm-up
        var best = Double.infinity
        for _ in 0..<max(1, self.repeat) {
            let start = now()
            tokens = run()
            best = min(best, now() - start)
        }
        let mbps = Double(bytes) / best / 1e6
        let tool = pretokenizeOnly ? "longctx-pretokenize" : "longctx"
        print(#"{"tool":"\#(tool)","tokenizer":"\#(tokenizer)","threads":\#(threads),"bytes":\#(bytes),"tokens":\#(tokens),"seconds":\#(best),"mb_per_s":\#(mbps),"load_seconds":\#(loadSeconds)}"#)
    }

    private func loadDocuments() throws -> [String] {
        let bytes = try readFileBytes(input)
        if input.hasSuffix(".jsonl") { return try readTextField(ofJSONLines: bytes, field: field, source: input) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n\n", omittingEmptySubsequences: true).map { String($0) + "\n\n" }
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
