// RMSNorm, as transformers' LlamaRMSNorm in f32: out = weight * (x * rstd), rstd = 1 / sqrt(mean(x^2) + eps).

extension CPUDevice {
    public func rmsNormForward(_ x: Tensor, weight: Tensor, epsilon: Float, into out: Tensor, rstd: Tensor) {
        let (rows, dim) = x.matrixShape
        precondition(weight.elementCount == dim && out.matrixShape == (rows, dim) && rstd.elementCount == rows,
                     "rmsNormForward: x \(x.shape), weight \(weight.shape), out \(out.shape), rstd \(rstd.shape)")
        let px = x.f32("rmsNormForward"), pw = weight.f32("rmsNormForward")
        let po = out.f32("rmsNormForward"), pr = rstd.f32("rmsNormForward")
        pool.forEachChunk(rows, chunk: Grain.rows(rowLength: dim)) { r in
            for row in r {
                let xr = px + row * dim, or = po + row * dim
                let s = 1 / (Float(squaredNorm(xr, dim) / Double(dim)) + epsilon).squareRoot()
                pr[row] = s
                var i = 0
                while i + vecWidth <= dim {
                    storeVec(loadVec(pw + i) * (loadVec(xr + i) * s), or + i)
                    i += vecWidth
                }
                while i < dim { or[i] = pw[i] * (xr[i] * s); i += 1 }
            }
        }
    }

    /// With n = x * rstd and g = dOut * weight: dx = rstd * (g - n * mean(g * n)), dweight = sum over rows of dOut * n.
    public func rmsNormBackward(dOut: Tensor, x: Tensor, weight: Tensor, rstd: Tensor,
                                accumulateDX dx: Tensor, accumulateDWeight dWeight: Tensor) {
        let (rows, dim) = x.matrixShape
        precondition(dOut.matrixShape == (rows, dim) && dx.matrixShape == (rows, dim) && weight.elementCount == dim
                     && dWeight.elementCount == dim && rstd.elementCount == rows,
                     "rmsNormBackward: dOut \(dOut.shape), x \(x.shape), weight \(weight.shape), rstd \(rstd.shape), dx \(dx.shape), dWeight \(dWeight.shape)")
        let pdo = dOut.f32("rmsNormBackward"), px = x.f32("rmsNormBackward"), pw = weight.f32("rmsNormBackward")
        let pr = rstd.f32("rmsNormBackward"), pdx = dx.f32("rmsNormBackward")
        reduceRowsInFixedChunks(rows: rows, columns: dim, pool: pool, into: dWeight.f32("rmsNormBackward")) { r, dw in
            for row in r {
                let g = pdo + row * dim, xr = px + row * dim, dxr = pdx + row * dim
                let s = pr[row]
                // mean(g * n) = rstd * mean(dOut * weight * x)
                var acc = Vec()
                var i = 0
                while i + vecWidth <= dim {
                    acc = loadVec(g + i) * loadVec(pw + i) * loadVec(xr + i) + acc
                    i += vecWidth
                }
                var sum = sumInDouble(acc)
                while i < dim { sum += Double(g[i] * pw[i] * xr[i]); i += 1 }
                let meanGN = Float(sum / Double(dim)) * s
                i = 0
                while i + vecWidth <= dim {
                    let d = loadVec(g + i), n = loadVec(xr + i) * s
                    storeVec((d * loadVec(pw + i) - n * meanGN) * s + loadVec(dxr + i), dxr + i)
                    storeVec(d * n + loadVec(dw + i), dw + i)
                    i += vecWidth
                }
                while i < dim {
                    let n = xr[i] * s
                    dxr[i] += (g[i] * pw[i] - n * meanGN) * s
                    dw[i] += g[i] * n
                    i += 1
                }
            }
        }
    }
}

/// Sum of x[i]^2 over n elements, lanes in f32, combined in Double.
@inline(__always) func squaredNorm(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var acc = Vec()
    var i = 0
    while i + vecWidth <= n {
        let v = loadVec(x + i)
        acc = v * v + acc
        i += vecWidth
    }
    var sum = sumInDouble(acc)
    while i < n { sum += Double(x[i] * x[i]); i += 1 }
    return sum
}
