import Foundation
import XCTest

/// Skips the test when a downloaded asset file is missing, unless LONGCTX_REQUIRE_ASSETS is set (the test
/// script sets it; then the test fails as well).
public func requireAssetFile(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
    var isDirectory: ObjCBool = false
    guard !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || isDirectory.boolValue else { return }
    if ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] != nil {
        XCTFail("\(path) is missing: run scripts/setup-assets.sh", file: file, line: line)
    }
    throw XCTSkip("\(path) is missing: run scripts/setup-assets.sh")
}
