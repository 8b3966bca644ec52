// SSMBlock.swift — the standard residual block around an S4D layer.
//
// As in the S4/S4D reference models (Gu, Gupta, Goel, Ré, "On the Parameterization and
// Initialization of Diagonal State Space Models", 2022; the s4d.py example), with pre-norm
// placement:
//     z = LayerNorm(x)
//     z = Dropout(GELU(S4D(z)))             the SSM mixes along time, per channel
//     z = Dropout(Mix(z))                   the output mixing mixes channels, per time step:
//                                             .glu:  GLU(Linear_{H→2H}(z))   (the S4 default)
//                                             .gelu: GELU(Linear_{H→H}(z))
//     y = x + z
// Backward runs the chain in reverse and adds the residual's identity gradient. By default both
// run one pair of sequences at a time through the whole chain (SSMBlock+Fused.swift), so the
// intermediates stay in cache; `executionPath = .layered` runs the layers one after another.

import LinearAlgebra
import Spectral

/// The channel-mixing layer after the SSM.
public enum SSMOutputMixing: String, Codable, Sendable, CaseIterable {
    /// `GLU(Linear_{H→2H}(z))`.
    case glu
    /// `GELU(Linear_{H→H}(z))`.
    case gelu
}

/// `y = x + Dropout(Mix(Dropout(GELU(S4D(LayerNorm(x))))))` on (batch, time, H).
/// Parameters: "norm.*", "ssm.*" (see `S4D`), "mixing.weight", "mixing.bias".
/// - Complexity: the S4D layer's O(H P L + B H L log L) plus the mixing's 2·B·L·H·(2H) flops
///   (`.glu`; half for `.gelu`); backward about twice the forward.
public final class SSMBlock<Scalar: NeuralScalar & FFTScalar>: Layer {
    public let norm: LayerNorm<Scalar>
    public let ssm: S4D<Scalar>
    public let activation: Activation<Scalar>
    public let dropout: Dropout<Scalar>
    public let mixing: Linear<Scalar>
    public let mixingActivation: any Layer<Scalar>
    public let outputDropout: Dropout<Scalar>
    public var mode: LayerMode = .training {
        didSet { for layer in children { layer.mode = mode } }
    }

    private var children: [any Layer<Scalar>] { [norm, ssm, activation, dropout, mixing, mixingActivation, outputDropout] }
    /// How forward and backward run (`.fused` by default; `.layered` is the reference).
    /// Results agree to rounding. Takes effect at the next `forward`.
    public var executionPath: SSMExecutionPath = .fused
    /// Threads for the fused path (default 1: the calling thread). With P > 1 the batch's pairs
    /// of sequences form min(P, ⌈B/2⌉) contiguous groups that run forward and backward
    /// concurrently, each with its own scratch and parameter-gradient sums, added in group order
    /// afterwards (SSMPairPartition.swift): deterministic for a given P, equal to P = 1 up to
    /// rounding. The kernel and its gradient are computed once, on the calling thread. The
    /// groups call BLAS on (≤ 512, H)-row blocks; run OpenBLAS at one thread meanwhile so its
    /// own workers do not compete for the cores. Use at most as many threads as idle cores.
    /// The layered path ignores it. Takes effect at the next `forward`.
    public var batchParallelism = 1 {
        didSet { precondition(batchParallelism >= 1, "batchParallelism must be at least 1, got \(batchParallelism)") } // invariant: programmer misuse
    }

    /// Output and input-gradient buffers, reused across calls (`Tensor.resize(to:)` inside
    /// `Tensor.add(_:_:into:)`); the residual sums go there instead of into a child's output.
    var outputBuffer = Tensor<Scalar>(shape: [0])
    var gradientBuffer = Tensor<Scalar>(shape: [0])
    /// Caches and scratch of the fused path (SSMBlock+Fused.swift), and which path the last
    /// forward took.
    let workspace = FusedBlockWorkspace<Scalar>()
    private var forwardWasFused = false

    /// A block of width `configuration.channels`. Draws from `rng` in order: the S4D layer, the
    /// mixing weights, then the two dropout seeds.
    /// - Throws: `SequenceModelError.invalidConfiguration` for a bad S4D field or dropout rate.
    public init(ssm configuration: S4DConfiguration, mixing kind: SSMOutputMixing = .glu, dropout rate: Double = 0,
                using rng: inout SplitMix64) throws(SequenceModelError) {
        guard rate >= 0 && rate < 1 else { throw .invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got \(rate)") }
        let h = configuration.channels
        norm = LayerNorm(size: h)
        ssm = try S4D(configuration: configuration, using: &rng)
        activation = Activation(.gelu)
        switch kind {
        case .glu:
            mixing = Linear(inputSize: h, outputSize: 2 * h, using: &rng)
            mixingActivation = GLU<Scalar>()
        case .gelu:
            mixing = Linear(inputSize: h, outputSize: h, using: &rng)
            mixingActivation = Activation<Scalar>(.gelu)
        }
        dropout = Dropout(rate: rate, seed: rng.next())
        outputDropout = Dropout(rate: rate, seed: rng.next())
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        norm.namedParameters.prefixed("norm") + ssm.namedParameters.prefixed("ssm") + mixing.namedParameters.prefixed("mixing")
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        var shape = inputShape
        for layer in children { shape = try layer.outputShape(for: shape) }
        guard shape == inputShape else { throw .shapeMismatch(operation: "SSMBlock output", expected: inputShape, found: shape) }
        return shape
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        forwardWasFused = canFuse
        if forwardWasFused { return fusedForward(x) }
        var h = x
        for layer in children { h = layer.forward(h) }
        Tensor.add(h, x, into: &outputBuffer)
        return outputBuffer
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        if forwardWasFused { return fusedBackward(dy) }
        var g = dy
        for layer in children.reversed() { g = layer.backward(g) }
        Tensor.add(g, dy, into: &gradientBuffer)
        return gradientBuffer
    }
}
