import Foundation
import XCTest
@testable import Model

/// Our RoPE against transformers' own numbers (Tests/Fixtures/rope, from scripts/make_rope_fixtures.py).
/// Tolerances: inverse frequencies within 1e-6 relative (8 float32 ulps; what differs is torch's
/// vectorized powf against glibc's, at most 2 ulps seen) and at least 95% of them bit-exact;
/// attention factors, computed in doubles by both, within 1e-12; cos/sin rows built from
/// transformers' own inverse frequencies within 2e-6 absolute.
final class RoPEFixtureTests: XCTestCase {
    struct Fixture {
        let name: String
        let config: ConfigJSON
        let lengths: [ConfigJSON]
        let transformers4: ConfigJSON?
    }

    static func fixtures() throws -> [Fixture] {
        let directory = ModelTestData.fixtures + "/rope"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let json = try ConfigJSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
            return Fixture(name: name, config: json["config"]!, lengths: json["lengths"]!.arrayValue!, transformers4: json["transformers4"])
        }
    }

    func testFixturesCoverEveryRoPETypeAndBothForms() throws {
        let fixtures = try Self.fixtures()
        XCTAssertGreaterThanOrEqual(fixtures.count, 20)
        let types = Set(try fixtures.map { try LlamaConfig(json: $0.config).rope.scaling.typeName })
        XCTAssertEqual(types, Set(RoPEScaling.typeNames))
        XCTAssertTrue(fixtures.contains { $0.config["rope_parameters"] != nil })
        XCTAssertTrue(fixtures.contains { $0.config["rope_scaling"] != nil })
    }

    func testInverseFrequenciesAndAttentionFactorMatchTransformers5() throws {
        var exact = 0, total = 0
        for fixture in try Self.fixtures() {
            let rope = try LlamaConfig(json: fixture.config, file: fixture.name).rope
            for length in fixture.lengths {
                let sequenceLength = length["seq_len"]?.intValue
                let ours = rope.frequencies(sequenceLength: sequenceLength)
                let label = "\(fixture.name) seq_len \(sequenceLength.map(String.init) ?? "init")"
                // What the model's rotary embedding really used after its forward pass.
                try assertMatches(ours, length["model"]!, label + " (model)")
                // The init function called with an int length computes dynamic NTK's base in doubles,
                // the model's forward in float32; both must agree with ours within tolerance.
                if let initValues = length["init"] { try assertMatches(ours, initValues, label + " (init)") }
                let theirs = Self.floats(length["model"]!["inv_freq"]!)
                exact += zip(ours.inverseFrequencies, theirs).filter { $0 == $1 }.count
                total += theirs.count
            }
        }
        XCTAssertGreaterThanOrEqual(Double(exact) / Double(total), 0.95, "\(exact) of \(total) bit-exact")
    }

    func testOurTransformers4ReadingMatchesTransformers4() throws {
        var compared = 0, refused = 0
        for fixture in try Self.fixtures() {
            guard let theirs = fixture.transformers4 else { continue }
            let config = try LlamaConfig(json: fixture.config)
            let reading = Result { try RoPEConfiguration(config: fixture.config, headDim: config.headDim,
                                                         maxPositionEmbeddings: config.maxPositionEmbeddings, reading: .v4) }
            if theirs["error"] != nil {
                XCTAssertThrowsError(try reading.get(), fixture.name)
                refused += 1
                continue
            }
            let rope = try reading.get()
            for length in theirs["lengths"]!.arrayValue! {
                let sequenceLength = length["seq_len"]?.intValue
                try assertMatches(rope.frequencies(sequenceLength: sequenceLength), length["model"]!,
                                  "\(fixture.name) transformers4 seq_len \(sequenceLength.map(String.init) ?? "init")")
                compared += 1
            }
        }
        try XCTSkipIf(compared == 0 && refused == 0, "fixtures made without .venv-mds")
        XCTAssertGreaterThan(compared, 20)
    }

    func testCosSinTablesMatchTheRotaryEmbeddingOutput() throws {
        var checked = 0
        for fixture in try Self.fixtures() {
            for length in fixture.lengths {
                guard let positions = length["positions"]?.arrayValue?.compactMap(\.intValue) else { continue }
                let model = length["model"]!
                let frequencies = RoPEFrequencies(inverseFrequencies: Self.floats(model["inv_freq"]!),
                                                  attentionFactor: model["attention_factor"]!.doubleValue!)
                let tables = frequencies.tables(positions: positions)
                for (name, rows, values) in [("cos", length["cos"]!, tables.cos), ("sin", length["sin"]!, tables.sin)] {
                    let expected = rows.arrayValue!.flatMap(Self.floats)
                    XCTAssertEqual(expected.count, values.count, fixture.name)
                    let worst = zip(expected, values).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertLessThanOrEqual(worst, 2e-6, "\(fixture.name) \(name) worst difference \(worst)")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, try Self.fixtures().count)
    }

    /// float32 values written as their shortest decimals: read straight into Float (no double rounding).
    static func floats(_ list: ConfigJSON) -> [Float] {
        list.arrayValue!.map { item in
            guard case let .number(literal) = item, let value = Float(literal) else { fatalError("not a number: \(item)") }
            return value
        }
    }

    /// End to end: our tables for the fixture's positions, with the frequencies we pick for them
    /// (sequence length = max position + 1), wherever our inverse frequencies are bit-exact (otherwise
    /// a 1-ulp frequency difference times a position near 1e6 moves the angle visibly).
    func testOurTablesMatchWhereFrequenciesAreBitExact() throws {
        var checked = 0
        for fixture in try Self.fixtures() {
            guard let length = fixture.lengths.last, let positions = length["positions"]?.arrayValue?.compactMap(\.intValue) else { continue }
            let rope = try LlamaConfig(json: fixture.config).rope
            guard rope.frequencies(sequenceLength: positions.max()! + 1).inverseFrequencies == Self.floats(length["model"]!["inv_freq"]!) else { continue }
            let tables = rope.tables(positions: positions)
            XCTAssertEqual(tables.positionCount, positions.count)
            for (values, rows) in [(tables.cos, length["cos"]!), (tables.sin, length["sin"]!)] {
                let worst = zip(values, rows.arrayValue!.flatMap(Self.floats)).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 2e-6, fixture.name)
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 15)
    }

    func assertMatches(_ ours: RoPEFrequencies, _ theirs: ConfigJSON, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = Self.floats(try XCTUnwrap(theirs["inv_freq"]))
        XCTAssertEqual(ours.inverseFrequencies.count, expected.count, label, file: file, line: line)
        var worst: Float = 0, exact = 0
        for (a, b) in zip(ours.inverseFrequencies, expected) {
            worst = max(worst, abs(a - b) / abs(b))
            if a == b { exact += 1 }
        }
        XCTAssertLessThanOrEqual(worst, 1e-6, "\(label): worst relative difference \(worst), \(exact)/\(expected.count) exact", file: file, line: line)
        let factor = try XCTUnwrap(theirs["attention_factor"]?.doubleValue)
        XCTAssertEqual(ours.attentionFactor, factor, accuracy: 1e-12 * max(1, factor), label, file: file, line: line)
    }
}
