// TemporalBlock.swift — the residual block of a temporal convolutional network (TCN).
//
// Bai, Kolter & Koltun, "An Empirical Evaluation of Generic Convolutional and Recurrent
// Networks for Sequence Modeling" (2018), section 3: two dilated causal convolutions with a
// nonlinearity and dropout after each, a residual connection (through a 1×1 convolution when
// the channel counts differ) and the nonlinearity applied to the sum. Their weight
// normalisation of the convolution kernels is left out.

import LinearAlgebra

/// `h = Drop(act(conv₁(x)))`, `z = Drop(act(conv₂(h)))`, `y = act(z + skip(x))` with `conv₁`,
/// `conv₂` dilated causal (kernel k, dilation δ) and `skip` a 1×1 convolution when C_in ≠ C_out,
/// the identity otherwise. Causal: y[t] depends on x[t − 2(k−1)δ … t].
/// Parameters: "conv1.*", "conv2.*", and "skip.*" when present.
/// - Complexity: 2·B·T·k·C_out·(C_in + C_out) flops forward (+ 2·B·T·C_in·C_out for the skip).
public final class TemporalBlock<Scalar: NeuralScalar>: Layer {
    public let conv1: CausalConv1d<Scalar>
    public let activation1: Activation<Scalar>
    public let dropout1: Dropout<Scalar>
    public let conv2: CausalConv1d<Scalar>
    public let activation2: Activation<Scalar>
    public let dropout2: Dropout<Scalar>
    /// The 1×1 convolution on the residual path, nil when C_in = C_out.
    public let skip: CausalConv1d<Scalar>?
    public let outputActivation: Activation<Scalar>
    public var mode: LayerMode = .training {
        didSet { for layer in children { layer.mode = mode } }
    }

    private var branch: [any Layer<Scalar>] { [conv1, activation1, dropout1, conv2, activation2, dropout2] }
    private var children: [any Layer<Scalar>] { branch + (skip.map { [$0] } ?? []) + [outputActivation] }

    /// Weights from `rng` (conv1, conv2, skip), then the two dropout generators.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, dilation: Int,
                activation kind: ActivationKind = .relu, dropout rate: Double = 0, using rng: inout SplitMix64) {
        conv1 = CausalConv1d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, dilation: dilation, using: &rng)
        conv2 = CausalConv1d(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: kernelSize, dilation: dilation, using: &rng)
        skip = inputChannels == outputChannels ? nil
            : CausalConv1d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, using: &rng)
        activation1 = Activation(kind)
        activation2 = Activation(kind)
        outputActivation = Activation(kind)
        dropout1 = Dropout(rate: rate, seed: rng.next())
        dropout2 = Dropout(rate: rate, seed: rng.next())
    }

    /// Past steps the block output sees: 2(k − 1)δ.
    public var receptiveFieldExtent: Int { conv1.padding + conv2.padding }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = conv1.namedParameters.prefixed("conv1") + conv2.namedParameters.prefixed("conv2")
        if let skip { list += skip.namedParameters.prefixed("skip") }
        return list
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        var shape = inputShape
        for layer in branch { shape = try layer.outputShape(for: shape) }
        if let skip { _ = try skip.outputShape(for: inputShape) }
        return shape
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var z = x
        for layer in branch { z = layer.forward(z) }
        z += skip?.forward(x) ?? x
        return outputActivation.forward(z)
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let dz = outputActivation.backward(dy)
        var dx = dz
        for layer in branch.reversed() { dx = layer.backward(dx) }
        dx += skip?.backward(dz) ?? dz
        return dx
    }
}
