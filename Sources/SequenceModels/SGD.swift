// SGD.swift — stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

import LinearAlgebra

/// `torch.optim.SGD`. For each parameter θ with gradient g, learning rate η (group lr × factor),
/// weight decay λ, momentum μ, dampening τ:
///
///     g ← g + λ θ                                  (if λ ≠ 0; L2 penalty, coupled)
///     b ← g                                        (first step, if μ ≠ 0)
///     b ← μ b + (1 − τ) g                          (later steps)
///     g ← g + μ b  (Nesterov)   or   g ← b          (if μ ≠ 0)
///     θ ← θ − η g
///
/// Nesterov requires μ > 0 and τ = 0 (as in PyTorch).
/// - Complexity: O(parameters) per step, no allocation after the first.
public final class SGD<Scalar: NeuralScalar>: Optimizer {
    public let parameters: [Parameter<Scalar>]
    public var learningRate: Double
    public var learningRateFactor: Double = 1
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    /// Weight decay for groups without their own.
    public var weightDecay: Double
    public private(set) var stepCount = 0
    /// Momentum buffers b, one per parameter (empty until the first step).
    private var buffers: [[Scalar]]

    public init(parameters: [Parameter<Scalar>], learningRate: Double, momentum: Double = 0,
                dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and zero dampening") // invariant: programmer misuse
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        buffers = parameters.map { _ in [] }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step() {
        let mu = Scalar(momentum), oneMinusTau = Scalar(1 - dampening), useNesterov = nesterov
        let first = stepCount == 0
        for (k, p) in parameters.enumerated() {
            let lr = Scalar(effectiveLearningRate(for: p.group))
            let wd = Scalar(p.group.weightDecay ?? weightDecay)
            let grad = p.gradient
            if momentum != 0 && first { buffers[k] = [Scalar](repeating: 0, count: grad.count) }
            grad.withUnsafeBufferPointer { g in
                p.value.withUnsafeMutableBufferPointer { theta in
                    buffers[k].withUnsafeMutableBufferPointer { b in
                        for i in 0..<theta.count {
                            var d = g[i]
                            if wd != 0 { d = d + wd * theta[i] }
                            if mu != 0 {
                                b[i] = first ? d : b[i] * mu + oneMinusTau * d
                                d = useNesterov ? d + mu * b[i] : b[i]
                            }
                            theta[i] = theta[i] + (-lr) * d
                        }
                    }
                }
            }
        }
        stepCount += 1
    }
}
