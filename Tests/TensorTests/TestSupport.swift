import Foundation
import XCTest
@testable import Tensor

/// Shared helpers: the device under test, seeded data, Double references, finite differences, fixtures.
enum TestSupport {
    /// The CPU backend with 2 threads (more than one, so the parallel paths run).
    static let device: CPUDevice = {
        do { return try CPUDevice(threads: 2) } catch { fatalError("\(error)") }
    }()

    static let fixtureDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tensor")

    /// Parsed JSON of a fixture file in Tests/Fixtures/tensor.
    static func fixture(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtureDirectory.appendingPathComponent(name))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// SplitMix64: reproducible test data without Foundation's random sources.
struct SeededRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-scale, scale).
    mutating func uniform(_ scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in uniform(scale) }
    }

    mutating func int(below n: Int) -> Int { Int(next() % UInt64(n)) }
}

// MARK: - Comparisons

/// Asserts |actual - expected| <= atol + rtol * |expected| element by element; reports the worst element.
func assertClose(_ actual: [Float], _ expected: [Double], atol: Double, rtol: Double, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
    var worst = 0.0, worstIndex = -1
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let excess = abs(Double(a) - e) - (atol + rtol * abs(e))
        if !(excess <= worst) { worst = excess.isNaN ? .infinity : excess; worstIndex = i }
    }
    if worstIndex >= 0 {
        XCTFail("\(what): element \(worstIndex) is \(actual[worstIndex]), expected \(expected[worstIndex]) (atol \(atol), rtol \(rtol))",
                file: file, line: line)
    }
}

func assertClose(_ actual: [Float], _ expected: [Float], atol: Double, rtol: Double, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    assertClose(actual, expected.map(Double.init), atol: atol, rtol: rtol, what, file: file, line: line)
}

/// Gradient of sum(f(x) * weights) with respect to x by central differences in Double.
func numericGradient(at x: [Double], weights: [Double], step h: Double = 1e-5, _ f: ([Double]) -> [Double]) -> [Double] {
    var probe = x
    return x.indices.map { i in
        probe[i] = x[i] + h
        let plus = zip(f(probe), weights).reduce(0) { $0 + $1.0 * $1.1 }
        probe[i] = x[i] - h
        let minus = zip(f(probe), weights).reduce(0) { $0 + $1.0 * $1.1 }
        probe[i] = x[i]
        return (plus - minus) / (2 * h)
    }
}

extension Array where Element == Float {
    var doubles: [Double] { map(Double.init) }
}

extension Array where Element == Double {
    var floats: [Float] { map(Float.init) }
}

// MARK: - Fixture access

extension Dictionary where Key == String, Value == Any {
    func floats(_ key: String) throws -> [Float] {
        try XCTUnwrap(self[key] as? [Any], "fixture key \(key)").map { Float(try XCTUnwrap(($0 as? NSNumber)?.doubleValue)) }
    }
    func doubles(_ key: String) throws -> [Double] {
        try XCTUnwrap(self[key] as? [Any], "fixture key \(key)").map { try XCTUnwrap(($0 as? NSNumber)?.doubleValue) }
    }
    func ints(_ key: String) throws -> [Int] {
        try XCTUnwrap(self[key] as? [Any], "fixture key \(key)").map { try XCTUnwrap(($0 as? NSNumber)?.intValue) }
    }
    func int(_ key: String) throws -> Int { try XCTUnwrap((self[key] as? NSNumber)?.intValue, "fixture key \(key)") }
    func double(_ key: String) throws -> Double { try XCTUnwrap((self[key] as? NSNumber)?.doubleValue, "fixture key \(key)") }
    func object(_ key: String) throws -> [String: Any] { try XCTUnwrap(self[key] as? [String: Any], "fixture key \(key)") }
}
