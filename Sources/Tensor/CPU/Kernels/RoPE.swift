// Rotary position embedding in transformers' rotate_half layout: element i pairs with i + D/2 (not interleaved).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUDevice {
    public func fillRotaryTable(_ table: RotaryTable, positions: [Int32], inverseFrequencies: [Float],
                                attentionScaling: Float) {
        let half = inverseFrequencies.count
        precondition(table.tokenCount == positions.count && table.halfDimension == half,
                     "fillRotaryTable: table [\(table.tokenCount), \(table.halfDimension)] for \(positions.count) positions and \(half) frequencies")
        let pc = table.cos.f32("fillRotaryTable"), ps = table.sin.f32("fillRotaryTable")
        positions.withUnsafeBufferPointer { positions in
            inverseFrequencies.withUnsafeBufferPointer { invFreq in
                pool.forEachChunk(positions.count, chunk: max(1, 4096 / max(1, half))) { r in
                    for t in r {
                        // As transformers: angle = float32(position) * inv_freq in f32, then cos/sin, then scaling.
                        let position = Float(positions[t])
                        for i in 0..<half {
                            let angle = position * invFreq[i]
                            pc[t * half + i] = cosf(angle) * attentionScaling
                            ps[t * half + i] = sinf(angle) * attentionScaling
                        }
                    }
                }
            }
        }
    }

    public func ropeForward(_ x: Tensor, table: RotaryTable, into out: Tensor) {
        rotate(x, table: table, into: out, inverse: false, "ropeForward")
    }

    /// The rotation is orthogonal (up to the scaling), so backward is the same rotation with sin negated.
    public func ropeBackward(dOut: Tensor, table: RotaryTable, into dx: Tensor) {
        rotate(dOut, table: table, into: dx, inverse: true, "ropeBackward")
    }

    private func rotate(_ x: Tensor, table: RotaryTable, into out: Tensor, inverse: Bool, _ op: StaticString) {
        precondition(x.rank == 3 && x.shape == out.shape && x.shape[0] == table.tokenCount
                     && x.shape[2] == 2 * table.halfDimension,
                     "\(op): x \(x.shape) and out \(out.shape) must be [T, H, D] with T = \(table.tokenCount), D = \(2 * table.halfDimension)")
        let (tokens, heads, dim) = (x.shape[0], x.shape[1], x.shape[2])
        let half = dim / 2
        let px = x.f32(op), po = out.f32(op), pc = table.cos.f32(op), ps = table.sin.f32(op)
        let sinSign: Float = inverse ? -1 : 1
        pool.forEachChunk(tokens, chunk: Grain.rows(rowLength: heads * dim)) { r in
            for t in r {
                let c = pc + t * half, s = ps + t * half
                for h in 0..<heads {
                    let xr = px + (t * heads + h) * dim, or = po + (t * heads + h) * dim
                    var i = 0
                    while i + vecWidth <= half {
                        let x1 = loadVec(xr + i), x2 = loadVec(xr + half + i)
                        let cv = loadVec(c + i), sv = loadVec(s + i) * sinSign
                        storeVec(x1 * cv - x2 * sv, or + i)
                        storeVec(x2 * cv + x1 * sv, or + half + i)
                        i += vecWidth
                    }
                    while i < half {
                        let x1 = xr[i], x2 = xr[half + i], sv = s[i] * sinSign
                        or[i] = x1 * c[i] - x2 * sv
                        or[half + i] = x2 * c[i] + x1 * sv
                        i += 1
                    }
                }
            }
        }
    }
}
