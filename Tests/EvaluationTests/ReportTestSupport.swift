import Foundation
import TestSupport
import XCTest
@testable import Evaluation

/// Run directories, records and PNG parsing shared by the report tests.
enum ReportTestSupport {
    /// The package root (three levels above this file): fixtures and scripts live there.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "report-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func record(_ task: String = "niah", length: Int, depth: Double? = nil, score: Double,
                       extra: EvalScores = [:], fields: [String: String] = [:], id: String? = nil) -> EvalRecord {
        var scores = extra
        scores["score"] = score
        let name = id ?? "\(task)/len=\(length)/depth=\(depth.map { String($0) } ?? "-")/\(UUID().uuidString.prefix(6))"
        return EvalRecord(id: name, task: task, contextLength: length, depth: depth, promptHash: "00", promptTokens: length,
                          output: "out", scores: scores, fields: fields)
    }

    static func info(_ label: String, task: String = "niah", trainedLength: Int? = nil) -> EvalRunInfo {
        EvalRunInfo(label: label, task: task, target: "models/\(label)", trainedLength: trainedLength, seed: 7,
                    settings: [:])
    }

    /// JSON lines as the runner writes them: one record a line, each ending in a newline.
    static func jsonLines(_ records: [EvalRecord]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    /// A run directory with run.json and samples.jsonl (`samplesSuffix` appended raw, e.g. a cut-off line).
    @discardableResult
    static func writeRun(_ directory: String, info: EvalRunInfo, records: [EvalRecord], samplesSuffix: String = "") throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(info).write(to: URL(fileURLWithPath: directory + "/run.json"))
        try Data((try jsonLines(records) + samplesSuffix).utf8).write(to: URL(fileURLWithPath: directory + "/samples.jsonl"))
        return directory
    }

    /// A NIAH-style run: every (length, depth) with one sample whose score `score(length, depth)` gives.
    static func gridRecords(lengths: [Int], depths: [Double], score: (Int, Double) -> Double) -> [EvalRecord] {
        lengths.flatMap { length in depths.map { record(length: length, depth: $0, score: score(length, $0)) } }
    }

    // MARK: PNG, checked with code independent of the writer (bitwise CRC, own unfiltering).

    struct PNGChunk {
        var type: String
        var data: [UInt8]
        var storedCRC: UInt32
    }

    /// CRC-32 (ISO 3309 / PNG), bit by bit: an implementation separate from the one the writer uses.
    static func crc32Bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func chunks(_ png: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [PNGChunk] {
        var chunks: [PNGChunk] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(bigEndian(png[offset..<(offset + 4)]))
            guard offset + 12 + length <= png.count else {
                XCTFail("chunk at \(offset) runs past the end", file: file, line: line)
                return chunks
            }
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = bigEndian(png[(offset + 8 + length)..<(offset + 12 + length)])
            chunks.append(PNGChunk(type: type, data: data, storedCRC: crc))
            offset += 12 + length
        }
        XCTAssertEqual(offset, png.count, "bytes after the last chunk", file: file, line: line)
        return chunks
    }

    /// Reverses PNG filtering (all five filter types) of 8-bit RGB scanlines.
    static func unfilter(_ data: [UInt8], width: Int, height: Int, channels: Int = 3) throws -> [UInt8] {
        let stride = width * channels
        var out = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = data[row * (stride + 1)]
            for column in 0..<stride {
                let raw = data[row * (stride + 1) + 1 + column]
                let left = column >= channels ? Int(out[row * stride + column - channels]) : 0
                let up = row > 0 ? Int(out[(row - 1) * stride + column]) : 0
                let upLeft = row > 0 && column >= channels ? Int(out[(row - 1) * stride + column - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
                    predictor = pa <= pb && pa <= pc ? left : (pb <= pc ? up : upLeft)
                default: throw EvalReportError("row \(row): unknown PNG filter \(filter)")
                }
                out[row * stride + column] = UInt8((Int(raw) + predictor) & 0xFF)
            }
        }
        return out
    }

    // MARK: Python

    /// A Python 3 for the PNG check script: LONGCTX_REPORT_PYTHON, the torch venv, else python3 on the system.
    static var python: String? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["LONGCTX_REPORT_PYTHON"], repoRoot + "/.venv-torch/bin/python", "/usr/bin/python3",
                          "/usr/local/bin/python3"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func requirePython() throws -> String {
        if let python { return python }
        if ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" {
            XCTFail("LONGCTX_REQUIRE_ASSETS=1 but no python3 was found")
        }
        throw XCTSkip("no python3 to run scripts/check_report_png.py")
    }

    /// Runs `python scripts/<script> args…`, returning stdout; a non-zero exit fails the test with stderr.
    static func runScript(_ script: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let run = try runProgram(try requirePython(), [repoRoot + "/scripts/" + script] + args)
        XCTAssertEqual(run.status, 0, String(run.stderr.suffix(4000)), file: file, line: line)
        return run.stdout
    }
}
