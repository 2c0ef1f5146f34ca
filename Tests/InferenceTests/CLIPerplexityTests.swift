import Foundation
import XCTest

/// `longctx eval perplexity` against transformers: the perplexity of a document's first L tokens is exp(mean NLL) of
/// transformers' forward on the same tokens, and each position bucket is the mean NLL of its positions.
final class CLIPerplexityTests: XCTestCase {
    func testPerplexityEqualsTransformers() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        _ = try InferenceTestSupport.python()
        let root = try InferenceTestSupport.temporaryDirectory("cli-perplexity")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = root + "/document.txt"
        try CLITestSupport.prose.write(toFile: document, atomically: true, encoding: .utf8)
        let run = root + "/run"
        let bucket = 128
        try CLITestSupport.longctxSucceeding(["eval", "perplexity", "--model", directory, "--text", document, "--lengths", "256,512",
                                              "--bucket-size", String(bucket), "--out", run])

        // transformers' per-token NLL over the first 512 tokens, in float64 from its float32 logits.
        let reference = try CLITestSupport.python("""
            import json, sys, torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            torch.set_num_threads(2)
            directory, path, length = sys.argv[1], sys.argv[2], int(sys.argv[3])
            ids = AutoTokenizer.from_pretrained(directory)(open(path, encoding="utf-8").read(), add_special_tokens=False)["input_ids"]
            model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32).eval()
            x = torch.tensor([ids[:length]])
            with torch.no_grad():
                logits = model(x).logits[0].double()
            nll = torch.nn.functional.cross_entropy(logits[:-1], x[0, 1:], reduction="none")
            print(json.dumps({"tokens": len(ids), "nll": nll.tolist()}))
            """, [directory, document, "512"])
        let tokenCount = try XCTUnwrap(reference["tokens"] as? Int)
        XCTAssertGreaterThanOrEqual(tokenCount, 512, "the document must have 512 tokens")
        let nll = try XCTUnwrap(reference["nll"] as? [Double])
        XCTAssertEqual(nll.count, 511)

        let records = Dictionary(try CLITestSupport.records(run).compactMap { record in (record["id"] as? String).map { ($0, record) } },
                                 uniquingKeysWith: { first, _ in first })
        func ppl(_ id: String) throws -> Double {
            let record = try XCTUnwrap(records[id], "no record \(id) among \(records.keys.sorted())")
            return try XCTUnwrap((record["scores"] as? [String: Any])?["ppl"] as? Double, "\(record)")
        }
        func expMean(_ values: ArraySlice<Double>) -> Double { exp(values.reduce(0, +) / Double(values.count)) }
        func assertClose(_ ours: Double, _ theirs: Double, _ what: String) {
            XCTAssertLessThan(abs(ours - theirs) / theirs, 1e-3, "\(what): ours \(ours), transformers \(theirs)")
        }
        // A causal model's first 256 tokens score the same inside the 512-token forward.
        assertClose(try ppl("perplexity/doc=0/len=512"), expMean(nll[...]), "ppl of 512 tokens")
        assertClose(try ppl("perplexity/doc=0/len=256"), expMean(nll[0..<255]), "ppl of 256 tokens")
        // Buckets of the longest length: position p predicts token p + 1.
        let bucketIDs = records.keys.filter { $0.hasPrefix("perplexity/position/") }.sorted()
        XCTAssertEqual(bucketIDs.count, 4, "\(bucketIDs)")
        for start in Swift.stride(from: 0, to: 511, by: bucket) {
            assertClose(try ppl("perplexity/position/doc=0/bucket=\(start)"), expMean(nll[start..<min(511, start + bucket)]),
                        "positions \(start)..<\(start + bucket)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/summary.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/summary.md"))
    }
}
