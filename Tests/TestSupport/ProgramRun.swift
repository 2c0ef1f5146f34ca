import Foundation

/// What a finished program left: exit status (or the signal that ended it), stdout and stderr.
public struct ProgramOutcome {
    public var status: Int32
    public var signalled: Bool
    public var stdout: Data
    public var stderr: String

    public var succeeded: Bool { status == 0 && !signalled }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a program to its end. stderr goes to a temporary file, so a chatty child (progress bars) cannot fill a
/// pipe and stall. `environment` entries are added to this process's own.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProgramOutcome {
    let errorPath = NSTemporaryDirectory() + "longctx-stderr-\(getpid())-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errorPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProgramOutcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                          stdout: data, stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
}
