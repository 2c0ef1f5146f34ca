import Foundation

/// A run directory read back: `run.json` and every complete line of `samples.jsonl`, plus notes about what was
/// skipped (a truncated last line from a killed run) so reports can say so.
public struct LoadedEvalRun: Sendable, Equatable {
    public static let infoFileName = "run.json"
    public static let samplesFileName = "samples.jsonl"

    public var directory: String
    public var info: EvalRunInfo
    public var records: [EvalRecord]
    /// Human-readable notes, e.g. "samples.jsonl:13: ignored a truncated last line ...".
    public var notes: [String]

    public init(directory: String, info: EvalRunInfo, records: [EvalRecord], notes: [String] = []) {
        self.directory = directory
        self.info = info
        self.records = records
        self.notes = notes
    }

    /// Reads `run.json` and `samples.jsonl` of `runDirectory`. A line that is not a valid record throws, naming the
    /// file and line; only a last line with no newline (a write cut short) is skipped, and noted in `notes`.
    public init(runDirectory: String) throws {
        let infoPath = (runDirectory as NSString).appendingPathComponent(Self.infoFileName)
        let samplesPath = (runDirectory as NSString).appendingPathComponent(Self.samplesFileName)
        let info = try Self.readInfo(path: infoPath)
        let (records, notes) = try Self.readRecords(path: samplesPath)
        self.init(directory: runDirectory, info: info, records: records, notes: notes)
    }

    static func readInfo(path: String) throws -> EvalRunInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalReportError("\(path): cannot read the run description (is this a run directory?)")
        }
        do {
            return try JSONDecoder().decode(EvalRunInfo.self, from: data)
        } catch let error as DecodingError {
            throw EvalReportError("\(path): not a run description: \(Self.describe(error))")
        }
    }

    /// Parses JSON lines; blank lines are allowed (an editor's trailing newline), anything else must decode.
    static func readRecords(path: String) throws -> ([EvalRecord], [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalReportError("\(path): cannot read the samples of the run")
        }
        let newline = UInt8(ascii: "\n")
        let bytes = [UInt8](data)
        let decoder = JSONDecoder()
        var records: [EvalRecord] = []
        var notes: [String] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newlineIndex = bytes[lineStart...].firstIndex(of: newline)
            let lineEnd = newlineIndex ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                continue
            }
            do {
                records.append(try decoder.decode(EvalRecord.self, from: Data(line)))
            } catch {
                let reason = (error as? DecodingError).map(Self.describe) ?? "\(error)"
                if newlineIndex == nil {
                    // The runner writes whole lines; a last line without its newline was cut off by a kill.
                    notes.append("\(path):\(lineNumber): ignored a truncated last line (\(line.count) bytes, no "
                        + "newline; the run was probably stopped while writing it): \(reason)")
                    break
                }
                throw EvalReportError("\(path):\(lineNumber): not a sample record: \(reason)")
            }
        }
        return (records, notes)
    }

    /// A decoding error in a few words: what went wrong and where inside the JSON object.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let names = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the top level" : "'" + names.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing key '\(key.stringValue)'\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type (expected \(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null, expected a \(type)"
        case .dataCorrupted(let context):
            // JSONSerialization puts the position of a syntax error in the debug description.
            let detail = context.underlyingError.flatMap { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String }
            let underlying = detail.map { " (\($0))" } ?? ""
            return "invalid JSON at \(path(context.codingPath))\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
