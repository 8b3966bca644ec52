// TCN.swift — a temporal convolutional network: stacked residual blocks with exponentially
// growing dilations (Bai, Kolter & Koltun, 2018), then a linear head.
//
// Level i has dilation 2ⁱ, so `levels` blocks of kernel k see 1 + 2(k − 1)(2^levels − 1) steps:
// the receptive field grows exponentially with depth at linear cost, and every output is causal.

import LinearAlgebra

/// The hyperparameters of a `TCN`; stored in model files.
public struct TCNConfiguration: Codable, Hashable, Sendable {
    /// Whether the head reads every time step or a summary of the sequence.
    public enum Head: String, Codable, Hashable, Sendable, CaseIterable {
        /// Output (batch, time, outputSize): one prediction per step (sequence to sequence).
        case perStep
        /// Output (batch, outputSize): the head reads the mean over time (classification).
        case globalAverage
    }

    /// Input channels.
    public var inputSize: Int
    /// Output features (per step, or per sequence with `.globalAverage`).
    public var outputSize: Int
    /// Channels of every block. Default 32.
    public var channels: Int
    /// Number of residual blocks; block i has dilation 2ⁱ. Default 4.
    public var levels: Int
    /// Kernel size of every convolution. Default 3.
    public var kernelSize: Int
    /// Dropout after each convolution's nonlinearity. Default 0.
    public var dropout: Double
    /// Nonlinearity (the paper's is ReLU). Default ReLU.
    public var activation: ActivationKind
    /// Head placement. Default per step.
    public var head: Head

    public init(inputSize: Int, outputSize: Int, channels: Int = 32, levels: Int = 4, kernelSize: Int = 3,
                dropout: Double = 0, activation: ActivationKind = .relu, head: Head = .perStep) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.channels = channels
        self.levels = levels
        self.kernelSize = kernelSize
        self.dropout = dropout
        self.activation = activation
        self.head = head
    }

    /// Steps each output depends on: 1 + 2(k − 1)(2^levels − 1).
    public var receptiveField: Int { 1 + 2 * (kernelSize - 1) * ((1 << levels) - 1) }

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        for (name, value) in [("inputSize", inputSize), ("outputSize", outputSize), ("channels", channels),
                              ("levels", levels), ("kernelSize", kernelSize)] where value < 1 {
            throw .invalidConfiguration(name: name, reason: "must be ≥ 1, got \(value)")
        }
        guard levels <= 30 else { throw .invalidConfiguration(name: "levels", reason: "dilation 2^\(levels - 1) is too large (at most 30 levels)") }
        guard dropout >= 0 && dropout < 1 else {
            throw .invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got \(dropout)")
        }
    }
}

/// `y = W_out · pool(B_{L−1}(… B_0(x))) + b_out` with `TemporalBlock`s B_i of dilation 2ⁱ and
/// `pool` the identity (per step) or `GlobalAveragePool`.
/// Parameters: "blocks.<i>.*", "output.*".
public final class TCN<Scalar: NeuralScalar>: LayerChain, SavableModel {
    public static var modelKind: String { "tcn" }
    public let configuration: TCNConfiguration
    public let blocks: [TemporalBlock<Scalar>]
    /// The time pooling before the head (`.globalAverage` only).
    public let pool: GlobalAveragePool<Scalar>?
    public let output: Linear<Scalar>
    public var mode: LayerMode = .training {
        didSet { propagate(mode) }
    }

    public var chain: [any Layer<Scalar>] { blocks + (pool.map { [$0] } ?? []) + [output] }

    /// Builds the model with weights drawn from `SplitMix64(seed: seed)`.
    /// - Throws: `SequenceModelError.invalidConfiguration` naming the bad field.
    public init(configuration c: TCNConfiguration, seed: UInt64) throws(SequenceModelError) {
        try c.validate()
        configuration = c
        var rng = SplitMix64(seed: seed)
        blocks = (0..<c.levels).map { i in
            TemporalBlock(inputChannels: i == 0 ? c.inputSize : c.channels, outputChannels: c.channels, kernelSize: c.kernelSize,
                          dilation: 1 << i, activation: c.activation, dropout: c.dropout, using: &rng)
        }
        pool = c.head == .globalAverage ? GlobalAveragePool() : nil
        output = Linear(inputSize: c.channels, outputSize: c.outputSize, using: &rng)
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list: [NamedParameter<Scalar>] = []
        for (i, block) in blocks.enumerated() { list += block.namedParameters.prefixed("blocks.\(i)") }
        return list + output.namedParameters.prefixed("output")
    }

    /// Sets (or clears) the time mask (batch, time) of the global-average head (padding
    /// excluded from the mean); ignored by a per-step head. See `GlobalAveragePool.setMask`.
    public func setPoolingMask(_ mask: Tensor<Scalar>?) throws(SequenceModelError) {
        try pool?.setMask(mask)
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        return try chainOutputShape(inputShape)
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { chainForward(x) }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> { chainBackward(dy) }
}
