import Corpus
import Tokenization
import XCTest
@testable import DataEngine

/// End-to-end builds on small generated corpora: determinism, resume after a kill, worker parts
/// merged, the mixture rules, and the account in the manifest.
final class DataBuildTests: XCTestCase {
    var corpus = ""

    override func setUpWithError() throws {
        corpus = try TestData.tempDirectory("corpus")
        // Long documents (about 600-1500 words) and short ones (10-60 words) in two files each.
        var long: [String] = [], short: [String] = []
        for i in 0..<60 { long.append(TestData.document("L\(i)", words: 600 + (i * 37) % 900, seed: i)) }
        for i in 0..<600 { short.append(TestData.document("S\(i)", words: 10 + (i * 13) % 50, seed: 1000 + i)) }
        try TestData.write(TestData.jsonl(Array(long[..<30])), to: corpus + "/long/a.jsonl")
        try TestData.write(TestData.jsonl(Array(long[30...])), to: corpus + "/long/b.jsonl")
        try TestData.write(TestData.jsonl(Array(short[..<300])), to: corpus + "/short/a.jsonl")
        try TestData.write(TestData.jsonl(Array(short[300...])), to: corpus + "/short/b.jsonl")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: corpus) }

    func recipe(shardSize: Int = 1 << 14, compression: String = "none", stage2: Bool = true) -> String {
        var text = """
            name: test
            seed: 11
            tokenizer: \(TestData.tokenizer)
            output: {shard_size: \(shardSize), compression: \(compression)}
            stages:
              - name: s1
                sequence_length: 512
                tokens: 40000
                sources:
                  - {name: long, input: "jsonl:\(corpus)/long", proportion: 0.6, packing: long}
                  - {name: short, input: "jsonl:\(corpus)/short", proportion: 0.4, max_epochs: 3}

            """
        if stage2 {
            text += """
                  - name: s2
                    sequence_length: 1024
                    tokens: 30000
                    sources:
                      - {name: long-1k, domain: long, input: "jsonl:\(corpus)/long", proportion: 0.3, packing: long}
                      - {name: long-256, domain: long, input: "jsonl:\(corpus)/long", proportion: 0.3, packing: long, piece_length: 256}
                      - {name: short, input: "jsonl:\(corpus)/short", proportion: 0.4, packing: sft, max_epochs: 3}

                """
        }
        return text
    }

    func testBuildIsDeterministicAndReadsBackAsTheManifestSays() throws {
        let a = try TestData.tempDirectory(), b = try TestData.tempDirectory()
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let manifest = try XCTUnwrap(try TestData.build(recipe(), out: a, threads: 2))
        _ = try TestData.build(recipe(), out: b, threads: 1)
        try TestData.assertSameTree(a, b)

        for stage in manifest.stages {
            let totals = try DataInspector.totals(of: a + "/" + stage.name)
            XCTAssertEqual(totals.values.reduce(0) { $0 + $1.tokens }, stage.tokens)
            for source in stage.sources {
                let own = try DataInspector.totals(of: a + "/" + stage.name + "/" + source.name)
                XCTAssertEqual(own[source.domain]?.tokens ?? 0, source.tokens, source.name)
                XCTAssertEqual(source.sequences, source.tokens / stage.sequenceLength)
                // Accepted tokens are all accounted for.
                XCTAssertEqual(source.documentTokens, source.tokens + source.droppedTokens + source.partialTokensDiscarded + source.overBudgetTokens, source.name)
                XCTAssertEqual(source.requestedTokens, Int((Double(stage.requestedTokens) * source.requestedProportion / Double(stage.sequenceLength)).rounded()) * stage.sequenceLength)
            }
        }
        let s1 = manifest.stages[0]
        XCTAssertEqual(s1.sources.map(\.tokens), s1.sources.map(\.requestedTokens), "budgets met exactly")
        XCTAssertEqual(s1.sources[0].achievedProportion, 0.6, accuracy: 0.02)
        XCTAssertFalse(FileManager.default.fileExists(atPath: a + "/.state/s1.0.checkpoint.json"))
    }

    func testPackedDocumentsDecodeBackToTheirSourceText() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try TestData.build(recipe(stage2: false), out: out)
        let tokenizer = try Tokenizer.load(path: TestData.tokenizer)
        let dataset = try MDSDataset(directory: out + "/s1/short")
        // Pretrain packing: concatenating every span in order gives back the documents in order.
        var stream: [UInt32] = []
        for i in 0..<dataset.count {
            let sample = try dataset.sample(at: i)
            let ids = try XCTUnwrap(sample["input_ids"]?.arrayValue?.uint32Values)
            let spans = try XCTUnwrap(sample["indices"]?.arrayValue?.int64Values)
            XCTAssertEqual(sample["indices"]?.arrayValue?.shape.last, 2)
            XCTAssertEqual(spans.first, 0)
            XCTAssertEqual(spans.last, Int64(ids.count))
            stream += ids
        }
        let text = tokenizer.decode(stream)
        XCTAssertTrue(text.hasPrefix(TestData.document("S0", words: 10, seed: 1000)), String(text.prefix(80)))
        XCTAssertTrue(text.contains("S1 "))
    }

    func testResumeAfterAKillEqualsAnUninterruptedRun() throws {
        let reference = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: reference) }
        _ = try TestData.build(recipe(compression: "zstd"), out: reference)
        for (unitToKill, killAt) in [("s1.0", 1), ("s1.0", 3), ("s1.0", 5), ("s2.0", 1), ("s2.0", 2), ("s2.1", 2)] {
            let out = try TestData.tempDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            var killed = false
            XCTAssertThrowsError(try TestData.build(recipe(compression: "zstd"), out: out) { unit, n in
                if unit == unitToKill && n == killAt { killed = true; throw SimulatedKill() }
            })
            XCTAssertTrue(killed, "\(unitToKill) \(killAt)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/.state/\(unitToKill).checkpoint.json"))
            // A half-written shard from the moment of the kill must not survive the resume.
            let stream = unitToKill == "s1.0" ? "/s1/long" : unitToKill == "s2.0" ? "/s2/long-1k" : "/s2/short"
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: out + stream + "/shard.09999.mds.tmp-1"))
            _ = try TestData.build(recipe(compression: "zstd"), out: out)
            try TestData.assertSameTree(reference, out)
        }
    }

    /// Checkpoints (one after every shard) must not change the shard layout: each stream's shards are the ones a
    /// single MDSWriter writes from the same samples in one go, after a kill and resume too.
    func testShardsAreThoseOfOneUninterruptedWriter() throws {
        let fresh = try TestData.tempDirectory(), resumed = try TestData.tempDirectory(), rewritten = try TestData.tempDirectory()
        defer { for d in [fresh, resumed, rewritten] { try? FileManager.default.removeItem(atPath: d) } }
        let text = recipe(shardSize: 1 << 13, stage2: false)
        _ = try TestData.build(text, out: fresh)
        XCTAssertThrowsError(try TestData.build(text, out: resumed) { unit, n in if n == 2 { throw SimulatedKill() } })
        _ = try TestData.build(text, out: resumed)
        for stream in ["s1/long", "s1/short"] {
            let dataset = try MDSDataset(directory: fresh + "/" + stream)
            XCTAssertGreaterThan(dataset.index.shards.count, 2, stream)
            let writer = try MDSWriter(directory: rewritten + "/" + stream, columns: dataset.columns, sizeLimit: 1 << 13)
            try dataset.forEachSample { try writer.write(sample: $0) }
            try writer.finish()
            for build in [fresh, resumed] {
                let names = try FileManager.default.contentsOfDirectory(atPath: rewritten + "/" + stream).sorted()
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: build + "/" + stream).sorted(), names, stream)
                for name in names {
                    XCTAssertEqual(FileManager.default.contents(atPath: build + "/" + stream + "/" + name),
                                   FileManager.default.contents(atPath: rewritten + "/" + stream + "/" + name), "\(build) \(stream)/\(name)")
                }
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: resumed + "/.state").filter { $0.hasSuffix(".buffer") }, [],
                       "buffer files are removed once the unit completes")
    }

    func testWorkerPartsMergeIntoTheSingleRun() throws {
        let single = try TestData.tempDirectory(), merged = try TestData.tempDirectory()
        let parts = try (0..<3).map { _ in try TestData.tempDirectory() }
        defer { for d in [single, merged] + parts { try? FileManager.default.removeItem(atPath: d) } }
        _ = try TestData.build(recipe(), out: single)
        for (i, part) in parts.enumerated() { XCTAssertNil(try TestData.build(recipe(), out: part, worker: i, workers: 3)) }
        XCTAssertThrowsError(try DataMerge.merge(parts: Array(parts.prefix(2)), output: merged + "/x", toolVersion: "0")) { error in
            XCTAssertTrue("\(error)".contains("not complete in any part"), "\(error)")
        }
        try DataMerge.merge(parts: parts, output: merged + "/out", toolVersion: "0")
        try TestData.assertSameTree(single, merged + "/out")
    }

    func testARerunWithAnotherRecipeIsRefused() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try TestData.build(recipe(stage2: false), out: out)
        XCTAssertThrowsError(try TestData.build(recipe(), out: out)) { XCTAssertTrue("\($0)".contains("different recipe"), "\($0)") }
    }

    func testSplitSourcesDrawDistinctDocuments() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try TestData.build(recipe(), out: out)
        let tokenizer = try Tokenizer.load(path: TestData.tokenizer)
        func documentIDs(_ dir: String) throws -> Set<String> {
            let dataset = try MDSDataset(directory: dir)
            var ids = Set<String>()
            for i in 0..<dataset.count {
                let text = tokenizer.decode(try XCTUnwrap(dataset.sample(at: i)["input_ids"]?.arrayValue?.uint32Values))
                for match in text.matches(of: /L\d+\s/) { ids.insert(String(text[match.range])) }
            }
            return ids
        }
        let full = try documentIDs(out + "/s2/long-1k"), pieces = try documentIDs(out + "/s2/long-256")
        XCTAssertFalse(full.isEmpty)
        XCTAssertFalse(pieces.isEmpty)
        XCTAssertTrue(full.isDisjoint(with: pieces), "\(full.intersection(pieces))")
        let sample = try MDSDataset(directory: out + "/s2/long-256").sample(at: 0)
        XCTAssertEqual(sample["indices"]?.arrayValue?.int64Values, [0, 256, 256, 512, 512, 768, 768, 1024])
    }

    func testPerSourceUpsamplingKeepsShortDocumentsWithTheGivenProbability() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // Short documents are < 100 tokens, long ones > 600: threshold 300 splits them.
        let text = """
            name: fu
            seed: 5
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 256
                tokens: 10000000
                upsampling: {mode: per_source, threshold: 300, keep_probability: 0.25}
                sources:
                  - {name: mixed, inputs: ["jsonl:\(corpus)/short", "jsonl:\(corpus)/long"], proportion: 1.0}
            """
        let manifest = try XCTUnwrap(try TestData.build(text, out: out))
        let input = manifest.stages[0].inputs[0]
        let dropped = input.filtered.values.reduce(0, +)
        XCTAssertEqual(input.documentsRead, 660)
        XCTAssertEqual(Double(600 - dropped) / 600, 0.25, accuracy: 0.06)  // short kept w.p. 0.25
        XCTAssertEqual(manifest.stages[0].sources[0].documentsUsed, 660 - dropped)  // every long document kept
    }

    func testGlobalModeShiftsTokensTowardTheLongDomain() throws {
        func run(_ mode: String) throws -> Manifest {
            let out = try TestData.tempDirectory(mode)
            defer { try? FileManager.default.removeItem(atPath: out) }
            let text = """
                name: g
                tokenizer: \(TestData.tokenizer)
                stages:
                  - name: s
                    sequence_length: 256
                    tokens: 20000
                    upsampling: {mode: \(mode), threshold: 300, keep_probability: 0.1}
                    sources:
                      - {name: long, input: "jsonl:\(corpus)/long", proportion: 0.5, max_epochs: 10}
                      - {name: short, input: "jsonl:\(corpus)/short", proportion: 0.5, max_epochs: 10}
                """
            return try XCTUnwrap(try TestData.build(text, out: out))
        }
        let global = try run("global"), perSource = try run("per_source")
        XCTAssertEqual(global.stages[0].sequences, 78)
        XCTAssertGreaterThan(global.stages[0].sources[0].achievedProportion, 0.75)
        XCTAssertEqual(perSource.stages[0].sources[0].achievedProportion, 0.5, accuracy: 0.01)
    }

    func testBadInputIsCountedWithItsLocationAndStrictStops() throws {
        let bad = corpus + "/bad.jsonl"
        var bytes = Array("{\"text\": \"good one \(TestData.document("G", words: 300, seed: 1))\"}\n{\"text\": 5}\n{broken\n{\"other\": \"x\"}\n{\"text\": \"   \"}\n".utf8)
        bytes += [0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A]  // {"t":"\xFF"}
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let text = """
            name: bad
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 64
                tokens: 64000
                sources:
                  - {name: x, input: "jsonl:\(bad)", proportion: 1}
            """
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let manifest = try XCTUnwrap(try TestData.build(text, out: out))
        let skipped = manifest.stages[0].inputs[0].skipped
        XCTAssertEqual(skipped.map(\.line), [2, 3, 4, 5, 6])
        XCTAssertEqual(skipped.map { $0.reason.prefix(12) }, ["text field \"", "malformed JS", "missing text", "empty", "invalid UTF-"])
        XCTAssertEqual(manifest.stages[0].inputs[0].files.first?.skipped, 5)
        XCTAssertThrowsError(try TestData.build(text, out: out + "-strict", strict: true)) { error in
            XCTAssertTrue("\(error)".contains("bad.jsonl:2"), "\(error)")
        }
        try? FileManager.default.removeItem(atPath: out + "-strict")
    }

    func testRunOutIsReportedNotSilent() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let text = """
            name: short-of-data
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 512
                tokens: 10000000
                sources:
                  - {name: short, input: "jsonl:\(corpus)/short", proportion: 1, max_epochs: 2}
            """
        let manifest = try XCTUnwrap(try TestData.build(text, out: out))
        let source = manifest.stages[0].sources[0]
        XCTAssertTrue(source.exhausted)
        XCTAssertEqual(source.epochs, 2)
        XCTAssertEqual(manifest.stages[0].inputs[0].documentsRead, 1200)
        XCTAssertTrue(manifest.warnings.contains { $0.contains("ran out after 2 epoch") }, "\(manifest.warnings)")
    }

    func testTokenizedMDSOutputIsAnInputForANewMixture() throws {
        let first = try TestData.tempDirectory(), second = try TestData.tempDirectory()
        defer { for d in [first, second] { try? FileManager.default.removeItem(atPath: d) } }
        let m1 = try XCTUnwrap(try TestData.build(recipe(stage2: false), out: first))
        let text = """
            name: repack
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: r
                sequence_length: 2048
                tokens: 6144
                sources:
                  - {name: short, input: "\(first)/s1/short", proportion: 1}
            """
        let m2 = try XCTUnwrap(try TestData.build(text, out: second))
        XCTAssertGreaterThan(m2.stages[0].inputs[0].documentsRead, m1.stages[0].sources[1].sequences)  // one per span
        XCTAssertEqual(m2.stages[0].sequences, 3)
        // Re-packing the spans of the first build reproduces its token stream.
        func stream(_ dir: String) throws -> [UInt32] {
            let d = try MDSDataset(directory: dir)
            return try (0..<d.count).flatMap { try XCTUnwrap(d.sample(at: $0)["input_ids"]?.arrayValue?.uint32Values) }
        }
        XCTAssertEqual(try stream(second + "/r/short"), Array(try stream(first + "/s1/short").prefix(6144)))
    }

    func testParquetInputsBuildLikeFineWeb() throws {
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let file = TestData.repoRoot + "/Tests/Fixtures/parquet/fineweb_like.parquet"
        let text = """
            name: parquet
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 128
                tokens: 100000000
                sources:
                  - {name: fineweb, input: "\(file)", proportion: 1, metadata_fields: [url]}
            """
        let manifest = try XCTUnwrap(try TestData.build(text, out: out))
        let input = manifest.stages[0].inputs[0]
        XCTAssertEqual(input.documentsRead + input.skipped.count, 120)
        XCTAssertEqual(input.files.first?.path, file)
        XCTAssertGreaterThan(manifest.stages[0].sequences, 0)
        XCTAssertTrue(manifest.stages[0].sources[0].exhausted)
    }
}
