// AdamW on f32 master weights, in the order torch.optim.AdamW (single-tensor path) computes it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUDevice {
    public func adamwStep(parameter: Tensor, gradient: Tensor, m: Tensor, v: Tensor, step: Int,
                          hyperparameters h: AdamWHyperparameters, gradScale: Float) {
        for t in [gradient, m, v] { checkSameCount(parameter, t, "adamwStep") }
        precondition(step >= 1, "adamwStep: step counts from 1, got \(step)")
        let pp = parameter.f32("adamwStep"), pg = gradient.f32("adamwStep")
        let pm = m.f32("adamwStep"), pv = v.f32("adamwStep")
        // Scalars in Double as Python computes them, then rounded to f32 as torch does for a float tensor.
        let decay = Float(1 - h.learningRate * h.weightDecay)
        let w1 = Float(1 - h.beta1), beta2 = Float(h.beta2), w2 = Float(1 - h.beta2)
        let biasCorrection1 = 1 - pow(h.beta1, Double(step))
        let biasCorrection2Sqrt = Float((1 - pow(h.beta2, Double(step))).squareRoot())
        let negStepSize = Float(-(h.learningRate / biasCorrection1))
        let eps = Float(h.epsilon)
        pool.forEachChunk(parameter.elementCount, chunk: Grain.elements / 2) { r in
            var i = r.lowerBound
            while i + vecWidth <= r.upperBound {
                let g = loadVec(pg + i) * gradScale
                var mi = loadVec(pm + i), vi = loadVec(pv + i)
                mi = (g - mi) * w1 + mi                       // exp_avg.lerp_(grad, 1 - beta1)
                vi = vi * beta2 + g * w2 * g                  // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
                let denom = squareRootVec(vi) / biasCorrection2Sqrt + eps
                storeVec(loadVec(pp + i) * decay + negStepSize * (mi / denom), pp + i)  // mul_(1 - lr wd); addcdiv_
                storeVec(mi, pm + i)
                storeVec(vi, pv + i)
                i += vecWidth
            }
            while i < r.upperBound {
                let g = pg[i] * gradScale
                let mi = (g - pm[i]) * w1 + pm[i]
                let vi = pv[i] * beta2 + g * w2 * g
                let denom = squareRootVec(Vec(repeating: vi))[0] / biasCorrection2Sqrt + eps
                pp[i] = pp[i] * decay + negStepSize * (mi / denom)
                pm[i] = mi
                pv[i] = vi
                i += 1
            }
        }
    }
}
