// Optimisers against references written straight from the documented update rules (the
// textbook forms, independent of the implementation's PyTorch operation order), plus a few
// updates worked out by hand. PyTorch fixture comparisons are added separately.

import Foundation
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// Two parameters: one in the default group, one in a group with its own lr and no decay.
private func makeParameters() -> [Parameter<Double>] {
    var rng = SplitMix64(seed: 60)
    let a = Parameter(Tensor<Double>.uniform([3, 2], using: &rng))
    let b = Parameter(Tensor<Double>.uniform([4], using: &rng), group: ParameterGroup(name: "ssm", learningRate: 0.003, weightDecay: 0))
    return [a, b]
}

/// A different seeded gradient per step and parameter.
private func setGradients(_ params: [Parameter<Double>], step: Int) {
    var rng = SplitMix64(seed: 1000 + UInt64(step))
    for p in params { p.gradient = .uniform(p.shape, using: &rng) }
}

@Suite struct OptimizerTests {
    @Test(arguments: [(0.0, 0.0, false), (0.9, 0.0, false), (0.9, 0.3, false), (0.9, 0.0, true)])
    func sgdMatchesFormula(momentum: Double, dampening: Double, nesterov: Bool) {
        let params = makeParameters()
        let (lr, wd) = (0.05, 0.01)
        let opt = SGD(parameters: params, learningRate: lr, momentum: momentum, dampening: dampening,
                      nesterov: nesterov, weightDecay: wd)
        var theta = params.map(\.value.scalars)
        var buf = params.map { [Double](repeating: 0, count: $0.value.count) }
        for step in 0..<4 {
            setGradients(params, step: step)
            opt.learningRateFactor = 1 - 0.1 * Double(step)
            for (k, p) in params.enumerated() {
                let eta = (p.group.learningRate ?? lr) * opt.learningRateFactor
                let lambda = p.group.weightDecay ?? wd
                for i in theta[k].indices {
                    var g = p.gradient.scalars[i] + lambda * theta[k][i]
                    if momentum != 0 {
                        buf[k][i] = step == 0 ? g : momentum * buf[k][i] + (1 - dampening) * g
                        g = nesterov ? g + momentum * buf[k][i] : buf[k][i]
                    }
                    theta[k][i] -= eta * g
                }
            }
            opt.step()
            for (k, p) in params.enumerated() { expectClose(p.value.scalars, theta[k], rtol: 1e-14, atol: 1e-15) }
        }
        #expect(opt.stepCount == 4)
    }

    @Test(arguments: [false, true])
    func adamMatchesFormula(decoupled: Bool) {
        let params = makeParameters()
        let (lr, wd, b1, b2, eps) = (0.01, 0.1, 0.9, 0.999, 1e-8)
        let opt = Adam(parameters: params, learningRate: lr, beta1: b1, beta2: b2, epsilon: eps,
                       weightDecay: wd, decoupledWeightDecay: decoupled)
        var theta = params.map(\.value.scalars)
        var m = params.map { [Double](repeating: 0, count: $0.value.count) }
        var v = m
        for step in 1...5 {
            setGradients(params, step: step)
            for (k, p) in params.enumerated() {
                let eta = p.group.learningRate ?? lr
                let lambda = p.group.weightDecay ?? wd
                for i in theta[k].indices {
                    var g = p.gradient.scalars[i]
                    if decoupled { theta[k][i] *= 1 - eta * lambda } else { g += lambda * theta[k][i] }
                    m[k][i] = b1 * m[k][i] + (1 - b1) * g
                    v[k][i] = b2 * v[k][i] + (1 - b2) * g * g
                    let mHat = m[k][i] / (1 - pow(b1, Double(step)))
                    let vHat = v[k][i] / (1 - pow(b2, Double(step)))
                    theta[k][i] -= eta * mHat / (vHat.squareRoot() + eps)
                }
            }
            opt.step()
            // The implementation divides √v by √(1 − β₂ᵗ) instead of v by (1 − β₂ᵗ) (PyTorch's
            // order): equal in exact arithmetic, a few ulps apart in Double.
            for (k, p) in params.enumerated() { expectClose(p.value.scalars, theta[k], rtol: 1e-12, atol: 1e-14) }
        }
    }

    @Test func handComputedUpdates() {
        // SGD, momentum 0.9, lr 0.1, constant gradient 1 from θ = 1:
        // b = 1, θ = 0.9; b = 1.9, θ = 0.71. Nesterov: d = 1.9, θ = 0.81; b = 1.9, d = 2.71, θ = 0.539.
        for (nesterov, expected) in [(false, [0.9, 0.71]), (true, [0.81, 0.539])] {
            let p = Parameter(Tensor<Double>(shape: [1], scalars: [1]))
            let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: nesterov)
            for e in expected {
                p.gradient = Tensor(shape: [1], scalars: [1])
                opt.step()
                expectClose(p.value.scalars[0], e, rtol: 1e-14)
            }
        }
        // Adam's first step is lr · g / (|g| + ε) whatever β: from θ = 1 with g = 0.5, lr = 0.1.
        let p = Parameter(Tensor<Double>(shape: [1], scalars: [1]))
        let adam = Adam(parameters: [p], learningRate: 0.1)
        p.gradient = Tensor(shape: [1], scalars: [0.5])
        adam.step()
        expectClose(p.value.scalars[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), rtol: 1e-14)
        // AdamW with λ = 0.5, lr = 0.1, zero gradient: θ shrinks by (1 − 0.05) and m = v = 0.
        let q = Parameter(Tensor<Double>(shape: [1], scalars: [2]))
        let adamw = AdamW(parameters: [q], learningRate: 0.1, weightDecay: 0.5)
        adamw.step()
        expectClose(q.value.scalars[0], 1.9, rtol: 1e-14)
    }

    /// The Float implementation follows the Double one to Float precision over several steps.
    @Test func adamInFloatTracksDouble() {
        var rng = SplitMix64(seed: 61)
        let start = Tensor<Double>.uniform([50], using: &rng)
        let pd = Parameter(start), pf = Parameter(Tensor<Float>(converting: start))
        let od = AdamW(parameters: [pd], learningRate: 0.01), of = AdamW(parameters: [pf], learningRate: 0.01)
        for _ in 0..<10 {
            let g = Tensor<Double>.uniform([50], using: &rng)
            pd.gradient = g
            pf.gradient = Tensor(converting: g)
            od.step()
            of.step()
        }
        // Each step moves θ by ≤ lr; Float rounding of θ ≈ 1 is 6e-8 per step.
        expectClose(Tensor<Double>(converting: pf.value).scalars, pd.value.scalars, rtol: 0, atol: 2e-6)
    }

    @Test func clipGradientNormRescalesGlobally() {
        let a = Parameter(Tensor<Double>(shape: [2])), b = Parameter(Tensor<Double>(shape: [1]))
        a.gradient = Tensor(shape: [2], scalars: [3, 0])
        b.gradient = Tensor(shape: [1], scalars: [4])
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        expectClose(norm, 5)
        let c = 1 / (5 + 1e-6)
        expectClose(a.gradient.scalars + b.gradient.scalars, [3 * c, 0, 4 * c], rtol: 1e-14)
        // Below the threshold the gradients are unchanged (factor clamped to 1).
        let before = a.gradient.scalars
        clipGradientNorm([a, b], maxNorm: 10)
        expectClose(a.gradient.scalars, before, rtol: 1e-15)
    }

    @Test func schedules() throws {
        expectClose((0..<4).map { LearningRateSchedule.linearWarmup(steps: 4).factor(atStep: $0) }, [0.25, 0.5, 0.75, 1])
        expectClose(LearningRateSchedule.linearWarmup(steps: 4).factor(atStep: 100), 1)
        let cosine = LearningRateSchedule.cosine(warmupSteps: 2, totalSteps: 12, minimumFactor: 0.1)
        expectClose([0, 1, 2, 7, 12, 50].map { cosine.factor(atStep: $0) },
                    [0.5, 1, 1, 0.1 + 0.9 * 0.5, 0.1, 0.1], rtol: 1e-14, atol: 1e-15)
        expectClose([0, 2, 3, 7].map { LearningRateSchedule.stepDecay(stepSize: 3, gamma: 0.5).factor(atStep: $0) },
                    [1, 1, 0.5, 0.25])
        expectClose(LearningRateSchedule.constant.factor(atStep: 9), 1)
        #expect(throws: SequenceModelError.self) { try LearningRateSchedule.cosine(warmupSteps: 5, totalSteps: 3, minimumFactor: 0).validate() }
    }

    /// Adam on a convex quadratic f(θ) = ½ Σ a_i (θ_i − c_i)² converges to c.
    @Test func adamConvergesOnConvexQuadratic() {
        let a: [Double] = [1, 10, 0.1, 3], c: [Double] = [1, -2, 0.5, 3]
        let p = Parameter(Tensor<Double>(shape: [4]))
        let opt = Adam(parameters: [p], learningRate: 0.05)
        let schedule = LearningRateSchedule.cosine(warmupSteps: 0, totalSteps: 3000, minimumFactor: 0.01)
        for s in 0..<3000 {
            p.gradient = Tensor(shape: [4], scalars: (0..<4).map { a[$0] * (p.value.scalars[$0] - c[$0]) })
            opt.learningRateFactor = schedule.factor(atStep: s)
            opt.step()
        }
        // Adam moves each coordinate by up to ~lr per step; the annealed lr ends at 5e-4, so
        // 1e-3 bounds the residual jitter around the minimiser.
        expectClose(p.value.scalars, c, rtol: 0, atol: 1e-3)
    }
}
