import XCTest
@testable import Tensor

/// AdamW: ten steps against torch.optim.AdamW (foreach=False), and the gradient scale against a Double reference.
final class AdamWTests: XCTestCase {
    let device = TestSupport.device

    func testTenStepsMatchTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("adamw")
        let (n, steps) = (try f.int("n"), try f.int("steps"))
        let hyper = AdamWHyperparameters(learningRate: try f.double("lr"), beta1: try f.double("beta1"),
                                         beta2: try f.double("beta2"), epsilon: try f.double("eps"),
                                         weightDecay: try f.double("weight_decay"))
        let param = Tensor(try f.floats("param0"), shape: [n], on: device)
        let m = Tensor.zeros([n], on: device), v = Tensor.zeros([n], on: device)
        let grads = try f.floats("grads")
        for step in 1...steps {
            let g = Tensor(Array(grads[(step - 1) * n..<step * n]), shape: [n], on: device)
            device.adamwStep(parameter: param, gradient: g, m: m, v: v, step: step, hyperparameters: hyper, gradScale: 1)
        }
        // Elementwise f32 math in torch's order; torch's lerp uses an FMA, so allow a few ulp.
        assertClose(param.floats(), try f.floats("param"), atol: 1e-7, rtol: 2e-6, "param")
        assertClose(m.floats(), try f.floats("exp_avg"), atol: 1e-9, rtol: 2e-6, "exp_avg")
        assertClose(v.floats(), try f.floats("exp_avg_sq"), atol: 1e-11, rtol: 2e-6, "exp_avg_sq")
    }

    func testGradientScaleAndManyChunks() {
        var random = SeededRandom(15)
        let n = 40_000
        let p0 = random.floats(n), g = random.floats(n, scale: 0.01)
        let hyper = AdamWHyperparameters(learningRate: 3e-4, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
        let param = Tensor(p0, shape: [n], on: device)
        let m = Tensor.zeros([n], on: device), v = Tensor.zeros([n], on: device)
        for step in 1...2 {
            device.adamwStep(parameter: param, gradient: Tensor(g, shape: [n], on: device), m: m, v: v, step: step,
                             hyperparameters: hyper, gradScale: 0.5)
        }
        var expected = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var (p, mi, vi) = (Double(p0[i]), 0.0, 0.0)
            let gi = Double(g[i]) * 0.5
            for step in 1...2 {
                p *= 1 - hyper.learningRate * hyper.weightDecay
                mi = hyper.beta1 * mi + (1 - hyper.beta1) * gi
                vi = hyper.beta2 * vi + (1 - hyper.beta2) * gi * gi
                let mHat = mi / (1 - pow(hyper.beta1, Double(step)))
                let vHat = vi / (1 - pow(hyper.beta2, Double(step)))
                p -= hyper.learningRate * mHat / (vHat.squareRoot() + hyper.epsilon)
            }
            expected[i] = p
        }
        assertClose(param.floats(), expected, atol: 1e-6, rtol: 1e-6, "param")
    }
}
