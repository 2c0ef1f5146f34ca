import Foundation
import Formats
import TestSupport
import XCTest
@testable import Tokenization

/// Where committed fixtures and downloaded reference assets live.
enum TestPaths {
    static let repository: String = {
        // .../Tests/TokenizationTests/TestSupport.swift -> repository root
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let fixtures = repository + "/Tests/Fixtures"
    static var assets: String {
        if let env = getenv("LONGCTX_ASSETS") { return String(cString: env) }
        return repository + "/.assets"
    }

    /// Resolves a golden file's "path": "asset:x/y" under the assets directory, else under Fixtures.
    static func resolve(_ path: String) -> String {
        path.hasPrefix("asset:") ? assets + "/" + path.dropFirst("asset:".count) : fixtures + "/" + path
    }

}

/// Renders a string with invisible characters escaped, for failure messages.
func visible(_ s: String, limit: Int = 120) -> String {
    var out = ""
    for scalar in s.unicodeScalars.prefix(limit) {
        out += scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
            ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
    }
    return s.unicodeScalars.count > limit ? out + "…" : out
}

func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int? {
    for i in 0..<min(a.count, b.count) where a[i] != b[i] { return i }
    return a.count == b.count ? nil : min(a.count, b.count)
}

func littleEndianBytes(_ ids: [TokenID]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(ids.count * 4)
    for id in ids { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: id >> (8 * UInt32(i)))) } }
    return bytes
}

/// Runs the built CLI (the one beside the test bundle, whatever the scratch path) with `stdin`; skips when it is
/// not built.
func runCLI(_ arguments: [String], stdin: [UInt8]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try LongctxBinary.path())
    process.arguments = arguments
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(stdin))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

