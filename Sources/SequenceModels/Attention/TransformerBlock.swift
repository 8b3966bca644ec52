// TransformerBlock.swift — the pre-norm Transformer decoder block.
//
// Pre-norm placement as in Xiong et al., "On Layer Normalization in the Transformer
// Architecture" (2020) and GPT-2: the residual stream is never normalised, only the inputs of
// the two sublayers are.

import LinearAlgebra

/// `h = x + Dropout(Attn(LayerNorm(x)))`, `y = h + Dropout(W₂ act(W₁ LayerNorm(h) + b₁) + b₂)`
/// (the second half is the core's `FeedForwardBlock`).
/// Backward: `∂h = FFN'ᵀ ∂y` (including the residual), `∂x = ∂h + LNᵀ Attnᵀ Dropoutᵀ ∂h`.
/// Parameters: "norm.*", "attention.*" (CausalSelfAttention), "ffn.*" (FeedForwardBlock).
/// - Complexity: the attention's plus 4·N·d·hidden flops forward (N = B·T rows).
public final class TransformerBlock<Scalar: NeuralScalar>: Layer {
    public let norm: LayerNorm<Scalar>
    public let attention: CausalSelfAttention<Scalar>
    public let dropout: Dropout<Scalar>
    public let feedForward: FeedForwardBlock<Scalar>
    public var mode: LayerMode = .training {
        didSet { for layer in children { layer.mode = mode } }
    }

    private var children: [any Layer<Scalar>] { [norm, attention, dropout, feedForward] }

    /// A block of width `size` with `heads` heads and a feed-forward inner width `hiddenSize`;
    /// weights from `rng` (attention, then feed-forward), then the dropout generator.
    public init(size: Int, heads: Int, hiddenSize: Int, activation: ActivationKind = .gelu, dropout rate: Double = 0,
                causal: Bool = true, attentionBias: Bool = true, using rng: inout SplitMix64) {
        norm = LayerNorm(size: size)
        attention = CausalSelfAttention(modelSize: size, heads: heads, causal: causal, bias: attentionBias, using: &rng)
        feedForward = FeedForwardBlock(size: size, hiddenSize: hiddenSize, activation: activation, dropout: rate, using: &rng)
        dropout = Dropout(rate: rate, seed: rng.next())
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        norm.namedParameters.prefixed("norm") + attention.namedParameters.prefixed("attention")
            + feedForward.namedParameters.prefixed("ffn")
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        try feedForward.outputShape(for: attention.outputShape(for: norm.outputShape(for: inputShape)))
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = dropout.forward(attention.forward(norm.forward(x)))
        h += x
        return feedForward.forward(h)
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let dh = feedForward.backward(dy)
        var dx = norm.backward(attention.backward(dropout.backward(dh)))
        dx += dh
        return dx
    }
}
