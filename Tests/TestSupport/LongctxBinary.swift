import Foundation
import XCTest

/// The `longctx` binary that `swift build --build-tests` puts beside the test bundle, for the tests that run the
/// real command line (one copy for every test target).
public enum LongctxBinary {
    /// The repository's root (this file is Tests/TestSupport/LongctxBinary.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The binary beside this test bundle (any scratch path), else .build/debug's; skips the test when neither exists.
    public static func path() throws -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidates = [URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("longctx").path,
                          repoRoot + "/.build/debug/longctx"]
        if let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return binary }
        throw XCTSkip("the longctx binary is not built (swift build --build-tests builds it)")
    }

    /// Starts `longctx ARGUMENTS` with its output discarded: a run the test waits for, or kills.
    public static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
