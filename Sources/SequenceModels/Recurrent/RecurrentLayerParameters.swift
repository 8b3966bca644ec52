// RecurrentLayerParameters.swift — the four parameters of one recurrent layer and how they
// are initialised.
//
// Layout is PyTorch's, so fixture and checkpoint weights load unchanged: `weight_ih` (G·H, I),
// `weight_hh` (G·H, H), `bias_ih` (G·H), `bias_hh` (G·H), gate blocks stacked by rows in the
// kind's gate order (LSTM i, f, g, o; GRU r, z, n).

import LinearAlgebra

/// How the weights of a recurrent layer are drawn.
///
/// PyTorch draws every weight and bias from `U(−1/√H, 1/√H)`. `.recommended` keeps that for
/// `weight_ih` and the biases but makes each H × H gate block of `weight_hh` orthogonal (Saxe
/// et al., "Exact solutions to the nonlinear dynamics of learning in deep linear neural
/// networks", 2014: the recurrence starts norm-preserving) and, for the LSTM, sets the
/// forget-gate bias to 1 (Jozefowicz et al., "An Empirical Exploration of Recurrent Network
/// Architectures", 2015) — in `bias_ih`, with `bias_hh`'s forget slice 0, so the total is 1.
public struct RecurrentInitialization: Sendable, Hashable {
    /// Orthogonal H × H gate blocks in `weight_hh` (via `Initializer.orthogonal`).
    public var orthogonalRecurrentWeights: Bool
    /// The LSTM forget-gate bias `b_if + b_hf`, or `nil` for PyTorch's draw. Ignored by GRU and Elman.
    public var forgetGateBias: Double?

    public init(orthogonalRecurrentWeights: Bool, forgetGateBias: Double?) {
        self.orthogonalRecurrentWeights = orthogonalRecurrentWeights
        self.forgetGateBias = forgetGateBias
    }

    /// PyTorch's default: everything `U(±1/√H)`. With the same `SplitMix64` the draws match the
    /// fixture generator (per layer: weight_ih, weight_hh, bias_ih, bias_hh, row-major).
    public static var pytorch: RecurrentInitialization { RecurrentInitialization(orthogonalRecurrentWeights: false, forgetGateBias: nil) }

    /// Orthogonal recurrent blocks and LSTM forget-gate bias 1; the default.
    public static var recommended: RecurrentInitialization { RecurrentInitialization(orthogonalRecurrentWeights: true, forgetGateBias: 1) }
}

/// The parameters of layer `l` of a recurrent stack (shared by the layer and its cells).
public struct RecurrentLayerParameters<Scalar: NeuralScalar> {
    public let kind: RecurrentKind
    /// Features entering this layer (the stack's input size for layer 0, H above).
    public let inputSize: Int
    public let hiddenSize: Int
    /// `W_ih`, shape (G·H, inputSize).
    public let weightIH: Parameter<Scalar>
    /// `W_hh`, shape (G·H, H).
    public let weightHH: Parameter<Scalar>
    /// `b_ih`, shape (G·H).
    public let biasIH: Parameter<Scalar>
    /// `b_hh`, shape (G·H).
    public let biasHH: Parameter<Scalar>

    /// Draws the weights (see `RecurrentInitialization`) in the order weight_ih, weight_hh,
    /// bias_ih, bias_hh.
    public init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, initialization: RecurrentInitialization,
                using rng: inout SplitMix64) {
        precondition(inputSize >= 1 && hiddenSize >= 1, "recurrent layer sizes must be positive, got input \(inputSize), hidden \(hiddenSize)") // invariant: programmer misuse
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let gh = kind.gateCount * hiddenSize
        let bound = 1 / Double(hiddenSize).squareRoot()
        let uniform = Initializer.uniform(lo: -bound, hi: bound)
        weightIH = Parameter(uniform.tensor([gh, inputSize], using: &rng))
        if initialization.orthogonalRecurrentWeights {
            var blocks = [Scalar]()
            blocks.reserveCapacity(gh * hiddenSize)
            for _ in 0..<kind.gateCount {
                let block: Tensor<Scalar> = Initializer.orthogonal(gain: 1).tensor([hiddenSize, hiddenSize], using: &rng)
                blocks += block.scalars
            }
            weightHH = Parameter(Tensor(shape: [gh, hiddenSize], scalars: blocks))
        } else {
            weightHH = Parameter(uniform.tensor([gh, hiddenSize], using: &rng))
        }
        biasIH = Parameter(uniform.tensor([gh], using: &rng))
        biasHH = Parameter(uniform.tensor([gh], using: &rng))
        if kind == .lstm, let forget = initialization.forgetGateBias {
            Initializer.setForgetGateBias(biasIH, hiddenSize: hiddenSize, gateIndex: 1, value: forget)
            Initializer.setForgetGateBias(biasHH, hiddenSize: hiddenSize, gateIndex: 1, value: 0)
        }
    }

    /// The parameters with PyTorch's names for layer `l`: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.
    public func named(layer l: Int) -> [NamedParameter<Scalar>] {
        [NamedParameter("weight_ih_l\(l)", weightIH), NamedParameter("weight_hh_l\(l)", weightHH),
         NamedParameter("bias_ih_l\(l)", biasIH), NamedParameter("bias_hh_l\(l)", biasHH)]
    }

    /// The biases as the kernels add them: `bias` (G·H) = b_ih + b_hh, except for the GRU's
    /// new gate, whose recurrent bias b_hn sits inside the reset product and goes to
    /// `newGateBias` (H) instead (`bias` then holds b_in alone there).
    /// - Complexity: O(G·H).
    func combineBiases(into bias: UnsafeMutablePointer<Scalar>, newGateBias: UnsafeMutablePointer<Scalar>) {
        let h = hiddenSize, gh = kind.gateCount * h
        let separate = kind == .gru ? 2 * h : gh     // b_hh entries folded into `bias`
        biasIH.value.withUnsafeBufferPointer { bi in
            biasHH.value.withUnsafeBufferPointer { bh in
                for j in 0..<gh { bias[j] = j < separate ? bi[j] + bh[j] : bi[j] }
                if kind == .gru { for j in 0..<h { newGateBias[j] = bh[2 * h + j] } }
            }
        }
    }
}
