// MLP.swift — a residual multilayer perceptron on the last dimension.
//
// input Linear → `depth` pre-norm residual feed-forward blocks → LayerNorm → output Linear.
// Applied to (batch, time, features) it is a per-time-step (memoryless) model, the baseline
// every sequence model should beat.

import LinearAlgebra

/// The hyperparameters of an `MLP`; stored in model files.
public struct MLPConfiguration: Codable, Hashable, Sendable {
    /// Input features.
    public var inputSize: Int
    /// Output features.
    public var outputSize: Int
    /// Width of the residual stream. Default 64.
    public var width: Int
    /// Number of residual blocks. Default 2.
    public var depth: Int
    /// Inner width of each block as a multiple of `width`. Default 2.
    public var expansion: Int
    /// Nonlinearity inside the blocks. Default exact GELU.
    public var activation: ActivationKind
    /// Dropout probability after each block's output projection. Default 0.
    public var dropout: Double

    public init(inputSize: Int, outputSize: Int, width: Int = 64, depth: Int = 2, expansion: Int = 2,
                activation: ActivationKind = .gelu, dropout: Double = 0) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.width = width
        self.depth = depth
        self.expansion = expansion
        self.activation = activation
        self.dropout = dropout
    }

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        for (name, value) in [("inputSize", inputSize), ("outputSize", outputSize), ("width", width), ("expansion", expansion)]
        where value < 1 {
            throw .invalidConfiguration(name: name, reason: "must be ≥ 1, got \(value)")
        }
        guard depth >= 0 else { throw .invalidConfiguration(name: "depth", reason: "must be ≥ 0, got \(depth)") }
        guard dropout >= 0 && dropout < 1 else {
            throw .invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got \(dropout)")
        }
    }
}

/// `y = W_out · LayerNorm(B_{d−1}(… B_0(W_in x + b_in))) + b_out` with pre-norm residual blocks
/// `B_i(h) = h + W₂ act(W₁ LayerNorm(h))` (`FeedForwardBlock`).
/// Parameters: "input.*", "blocks.<i>.*", "norm.*", "output.*".
public final class MLP<Scalar: NeuralScalar>: LayerChain, SavableModel {
    public static var modelKind: String { "mlp" }
    public let configuration: MLPConfiguration
    public let input: Linear<Scalar>
    public let blocks: [FeedForwardBlock<Scalar>]
    public let norm: LayerNorm<Scalar>
    public let output: Linear<Scalar>
    public var mode: LayerMode = .training {
        didSet { propagate(mode) }
    }

    public var chain: [any Layer<Scalar>] { [input] + blocks + [norm, output] }

    /// Builds the model with weights drawn from `SplitMix64(seed: seed)`.
    /// - Throws: `SequenceModelError.invalidConfiguration` naming the bad field.
    public init(configuration c: MLPConfiguration, seed: UInt64) throws(SequenceModelError) {
        try c.validate()
        configuration = c
        var rng = SplitMix64(seed: seed)
        input = Linear(inputSize: c.inputSize, outputSize: c.width, using: &rng)
        blocks = (0..<c.depth).map { _ in
            FeedForwardBlock(size: c.width, hiddenSize: c.width * c.expansion, activation: c.activation,
                             dropout: c.dropout, using: &rng)
        }
        norm = LayerNorm(size: c.width)
        output = Linear(inputSize: c.width, outputSize: c.outputSize, using: &rng)
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = input.namedParameters.prefixed("input")
        for (i, block) in blocks.enumerated() { list += block.namedParameters.prefixed("blocks.\(i)") }
        return list + norm.namedParameters.prefixed("norm") + output.namedParameters.prefixed("output")
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        return try chainOutputShape(inputShape)
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { chainForward(x) }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> { chainBackward(dy) }
}
