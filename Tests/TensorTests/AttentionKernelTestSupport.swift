import XCTest
@testable import Tensor

/// Deterministic inputs: a 64-bit LCG so every run and machine sees the same numbers.
struct AttentionRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
    mutating func uniform() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
    mutating func array(_ count: Int, amplitude: Float = 1) -> [Float] { (0..<count).map { _ in uniform() * amplitude } }
}

/// One random attention problem.
struct AttentionProblem {
    let shape: AttentionShape
    let cuSeqlens: [Int32]
    let q, k, v, dO: [Float]
    let scale: Float

    init(lengths: [Int], queryHeads: Int, kvHeads: Int, headDim: Int, seed: UInt64, amplitude: Float = 1.5) {
        var offsets: [Int32] = [0]
        for length in lengths { offsets.append(offsets.last! + Int32(length)) }
        cuSeqlens = offsets
        shape = AttentionShape(tokens: Int(offsets.last!), queryHeads: queryHeads, kvHeads: kvHeads, headDim: headDim)
        var random = AttentionRandom(seed: seed)
        q = random.array(shape.queryCount, amplitude: amplitude)
        k = random.array(shape.kvCount, amplitude: amplitude)
        v = random.array(shape.kvCount)
        dO = random.array(shape.queryCount)
        scale = 1 / Float(headDim).squareRoot()
    }

    func forward(threads: Int = 2) -> (o: [Float], lse: [Float]) {
        VarlenAttention.forward(q: q, k: k, v: v, cuSeqlens: cuSeqlens, shape: shape, scale: scale, threads: threads)
    }

    func backward(threads: Int = 2) -> (dq: [Float], dk: [Float], dv: [Float]) {
        let (o, lse) = forward(threads: threads)
        return VarlenAttention.backward(
            dO: dO, q: q, k: k, v: v, o: o, lse: lse, cuSeqlens: cuSeqlens, shape: shape, scale: scale,
            threads: threads)
    }
}

/// Largest |actual - expected| relative to the largest |expected| (errors of f32 sums scale with the magnitudes).
func relativeError(_ actual: [Float], _ expected: [Double]) -> Double {
    precondition(actual.count == expected.count)
    var worst = 0.0, magnitude = 0.0
    for (a, e) in zip(actual, expected) {
        worst = max(worst, abs(Double(a) - e))
        magnitude = max(magnitude, abs(e))
    }
    return magnitude == 0 ? worst : worst / magnitude
}

func assertBitwiseEqual(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    let first = a.indices.first { index in index < b.count && a[index].bitPattern != b[index].bitPattern }
    XCTAssertNil(first, "\(what) differs at element \(first ?? -1)", file: file, line: line)
}
