#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Formats
import XCTest

/// Reads the real SmolLM2-135M GGUF when it is present (LONGCTX_ASSETS overrides
/// the repository's .assets directory); skipped otherwise.
final class GGUFSmolLM2Tests: XCTestCase {
    static var modelPath: String {
        let assets = ProcessInfo.processInfo.environment["LONGCTX_ASSETS"]
            ?? URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".assets").path
        return assets + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    func open() throws -> GGUFFile {
        guard access(Self.modelPath, R_OK) == 0 else { throw XCTSkip("no model at \(Self.modelPath)") }
        return try GGUFFile(path: Self.modelPath)
    }

    func testModelLayout() throws {
        let g = try open()
        XCTAssertEqual(try g.string("general.architecture"), "llama")
        XCTAssertEqual(try g.uint32("llama.context_length"), 8192)
        XCTAssertEqual(try g.uint32("llama.block_count"), 30)
        XCTAssertEqual(try g.string("tokenizer.ggml.model"), "gpt2")
        let tokens = try g.strings("tokenizer.ggml.tokens")
        XCTAssertEqual(tokens.count, Int(try g.uint32("llama.vocab_size") ?? 49152))
        XCTAssertEqual(tokens.count, 49152)
        XCTAssertEqual(tokens[1], "<|im_start|>")
        XCTAssertEqual(try g.int32s("tokenizer.ggml.token_type").count, tokens.count)
        XCTAssertEqual(try g.strings("tokenizer.ggml.merges").first, "Ġ t")

        let names = Set(g.tensors.map(\.name))
        for layer in 0..<30 {
            for part in ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output",
                         "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"] {
                XCTAssertTrue(names.contains("blk.\(layer).\(part).weight"), "blk.\(layer).\(part)")
            }
        }
        XCTAssertFalse(names.contains { $0.hasPrefix("blk.30.") })
        let emb = try XCTUnwrap(g.tensor(named: "token_embd.weight"))
        XCTAssertEqual(emb.shape, [576, 49152])
        XCTAssertEqual(g.tensorData(emb).count, emb.byteCount)
        XCTAssertEqual(g.tensor(named: "blk.0.attn_q.weight")?.type, .q4_1)
        XCTAssertEqual(g.tensors.map { $0.offset + $0.byteCount }.max()! <= g.fileSize, true)
    }

    /// Opening parses all metadata (arrays only skipped over); it must be far below 100 ms.
    func testParseTime() throws {
        _ = try open()
        var best = Double.infinity
        for _ in 0..<20 {
            let t0 = ContinuousClock.now
            let g = try GGUFFile(path: Self.modelPath)
            let dt = ContinuousClock.now - t0
            best = min(best, Double(dt.components.attoseconds) / 1e15 + Double(dt.components.seconds) * 1e3)
            XCTAssertEqual(g.keys.count, 33)
        }
        let g = try GGUFFile(path: Self.modelPath)
        let t0 = ContinuousClock.now
        let tokens = try g.strings("tokenizer.ggml.tokens")
        let merges = try g.strings("tokenizer.ggml.merges")
        let scores = try g.int32s("tokenizer.ggml.token_type")
        let dt = ContinuousClock.now - t0
        print("GGUF open+parse (best of 20): \(best) ms; decode tokens+merges+types (\(tokens.count)+\(merges.count)+\(scores.count)): \(dt)")
        XCTAssertLessThan(best, 100)
    }

    /// Prints every metadata key (big arrays summarized), for humans.
    func testDumpMetadata() throws {
        let g = try open()
        for k in g.keys {
            if let (type, count) = g.arrayInfo(k) {
                let head = type == .string ? "\(try g.strings(k).prefix(5))" : "\(try g.ints(k).prefix(5))"
                print("\(k): array<\(type)>[\(count)] \(head)")
            } else {
                var v = "\(try g.value(k)!)"
                if v.count > 200 { v = String(v.prefix(200)) + "…" }
                print("\(k): \(g.typeDescription(k)!) = \(v)")
            }
        }
    }
}
