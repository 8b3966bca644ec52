// FeedForwardBlock.swift — the pre-norm residual feed-forward block (MLP, Transformer FFN).
//
// Pre-norm placement as in Xiong et al., "On Layer Normalization in the Transformer
// Architecture" (2020): the residual stream itself is never normalised, which keeps deep
// stacks trainable without warm-up tricks.

import LinearAlgebra

/// `y = x + Dropout(W₂ · act(W₁ · LayerNorm(x) + b₁) + b₂)` on the last dimension.
/// Parameters: "norm.weight", "norm.bias", "linear1.weight", "linear1.bias",
/// "linear2.weight", "linear2.bias".
/// - Complexity: 4 · N · size · hiddenSize flops forward (N = rows), twice that backward.
public final class FeedForwardBlock<Scalar: NeuralScalar>: Layer {
    public let norm: LayerNorm<Scalar>
    public let linear1: Linear<Scalar>
    public let activation: Activation<Scalar>
    public let linear2: Linear<Scalar>
    public let dropout: Dropout<Scalar>
    public var mode: LayerMode = .training {
        didSet { for layer in children { layer.mode = mode } }
    }

    private var children: [any Layer<Scalar>] { [norm, linear1, activation, linear2, dropout] }
    /// The residual sums, written into buffers the block reuses across calls.
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

    /// A block on width `size` with inner width `hiddenSize`; weights from `rng`, then the
    /// dropout generator seeded from `rng`.
    public init(size: Int, hiddenSize: Int, activation kind: ActivationKind = .gelu, dropout rate: Double = 0,
                using rng: inout SplitMix64) {
        norm = LayerNorm(size: size)
        linear1 = Linear(inputSize: size, outputSize: hiddenSize, using: &rng)
        activation = Activation(kind)
        linear2 = Linear(inputSize: hiddenSize, outputSize: size, using: &rng)
        dropout = Dropout(rate: rate, seed: rng.next())
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        norm.namedParameters.prefixed("norm") + linear1.namedParameters.prefixed("linear1")
            + linear2.namedParameters.prefixed("linear2")
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        try norm.outputShape(for: inputShape)
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let branch = dropout.forward(linear2.forward(activation.forward(linear1.forward(norm.forward(x)))))
        Tensor.add(branch, x, into: &outputBuffer)
        return outputBuffer
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let branch = norm.backward(linear1.backward(activation.backward(linear2.backward(dropout.backward(dy)))))
        Tensor.add(branch, dy, into: &gradientBuffer)
        return gradientBuffer
    }
}
