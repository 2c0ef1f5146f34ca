// SwiGLU activation of the Llama MLP: out = silu(gate) * up, silu(g) = g / (1 + e^-g) (as torch computes it).

extension CPUDevice {
    public func swigluForward(gate: Tensor, up: Tensor, into out: Tensor) {
        checkSameCount(gate, up, "swigluForward")
        checkSameCount(gate, out, "swigluForward")
        let pg = gate.f32("swigluForward"), pu = up.f32("swigluForward"), po = out.f32("swigluForward")
        pool.forEachChunk(gate.elementCount, chunk: Grain.elements) { r in
            var i = r.lowerBound
            while i + vecWidth <= r.upperBound {
                let g = loadVec(pg + i)
                storeVec(g / (1 + expVec(-g)) * loadVec(pu + i), po + i)
                i += vecWidth
            }
            while i < r.upperBound { po[i] = pg[i] / (1 + expScalar(-pg[i])) * pu[i]; i += 1 }
        }
    }

    /// dUp = dOut * silu(gate); dGate = dOut * up * sigmoid(gate) * (1 + gate * (1 - sigmoid(gate))).
    public func swigluBackward(dOut: Tensor, gate: Tensor, up: Tensor, dGate: Tensor, dUp: Tensor) {
        for t in [gate, up, dGate, dUp] { checkSameCount(dOut, t, "swigluBackward") }
        let pd = dOut.f32("swigluBackward"), pg = gate.f32("swigluBackward"), pu = up.f32("swigluBackward")
        let pdg = dGate.f32("swigluBackward"), pdu = dUp.f32("swigluBackward")
        pool.forEachChunk(dOut.elementCount, chunk: Grain.elements) { r in
            var i = r.lowerBound
            while i + vecWidth <= r.upperBound {
                let g = loadVec(pg + i), d = loadVec(pd + i)
                let e = 1 + expVec(-g)
                let sigmoid = 1 / e
                storeVec(d * loadVec(pu + i) * (sigmoid * (g * (1 - sigmoid) + 1)), pdg + i)
                storeVec(d * (g / e), pdu + i)
                i += vecWidth
            }
            while i < r.upperBound {
                let g = pg[i], d = pd[i]
                let e = 1 + expScalar(-g)
                let sigmoid = 1 / e
                pdg[i] = d * pu[i] * (sigmoid * (g * (1 - sigmoid) + 1))
                pdu[i] = d * (g / e)
                i += 1
            }
        }
    }
}
