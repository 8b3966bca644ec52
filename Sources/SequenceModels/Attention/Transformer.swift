// Transformer.swift — a small decoder-only Transformer for sequence-to-sequence tasks.
//
// input (embedding of token ids, or a linear projection of features) → positional encoding →
// dropout → `depth` pre-norm blocks → LayerNorm → output Linear, applied at every time step.
// With causal attention (the default) output t depends on inputs 0…t only, like the recurrent
// and SSM models it is compared with. In the spirit of nanoGPT: one typed configuration with
// every default stated.

import LinearAlgebra

/// The hyperparameters of a `Transformer`; stored in model files.
public struct TransformerConfiguration: Codable, Hashable, Sendable {
    /// What the model reads.
    public enum Input: Codable, Hashable, Sendable {
        /// Real-valued features (batch, time, size), projected by a Linear layer.
        case features(size: Int)
        /// Token ids (batch, time) in 0..<vocabularySize, looked up in an Embedding.
        case tokens(vocabularySize: Int)
    }

    /// How positions are encoded.
    public enum Positions: String, Codable, Hashable, Sendable, CaseIterable {
        /// Fixed sinusoids (any length).
        case sinusoidal
        /// A learned table of `maxLength` rows.
        case learned
        /// None (the model is then permutation-equivariant up to the causal mask).
        case none
    }

    public var input: Input
    /// Output features per time step.
    public var outputSize: Int
    /// Width d of the residual stream. Default 64.
    public var modelSize: Int
    /// Attention heads; must divide `modelSize`. Default 4.
    public var heads: Int
    /// Number of blocks. Default 2.
    public var depth: Int
    /// Feed-forward inner width as a multiple of d. Default 4.
    public var expansion: Int
    /// Positional encoding. Default sinusoidal.
    public var positions: Positions
    /// Longest sequence for learned positions. Default 1024.
    public var maxLength: Int
    /// Dropout after the input and in every residual branch. Default 0.
    public var dropout: Double
    /// Feed-forward nonlinearity. Default exact GELU.
    public var activation: ActivationKind
    /// Whether attention is causal. Default true.
    public var causal: Bool
    /// Whether the attention projections have biases. Default true.
    public var attentionBias: Bool

    public init(input: Input, outputSize: Int, modelSize: Int = 64, heads: Int = 4, depth: Int = 2, expansion: Int = 4,
                positions: Positions = .sinusoidal, maxLength: Int = 1024, dropout: Double = 0,
                activation: ActivationKind = .gelu, causal: Bool = true, attentionBias: Bool = true) {
        self.input = input
        self.outputSize = outputSize
        self.modelSize = modelSize
        self.heads = heads
        self.depth = depth
        self.expansion = expansion
        self.positions = positions
        self.maxLength = maxLength
        self.dropout = dropout
        self.activation = activation
        self.causal = causal
        self.attentionBias = attentionBias
    }

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        let inputSize: (String, Int)
        switch input {
        case let .features(size): inputSize = ("input.size", size)
        case let .tokens(vocabularySize): inputSize = ("input.vocabularySize", vocabularySize)
        }
        for (name, value) in [inputSize, ("outputSize", outputSize), ("modelSize", modelSize), ("heads", heads),
                              ("expansion", expansion), ("maxLength", maxLength)] where value < 1 {
            throw .invalidConfiguration(name: name, reason: "must be ≥ 1, got \(value)")
        }
        guard modelSize % heads == 0 else {
            throw .invalidConfiguration(name: "heads", reason: "\(heads) heads do not divide modelSize \(modelSize)")
        }
        guard depth >= 0 else { throw .invalidConfiguration(name: "depth", reason: "must be ≥ 0, got \(depth)") }
        guard dropout >= 0 && dropout < 1 else {
            throw .invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got \(dropout)")
        }
    }
}

/// `y = W_out · LayerNorm(B_{n−1}(… B_0(Dropout(E(x) + P)))) + b_out` with `TransformerBlock`s
/// B_i, input map E (Embedding or Linear) and positions P.
/// Parameters: "input.*", "positions.weight" (learned only), "blocks.<i>.*", "norm.*", "output.*".
/// - Complexity: per block, 12·N·d² + 2·B·T²·d flops forward (N = B·T), twice that backward.
public final class Transformer<Scalar: NeuralScalar>: LayerChain, SavableModel {
    public static var modelKind: String { "transformer" }
    public let configuration: TransformerConfiguration
    /// Embedding (tokens) or Linear (features).
    public let input: any Layer<Scalar>
    /// The positional encoding, nil for `.none`.
    public let positions: (any Layer<Scalar>)?
    public let inputDropout: Dropout<Scalar>
    public let blocks: [TransformerBlock<Scalar>]
    public let norm: LayerNorm<Scalar>
    public let output: Linear<Scalar>
    public var mode: LayerMode = .training {
        didSet { propagate(mode) }
    }

    public var chain: [any Layer<Scalar>] {
        [input] + (positions.map { [$0] } ?? []) + [inputDropout] + blocks + [norm, output]
    }

    /// Builds the model with weights drawn from `SplitMix64(seed: seed)`.
    /// - Throws: `SequenceModelError.invalidConfiguration` naming the bad field.
    public init(configuration c: TransformerConfiguration, seed: UInt64) throws(SequenceModelError) {
        try c.validate()
        configuration = c
        var rng = SplitMix64(seed: seed)
        switch c.input {
        case let .features(size): input = Linear<Scalar>(inputSize: size, outputSize: c.modelSize, using: &rng)
        case let .tokens(vocabularySize): input = Embedding<Scalar>(vocabularySize: vocabularySize, embeddingSize: c.modelSize, using: &rng)
        }
        switch c.positions {
        case .sinusoidal: positions = SinusoidalPositionalEncoding<Scalar>(size: c.modelSize)
        case .learned: positions = LearnedPositionalEncoding<Scalar>(maxLength: c.maxLength, size: c.modelSize, using: &rng)
        case .none: positions = nil
        }
        blocks = (0..<c.depth).map { _ in
            TransformerBlock(size: c.modelSize, heads: c.heads, hiddenSize: c.expansion * c.modelSize, activation: c.activation,
                             dropout: c.dropout, causal: c.causal, attentionBias: c.attentionBias, using: &rng)
        }
        norm = LayerNorm(size: c.modelSize)
        output = Linear(inputSize: c.modelSize, outputSize: c.outputSize, using: &rng)
        inputDropout = Dropout(rate: c.dropout, seed: rng.next())
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = input.namedParameters.prefixed("input")
        if let positions { list += positions.namedParameters.prefixed("positions") }
        for (i, block) in blocks.enumerated() { list += block.namedParameters.prefixed("blocks.\(i)") }
        return list + norm.namedParameters.prefixed("norm") + output.namedParameters.prefixed("output")
    }

    /// Sets (or clears) the key mask (batch, time) of every block's attention; see
    /// `CausalSelfAttention.setKeyMask`.
    public func setKeyMask(_ mask: Tensor<Scalar>?) throws(SequenceModelError) {
        for block in blocks { try block.attention.setKeyMask(mask) }
    }

    /// Checks shapes and, for token input, that every id is an integer in range.
    public func validateInput(_ x: Tensor<Scalar>) throws(SequenceModelError) {
        if let embedding = input as? Embedding<Scalar> { try embedding.validate(x) }
        _ = try outputShape(for: x.shape)
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        if case .tokens = configuration.input, inputShape.count != 2 {
            throw .shapeMismatch(operation: "Transformer token input (batch, time)", expected: [-1, -1], found: inputShape)
        }
        return try chainOutputShape(inputShape)
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { chainForward(x) }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> { chainBackward(dy) }
}
