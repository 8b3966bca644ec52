// Adam.swift — Adam and AdamW.
//
// Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015); Loshchilov & Hutter,
// "Decoupled Weight Decay Regularization" (2019) for AdamW.

import LinearAlgebra
import Numerics

/// `torch.optim.Adam` (`decoupledWeightDecay: false`) and `torch.optim.AdamW` (`true`).
/// At step t (1-based) for each parameter θ with gradient g, learning rate η (group lr ×
/// factor), weight decay λ:
///
///     θ ← θ (1 − η λ)                              (AdamW only: decoupled decay)
///     g ← g + λ θ                                  (Adam only, if λ ≠ 0: L2 penalty)
///     m ← lerp(m, g, 1 − β₁)                       (= β₁ m + (1 − β₁) g)
///     v ← β₂ v + (1 − β₂) g²
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// with `lerp(a, b, w) = a + w (b − a)` for w < ½ and `b − (b − a)(1 − w)` otherwise (PyTorch's
/// form). The bias corrections are computed in Double and rounded once.
/// Defaults: β = (0.9, 0.999), ε = 1e-8; weight decay 0 for Adam, 0.01 for AdamW (`AdamW(…)`).
/// - Complexity: O(parameters) per step, two state arrays per parameter.
public final class Adam<Scalar: NeuralScalar>: Optimizer {
    public let parameters: [Parameter<Scalar>]
    public var learningRate: Double
    public var learningRateFactor: Double = 1
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    /// Weight decay for groups without their own.
    public var weightDecay: Double
    /// AdamW's decoupled decay instead of Adam's L2 penalty.
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    /// First and second moment estimates m, v per parameter.
    private var firstMoments: [[Scalar]]
    private var secondMoments: [[Scalar]]

    public init(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
                decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = parameters.map { [Scalar](repeating: 0, count: $0.value.count) }
        secondMoments = parameters.map { [Scalar](repeating: 0, count: $0.value.count) }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let bc1 = 1 - Double.pow(beta1, t)
        let bc2Sqrt = (1 - Double.pow(beta2, t)).squareRoot()
        let w = Scalar(1 - beta1), beta2s = Scalar(beta2), oneMinusBeta2 = Scalar(1 - beta2)
        let eps = Scalar(epsilon), denomScale = Scalar(bc2Sqrt)
        let lerpLow = 1 - beta1 < 0.5
        let decoupled = decoupledWeightDecay
        for (k, p) in parameters.enumerated() {
            let lr = effectiveLearningRate(for: p.group)
            let lambda = p.group.weightDecay ?? weightDecay
            let stepSize = Scalar(lr / bc1)
            let l2 = decoupled ? 0 : Scalar(lambda)
            let shrink = Scalar(1 - lr * lambda)
            let applyShrink = decoupled && lambda != 0
            var coefficients = AdamCoefficients<Scalar>(w: w, beta2: beta2s, oneMinusBeta2: oneMinusBeta2, epsilon: eps,
                                                        denominatorScale: denomScale, stepSize: stepSize, l2: l2, shrink: shrink,
                                                        applyShrink: applyShrink, lerpLow: lerpLow)
            let grad = p.gradient
            grad.withUnsafeBufferPointer { g in
                p.value.withUnsafeMutableBufferPointer { theta in
                    firstMoments[k].withUnsafeMutableBufferPointer { m in
                        secondMoments[k].withUnsafeMutableBufferPointer { v in
                            guard let tp = theta.baseAddress, let gp = g.baseAddress else { return }
                            withUnsafePointer(to: &coefficients) { cp in
                                Scalar.adamUpdate(theta: tp, gradient: gp, firstMoment: m.baseAddress!, secondMoment: v.baseAddress!,
                                                  count: theta.count, coefficients: UnsafeRawPointer(cp))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `torch.optim.AdamW`: Adam with decoupled weight decay, default λ = 0.01.
public func AdamW<Scalar: NeuralScalar>(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3,
                                        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                                        weightDecay: Double = 0.01) -> Adam<Scalar> {
    Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}
