import Foundation
import XCTest
@testable import Corpus

/// ParquetReader against files written by pyarrow (scripts/make_parquet_fixtures.py), whose
/// expected .jsonl is pyarrow's own reading of each file.
final class ParquetReaderTests: XCTestCase {
    static let fixtures: String = {
        let file = String(#filePath)
        let tests = file[..<file.lastIndex(of: "/")!]  // Tests/CorpusTests
        return String(tests[..<tests.lastIndex(of: "/")!]) + "/Fixtures/parquet/"
    }()

    static let basicColumns = ["name", "id64", "id32", "small", "u32", "u64", "flag", "score", "ratio"]
    static let fixtureColumns: [String: [String]] = [
        "snappy_dict_v1": basicColumns, "zstd_plain_v2": basicColumns, "gzip_dict_v2": basicColumns,
        "none_plain_v1_required": basicColumns, "snappy_dict_fallback": basicColumns,
        "delta_v2": basicColumns, "delta_v1_zstd": basicColumns,
        "long_text_snappy": [], "binary_text": ["n"],
        "fineweb_like": ["id", "dump", "url", "date", "file_path", "language", "language_score", "token_count"],
    ]

    func testEveryFixtureMatchesPyarrow() throws {
        for (name, columns) in Self.fixtureColumns.sorted(by: { $0.key < $1.key }) {
            let path = Self.fixtures + name + ".parquet"
            // A requested column the file lacks is simply absent from metadata.
            let reader = ParquetReader(path: path, options: .init(metadataFields: columns + ["absent"]))
            var documents = try reader.readAll()[...]
            var skips = reader.skipped[...]
            for line in try String(contentsOfFile: Self.fixtures + name + ".jsonl", encoding: .utf8).split(separator: "\n") {
                let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let row = try XCTUnwrap(expected["row"] as? Int)
                let text = expected["text"] as? String
                let reason: String? =
                    expected["invalid_utf8"] != nil ? "invalid UTF-8"
                    : expected["text_bytes"] == nil && text == nil ? "text is null"
                    : text.map { $0.utf8.allSatisfy { " \t\n\r".utf8.contains($0) } } == true ? "empty" : nil
                if let reason {
                    XCTAssertEqual(skips.popFirst(), SkipRecord(file: path, line: row, reason: reason), "\(name):\(row)")
                    continue
                }
                let document = try XCTUnwrap(documents.popFirst(), "\(name):\(row) missing")
                if let text {
                    XCTAssertEqual(Array(document.text.utf8), Array(text.utf8), "\(name):\(row)")  // bytes, not canonical equivalence
                } else {
                    XCTAssertEqual(document.text.utf8.count, expected["text_bytes"] as? Int, "\(name):\(row)")
                    XCTAssertEqual(String(stableHash(document.text), radix: 16), expected["text_fnv1a"] as? String, "\(name):\(row)")
                }
                XCTAssertEqual(document.location, "\(path):\(row)")
                XCTAssertEqual(document.source, path)
                XCTAssertEqual(document.metadata, expected["metadata"] as? [String: String], "\(name):\(row)")
            }
            XCTAssertTrue(documents.isEmpty, "\(name): extra documents")
            XCTAssertTrue(skips.isEmpty, "\(name): extra skips")
        }
    }

    func testFineWebLikeDocument() throws {
        let path = Self.fixtures + "fineweb_like.parquet"
        let reader = ParquetReader(path: path, options: .init(metadataFields: ["dump", "language_score", "token_count"]))
        let first = try XCTUnwrap(reader.next())
        XCTAssertTrue(first.text.hasPrefix("the "))
        XCTAssertEqual(first.metadata, ["dump": "CC-MAIN-2024-10", "language_score": "0.65", "token_count": "40"])
        XCTAssertEqual(try reader.readAll().count, 119)
    }

    func testSeveralFilesNumberRowsPerFileAndReportSkips() throws {
        let a = Self.fixtures + "binary_text.parquet", b = Self.fixtures + "long_text_snappy.parquet"
        let reader = ParquetReader(paths: [a, b])
        var seen: [SkipRecord] = []
        reader.onSkip = { seen.append($0) }
        let documents = try reader.readAll()
        XCTAssertEqual(documents.map(\.location), ["\(a):1", "\(a):7", "\(a):9", "\(b):1", "\(b):2", "\(b):3"])
        XCTAssertEqual(seen, reader.skipped)
        XCTAssertEqual(seen.map(\.description), [
            "\(a):2: empty", "\(a):3: empty", "\(a):4: text is null", "\(a):5: invalid UTF-8",
            "\(a):6: invalid UTF-8", "\(a):8: invalid UTF-8",
        ])
    }

    func testRowGroupsAreDecodedLazily() throws {
        let reader = ParquetReader(path: Self.fixtures + "snappy_dict_v1.parquet")
        XCTAssertEqual(reader.rowGroupsDecoded, 0)
        _ = try reader.next()
        XCTAssertEqual(reader.rowGroupsDecoded, 1, "the first document must not wait for later row groups")
        _ = try reader.readAll()
        XCTAssertEqual(reader.rowGroupsDecoded, 4)
    }

    func testColumnErrorsNameTheColumn() throws {
        let path = Self.fixtures + "nested.parquet"
        assertCorrupt(ParquetReader(path: path, options: .init(textField: "body")), path, "no column \"body\" for the document text")
        assertCorrupt(ParquetReader(path: path, options: .init(textField: "count")), path, "text column \"count\" is int64, not a string column")
        assertCorrupt(ParquetReader(path: path, options: .init(metadataFields: ["tags"])), path, "column \"tags\" is nested or repeated")
        assertCorrupt(ParquetReader(path: path, options: .init(metadataFields: ["info"])), path, "column \"info\" is nested or repeated")
        assertCorrupt(ParquetReader(path: path, options: .init(metadataFields: ["digest"])), path, "unsupported physical type fixedLenByteArray")
        let documents = try ParquetReader(path: path, options: .init(metadataFields: ["count"])).readAll()
        XCTAssertEqual(documents.map(\.metadata), [["count": "1"], ["count": "2"], ["count": "3"]])
    }

    func testUnsupportedCodecIsNamed() {
        let path = Self.fixtures + "lz4_unsupported.parquet"
        assertCorrupt(ParquetReader(path: path), path, "unsupported compression codec LZ4")
    }

    func testNonParquetInputs() throws {
        let directory = NSTemporaryDirectory() + "parquet-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = directory + "/notes.parquet", empty = directory + "/empty.parquet"
        try Data("{\"text\": \"json, not parquet\"}\n".utf8).write(to: URL(fileURLWithPath: text))
        try Data().write(to: URL(fileURLWithPath: empty))
        assertCorrupt(ParquetReader(path: text), text, "not a Parquet file")
        assertCorrupt(ParquetReader(path: empty), empty, "not a Parquet file")
        for path in [directory, directory + "/missing.parquet"] {
            XCTAssertThrowsError(try ParquetReader(path: path).readAll()) { error in
                guard case .cannotOpen(path, _)? = error as? ReaderError else { return XCTFail("\(error)") }
            }
        }
    }

    /// Every cut of a small file fails with an error naming it; none crashes or yields rows.
    func testTruncationAtManyOffsets() throws {
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "snappy_dict_v1.parquet")))
        let path = NSTemporaryDirectory() + "parquet-truncated-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cuts = Array(stride(from: 0, to: original.count, by: 97)) + (1...12).map { original.count - $0 }
        for cut in cuts {
            try Data(original[..<cut]).write(to: URL(fileURLWithPath: path))
            let reader = ParquetReader(path: path)
            XCTAssertThrowsError(try reader.readAll(), "cut at \(cut)") { error in
                XCTAssertTrue((error as? ReaderError)?.description.hasPrefix(path) == true, "\(error)")
            }
        }
    }

    static let corruptionRounds = 120

    /// Random byte damage must never crash: a ReaderError or rows (some maybe skipped) are fine.
    func testRandomCorruptionNeverCrashes() throws {
        var generator = SplitMix64(seed: 20_240_611)
        let path = NSTemporaryDirectory() + "parquet-corrupt-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var outcomes = (errors: 0, completed: 0)
        for name in ["snappy_dict_v1", "zstd_plain_v2", "gzip_dict_v2", "delta_v2", "none_plain_v1_required"] {
            let original = try Array(Data(contentsOf: URL(fileURLWithPath: Self.fixtures + name + ".parquet")))
            // Half the hits land in the footer (FileMetaData, length, magic), where thrift decodes.
            let footer = original.count - 8 - original[(original.count - 8)...].prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
            for _ in 0..<Self.corruptionRounds {
                var damaged = original
                for _ in 0...generator.next(below: 4) {
                    let start = generator.next(below: 2) == 0 ? 0 : footer
                    damaged[start + Int(generator.next(below: UInt64(damaged.count - start)))] = UInt8(truncatingIfNeeded: generator.next())
                }
                try Data(damaged).write(to: URL(fileURLWithPath: path))
                do {
                    _ = try ParquetReader(path: path, options: .init(metadataFields: Self.basicColumns)).readAll()
                    outcomes.completed += 1
                } catch let error as ReaderError {
                    XCTAssertTrue(error.description.hasPrefix(path), "\(error)")
                    outcomes.errors += 1
                }
            }
        }
        XCTAssertGreaterThan(outcomes.errors, 0)
        XCTAssertGreaterThan(outcomes.completed, 0)
    }

    private func assertCorrupt(_ reader: ParquetReader, _ path: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try reader.readAll(), line: line) { error in
            guard case let .corrupt(errorPath, format, _, text)? = error as? ReaderError else {
                return XCTFail("not a corrupt error: \(error)", line: line)
            }
            XCTAssertEqual(errorPath, path, line: line)
            XCTAssertEqual(format, "parquet", line: line)
            XCTAssertTrue(text.contains(message), "\(text)", line: line)
        }
    }
}
