import ArgumentParser
import Tokenization

/// The main job on a built-in default: grows with each capability. Today: tokenize a sample with every
/// tokenizer found in the assets directory and show ids, counts and the exact round trip.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the built-in end-to-end demo on the default assets (see README)."
    )

    @Option(name: .long, help: "Directory with the reference assets (scripts/setup-assets.sh fills it).")
    var assets = ".assets"

    static let sample = "Long-context models read 128K tokens: ProLong trains at 64K, then 512K. 长上下文 🚀\n\tdef f(x): return x**2"

    func run() throws {
        let candidates = [
            ("DeepSeek tokenizer.json (byte-level BPE, 129K)", assets + "/deepseek/tokenizer.json", nil as String?),
            ("SmolLM2 GGUF vocabulary", assets + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", nil),
            ("GPT-2 tiktoken ranks", assets + "/whisper/gpt2.tiktoken", "gpt2"),
        ]
        print("Sample text (\(Self.sample.utf8.count) bytes):\n\(Self.sample)\n")
        var shown = 0
        for (name, path, encoding) in candidates {
            let tok: Tokenizer
            do { tok = try Tokenizer.load(path: path, encoding: encoding) } catch {
                print("- \(name): skipped (\(error))")
                continue
            }
            let ids = tok.encode(Self.sample)
            let back = tok.decode(ids)
            print("- \(name): \(ids.count) tokens, round trip \(back == Self.sample ? "exact" : "DIFFERS")")
            print("  ids: \(ids.prefix(24).map(String.init).joined(separator: " "))\(ids.count > 24 ? " ..." : "")")
            // Throughput on the sample repeated to about 4 MB (repetitive text: the word cache hits often;
            // BENCHMARKS.md measures a real 60 MB corpus), one thread, then all cores.
            let documents = [String](repeating: String(repeating: Self.sample + "\n", count: 400), count: 90)
            let bytes = documents.reduce(0) { $0 + $1.utf8.count }
            for threads in Set([1, availableCores()]).sorted() {
                let start = now()
                let count = tok.encodeBatch(documents, threads: threads).reduce(0) { $0 + $1.count }
                let seconds = now() - start
                print("  \(threads) thread\(threads == 1 ? "" : "s"): \(count) tokens from \(bytes / 1_000_000) MB in \(Int(seconds * 1000)) ms (\(Int(Double(bytes) / seconds / 1e6)) MB/s on repetitive text)")
            }
            shown += 1
        }
        if shown == 0 { throw ValidationError("no tokenizer found under \(assets); run scripts/setup-assets.sh") }
    }
}
