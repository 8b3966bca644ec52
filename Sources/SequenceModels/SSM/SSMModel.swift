// SSMModel.swift — a small S4D network for sequence regression and classification.
//
// input Linear (features → H) → `depth` SSM blocks (SSMBlock.swift) → LayerNorm → pooling over
// time (none / mean / last) → output Linear (H → outputs). With pooling `.none` it maps
// (batch, time, inputs) to (batch, time, outputs) (sequence-to-sequence regression); with
// `.mean`/`.last` to (batch, outputs) (classification logits or one value per sequence).
// Trained in convolution mode; `recurrentCell()` runs the same network one step at a time.
// Without pooling, forward and backward run the whole network one pair of sequences at a time
// (SSMModel+Fused.swift) unless `executionPath = .layered`.

import LinearAlgebra
import Spectral

/// The hyperparameters of an `SSMModel`; stored in model files.
public struct SSMModelConfiguration: Codable, Hashable, Sendable {
    /// Input features per time step.
    public var inputSize: Int
    /// Output features (per time step, or per sequence when pooled).
    public var outputSize: Int
    /// H, the width of the residual stream and the number of SSM channels. Default 64.
    public var width: Int
    /// Number of SSM blocks. Default 2.
    public var depth: Int
    /// N, the state size per channel (N/2 complex modes). Default 64.
    public var stateSize: Int
    /// Initialisation of A. Default S4D-Lin.
    public var initialization: S4DInitialization
    /// Discretisation rule. Default zero-order hold.
    public var discretization: SSMDiscretization
    /// Range of the log-uniform initial Δ. Default [1e-3, 1e-1].
    public var dtMin: Double
    public var dtMax: Double
    /// Whether B is trainable. Default false.
    public var learnableInput: Bool
    /// Channel mixing after each SSM. Default GLU.
    public var mixing: SSMOutputMixing
    /// Dropout probability in each block. Default 0.
    public var dropout: Double
    /// Pooling over time before the head. Default none (sequence-to-sequence).
    public var pooling: SSMPooling
    /// Learning rate of the SSM parameter group; nil inherits the optimiser's. Default 1e-3.
    public var ssmLearningRate: Double?

    public init(inputSize: Int, outputSize: Int, width: Int = 64, depth: Int = 2, stateSize: Int = 64,
                initialization: S4DInitialization = .lin, discretization: SSMDiscretization = .zeroOrderHold,
                dtMin: Double = 1e-3, dtMax: Double = 1e-1, learnableInput: Bool = false, mixing: SSMOutputMixing = .glu,
                dropout: Double = 0, pooling: SSMPooling = .none, ssmLearningRate: Double? = 1e-3) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.width = width
        self.depth = depth
        self.stateSize = stateSize
        self.initialization = initialization
        self.discretization = discretization
        self.dtMin = dtMin
        self.dtMax = dtMax
        self.learnableInput = learnableInput
        self.mixing = mixing
        self.dropout = dropout
        self.pooling = pooling
        self.ssmLearningRate = ssmLearningRate
    }

    /// The configuration of each block's S4D layer.
    public var s4d: S4DConfiguration {
        S4DConfiguration(channels: width, stateSize: stateSize, initialization: initialization, discretization: discretization,
                         dtMin: dtMin, dtMax: dtMax, learnableInput: learnableInput, ssmLearningRate: ssmLearningRate)
    }

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        for (name, value) in [("inputSize", inputSize), ("outputSize", outputSize), ("width", width)] where value < 1 {
            throw .invalidConfiguration(name: name, reason: "must be ≥ 1, got \(value)")
        }
        guard depth >= 0 else { throw .invalidConfiguration(name: "depth", reason: "must be ≥ 0, got \(depth)") }
        guard dropout >= 0 && dropout < 1 else {
            throw .invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got \(dropout)")
        }
        try s4d.validate()
    }
}

/// `y = W_out · Pool(LayerNorm(B_{d−1}(… B_0(W_in x + b_in)))) + b_out` with S4D blocks `B_i`.
/// Parameters: "input.*", "blocks.<i>.*" (see `SSMBlock`), "norm.*", "output.*". The S4D
/// parameters A, log Δ (and B) are in the "ssm" group (`parameterGroupAssignment` lists them).
/// - Complexity: depth × the block's cost, plus 2·B·L·H·(inputs + outputs) flops for the
///   projections.
public final class SSMModel<Scalar: NeuralScalar & FFTScalar>: Layer, SavableModel {
    public static var modelKind: String { "s4d" }
    public let configuration: SSMModelConfiguration
    public let input: Linear<Scalar>
    public let blocks: [SSMBlock<Scalar>]
    public let norm: LayerNorm<Scalar>
    public let pooling: TemporalPooling<Scalar>
    public let output: Linear<Scalar>
    public var mode: LayerMode = .training {
        didSet { for layer in children { layer.mode = mode } }
    }

    private var children: [any Layer<Scalar>] { [input] + blocks + [norm, pooling, output] }

    /// How forward and backward run (`.fused` by default, SSMModel+Fused.swift; `.layered` is the
    /// reference). Setting it sets every block's too. Results agree to rounding.
    public var executionPath: SSMExecutionPath = .fused {
        didSet { for block in blocks { block.executionPath = executionPath } }
    }
    /// Threads for the fused path (default 1: the calling thread). With P > 1 the batch's pairs
    /// of sequences form min(P, ⌈B/2⌉) contiguous groups that run the whole network forward and
    /// backward concurrently, each with its own scratch and parameter-gradient sums, added in
    /// group order afterwards (SSMPairPartition.swift): deterministic for a given P, equal to
    /// P = 1 up to rounding. Each block's kernel and its gradient are computed once, on the
    /// calling thread. Run OpenBLAS at one thread meanwhile (the groups' gemms are small, and
    /// OpenBLAS's own workers would compete for the cores); use at most as many threads as idle
    /// cores. Setting it sets every block's too (used when a pooled model runs its blocks
    /// layer by layer). Takes effect at the next `forward`.
    public var batchParallelism = 1 {
        didSet {
            precondition(batchParallelism >= 1, "batchParallelism must be at least 1, got \(batchParallelism)") // invariant: programmer misuse
            for block in blocks { block.batchParallelism = batchParallelism }
        }
    }
    /// Caches and buffers of the fused path, and which path the last forward took.
    let fusedWorkspace = FusedModelWorkspace<Scalar>()
    var outputBuffer = Tensor<Scalar>(shape: [0])
    var gradientBuffer = Tensor<Scalar>(shape: [0])
    private var forwardWasFused = false

    /// Builds the model with weights drawn from `SplitMix64(seed: seed)` in order: input
    /// projection, blocks, output projection.
    /// - Throws: `SequenceModelError.invalidConfiguration` naming the bad field.
    public init(configuration c: SSMModelConfiguration, seed: UInt64) throws(SequenceModelError) {
        try c.validate()
        configuration = c
        var rng = SplitMix64(seed: seed)
        input = Linear(inputSize: c.inputSize, outputSize: c.width, using: &rng)
        var list: [SSMBlock<Scalar>] = []
        for _ in 0..<c.depth { list.append(try SSMBlock(ssm: c.s4d, mixing: c.mixing, dropout: c.dropout, using: &rng)) }
        blocks = list
        norm = LayerNorm(size: c.width)
        pooling = TemporalPooling(c.pooling)
        output = Linear(inputSize: c.width, outputSize: c.outputSize, using: &rng)
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = input.namedParameters.prefixed("input")
        for (i, block) in blocks.enumerated() { list += block.namedParameters.prefixed("blocks.\(i)") }
        return list + norm.namedParameters.prefixed("norm") + output.namedParameters.prefixed("output")
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else {
            throw .shapeMismatch(operation: "SSMModel input (batch, time, features)", expected: [-1, -1, configuration.inputSize], found: inputShape)
        }
        var shape = inputShape
        for layer in children { shape = try layer.outputShape(for: shape) }
        return shape
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        forwardWasFused = canFuse
        if forwardWasFused { return fusedForward(x) }
        var h = x
        for layer in children { h = layer.forward(h) }
        return h
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        if forwardWasFused { return fusedBackward(dy) }
        var g = dy
        for layer in children.reversed() { g = layer.backward(g) }
        return g
    }
}
