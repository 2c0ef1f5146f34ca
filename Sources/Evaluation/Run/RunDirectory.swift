import Formats
import Foundation

/// A run's files: run.json (what was run), samples.jsonl (one EvalRecord per finished sample, appended and
/// flushed one at a time, so a killed run loses at most the sample in flight).
public struct RunDirectory: Sendable {
    public let path: String
    public var infoPath: String { path + "/run.json" }
    public var samplesPath: String { path + "/samples.jsonl" }

    public init(_ path: String) { self.path = path }

    /// Creates the directory and run.json, or checks that an existing run.json describes the same run.
    public func prepare(_ info: EvalRunInfo) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: infoPath) {
            let existing = try JSONDecoder().decode(EvalRunInfo.self, from: Data(contentsOf: URL(fileURLWithPath: infoPath)))
            guard existing.task == info.task, existing.target == info.target, existing.seed == info.seed,
                  existing.settings == info.settings else {
                throw EvalTaskError("\(infoPath) describes another run (task \(existing.task), target \(existing.target), "
                    + "seed \(existing.seed), settings \(existing.settings)); use another --out directory")
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically(infoPath, parts: [Array(try encoder.encode(info)), [0x0A]])
    }

    /// Records already in samples.jsonl. A last line cut short by a kill is dropped (and the file truncated to the
    /// last complete line); any other bad line is an error naming the line.
    public func completedRecords() throws -> [EvalRecord] {
        guard FileManager.default.fileExists(atPath: samplesPath) else { return [] }
        let bytes = try readFileBytes(samplesPath)
        var records: [EvalRecord] = []
        var lineStart = 0, lineNumber = 0
        let decoder = JSONDecoder()
        while lineStart < bytes.count {
            lineNumber += 1
            guard let newline = bytes[lineStart...].firstIndex(of: 0x0A) else {
                // No newline: the write of this record never finished.
                try truncateSamples(to: lineStart)
                break
            }
            let line = bytes[lineStart..<newline]
            if !line.isEmpty {
                do {
                    records.append(try decoder.decode(EvalRecord.self, from: Data(line)))
                } catch {
                    throw EvalTaskError("\(samplesPath):\(lineNumber): not an evaluation record (\(error))")
                }
            }
            lineStart = newline + 1
        }
        return records
    }

    private func truncateSamples(to length: Int) throws {
        guard truncate(samplesPath, off_t(length)) == 0 else {
            throw EvalTaskError("\(samplesPath): cannot cut the unfinished last line (errno \(errno))")
        }
    }

    /// Appends one record as a line and flushes it to disk.
    public func append(_ record: EvalRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: samplesPath) {
            FileManager.default.createFile(atPath: samplesPath, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: samplesPath))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }
}
