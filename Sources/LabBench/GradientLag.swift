// GradientLag.swift — how far back a sequence model's gradient reaches: ‖∂y_T/∂x_{T−τ}‖ against
// the lag τ for an Elman RNN, a GRU, an LSTM, an S4D layer and a dense LTI system, built from
// SequenceModels' public layers (the computation behind `sslab gradient-lag`).
//
// Why the gradient vanishes or explodes (Bengio, Simard, Frasconi, "Learning Long-Term
// Dependencies with Gradient Descent is Difficult", 1994; Pascanu, Mikolov, Bengio, "On the
// difficulty of training recurrent neural networks", 2013): for h_t = φ(W h_{t−1} + U x_t + b),
//     ∂h_T/∂x_{T−τ} = Π_{k=T−τ+1}^{T} diag(φ'(a_k)) W · diag(φ'(a_{T−τ})) U,
// a product of τ Jacobians. With |φ'| ≤ 1 its norm is at most ‖W‖^τ ‖U‖, so ρ(W) < 1 makes
// it vanish geometrically; ρ(W) > 1 is needed (not sufficient) for it to explode. A linear
// recurrence (LTI) has exactly ∂y_T/∂u_{T−τ} = h[τ] = C A^(τ−1) B, the kernel tap. Gating puts
// a learned near-identity path in the product: the LSTM's cell c_t = f ⊙ c_{t−1} + i ⊙ g
// contributes diag(f) per step, the GRU's h_t = (1 − z) ⊙ n + z ⊙ h_{t−1} contributes diag(z).
// An S4D layer is linear in time with modes |Ā_n| = |e^{ΔA_n}| < 1, so its gradient decays like
// its slowest mode, at a rate Δ sets. A residual connection y = x + f(x) adds an identity path
// through depth (He et al., "Deep Residual Learning for Image Recognition", 2016), not through time.

import LinearAlgebra
import Numerics
import SequenceModels
import StateSpace

/// Builds a seeded sequence model and measures ‖∂y_T/∂x_{T−τ}‖ for every lag.
public enum GradientLag {
    /// The sequence layer of each block of the probed network.
    public enum Model: String, CaseIterable, Sendable {
        /// Elman RNN, h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).
        case rnn
        /// GRU (PyTorch's equations).
        case gru
        /// LSTM (PyTorch's equations).
        case lstm
        /// S4D (S4D-Lin, zero-order hold) → GELU → Linear(H → H): the time mixing of an SSM block.
        case ssm
        /// A dense linear system x[k+1] = A x[k] + B u[k], y[k] = C x[k] + D u[k].
        case lti
    }

    /// The network and its input. Every field's default is in its comment.
    public struct Configuration: Sendable {
        public var model: Model
        /// H: input features, hidden state and output features of every block. Default 16.
        public var hidden = 16
        /// T: sequence length (lags 0 … T − 1). Default 200.
        public var length = 200
        /// Blocks stacked on top of each other. Default 1.
        public var depth = 1
        /// Wrap every block as y = x + f(x). Default false.
        public var residual = false
        /// Multiplier of the recurrent matrices as drawn: W_hh (every gate block; they start
        /// orthogonal, so this is their spectral radius) or the LTI's A (drawn as an orthogonal
        /// matrix, so again its spectral radius). Not for `ssm`. Default 1.
        public var scale = 1.0
        /// LSTM forget-gate bias b_if + b_hf, or GRU update-gate bias b_iz + b_hz (z keeps the old
        /// state); `nil` keeps the initialisation (LSTM 1, GRU drawn U(±1/√H)).
        public var forgetBias: Double?
        /// S4D step Δ on every channel; `nil` draws Δ log-uniform in [1e-3, 1e-1] per channel.
        public var dt: Double?
        /// N of the S4D layer (even; default 64) or n of the LTI system (default H).
        public var stateSize: Int?
        /// Seed of the input (drawn first, so it is the same for every model) and the weights.
        public var seed: UInt64 = 0
        /// `lti` only: this system instead of a random one (inputs F = m, outputs P = p).
        public var system: DiscreteLTI?

        public init(model: Model) { self.model = model }
    }

    /// The measured curve of one network.
    public struct Curve: Sendable {
        public let model: Model
        /// ‖∂y_{T−1}/∂x_{T−1−τ}‖_F for τ = 0 … T − 1.
        public let norms: [Double]
        /// The largest spectral radius of a recurrent matrix in the network: of every H × H gate
        /// block of W_hh (RNNs), of A (LTI), max |Ā_n| (S4D, the slowest mode).
        public let spectralRadius: Double?
    }

    /// Builds the network of `configuration`, draws its input and returns the norm per lag.
    /// - Throws: `GradientLagError` for an option out of range or not meaningful for the model.
    /// - Complexity: see `jacobianNorms`; backprop costs about 2 × depth × (the block's forward
    ///   at batch H and length T).
    public static func run(_ configuration: Configuration, method: Method = .backprop) throws(GradientLagError) -> Curve {
        var rng = SplitMix64(seed: configuration.seed)
        let (features, _) = try configuration.validated()
        let input = Tensor<Double>.normal([1, configuration.length, features], using: &rng)   // (1, T, F)
        let (network, radius) = try makeNetwork(configuration, using: &rng)
        network.mode = .inference
        return Curve(model: configuration.model, norms: jacobianNorms(of: network, input: input, method: method),
                     spectralRadius: radius)
    }

    /// The stack of `depth` blocks (each wrapped in `Residual` when asked), drawn from `rng`, and
    /// the largest spectral radius of its recurrent matrices (see `Curve.spectralRadius`).
    public static func makeNetwork(_ c: Configuration, using rng: inout SplitMix64) throws(GradientLagError) -> (any Layer<Double>, Double?) {
        _ = try c.validated()
        var blocks: [any Layer<Double>] = []
        var radius: Double?
        for _ in 0..<c.depth {
            let (block, r) = try makeBlock(c, using: &rng)
            blocks.append(c.residual ? Residual(block) : block)
            if let r { radius = Swift.max(radius ?? 0, r) }
        }
        return (blocks.count == 1 ? blocks[0] : Sequential(blocks), radius)
    }

    private static func makeBlock(_ c: Configuration, using rng: inout SplitMix64) throws(GradientLagError) -> (any Layer<Double>, Double?) {
        let h = c.hidden
        switch c.model {
        case .rnn:
            let layer = ElmanRNN<Double>(inputSize: h, hiddenSize: h, using: &rng)
            return (layer, try prepareRecurrent(layer.layers[0], c))
        case .gru:
            let layer = GRU<Double>(inputSize: h, hiddenSize: h, using: &rng)
            return (layer, try prepareRecurrent(layer.layers[0], c))
        case .lstm:
            let layer = LSTM<Double>(inputSize: h, hiddenSize: h, using: &rng)
            return (layer, try prepareRecurrent(layer.layers[0], c))
        case .ssm:
            let config = S4DConfiguration(channels: h, stateSize: c.stateSize ?? 64, dtMin: c.dt ?? 1e-3, dtMax: c.dt ?? 1e-1)
            let ssm: S4D<Double>
            do { ssm = try S4D(configuration: config, using: &rng) } catch { throw .invalid(option: "state-size", reason: "\(error)") }
            let mixing = Linear<Double>(inputSize: h, outputSize: h, using: &rng)
            let slowest = ssm.discreteSystem().aBar.map(\.length).max()
            return (Sequential<Double>([ssm, Activation(.gelu), mixing]), slowest)
        case .lti:
            return try makeLTI(c, using: &rng)
        }
    }

    /// Scales W_hh by `scale`, sets the gate bias, and returns the largest spectral radius of
    /// W_hh's H × H gate blocks.
    private static func prepareRecurrent(_ p: RecurrentLayerParameters<Double>, _ c: Configuration) throws(GradientLagError) -> Double {
        if c.scale != 1 { p.weightHH.value *= c.scale }
        if let b = c.forgetBias {           // gate index 1: the LSTM's f (i, f, g, o), the GRU's z (r, z, n)
            Initializer.setForgetGateBias(p.biasIH, hiddenSize: p.hiddenSize, gateIndex: 1, value: b)
            Initializer.setForgetGateBias(p.biasHH, hiddenSize: p.hiddenSize, gateIndex: 1, value: 0)
        }
        let h = p.hiddenSize, w = p.weightHH.value.scalars
        var radius = 0.0
        for g in 0..<p.kind.gateCount {
            let block = Matrix(rows: h, cols: h, elements: Array(w[(g * h * h)..<((g + 1) * h * h)]))
            do { radius = Swift.max(radius, try block.spectralRadius()) } catch {
                throw .numerical("spectral radius of W_hh: \(error)")
            }
        }
        return radius
    }

    private static func makeLTI(_ c: Configuration, using rng: inout SplitMix64) throws(GradientLagError) -> (any Layer<Double>, Double?) {
        let n = c.system?.stateCount ?? c.stateSize ?? c.hidden
        let m = c.system?.inputCount ?? c.hidden, p = c.system?.outputCount ?? c.hidden
        let layer: DenseLTILayer<Double>
        do {
            // A is drawn as 0.5·Q (Q orthogonal) and rescaled to scale·Q below.
            layer = try DenseLTILayer(configuration: DenseLTIConfiguration(inputSize: m, outputSize: p, stateSize: n, spectralRadius: 0.5),
                                      using: &rng)
        } catch { throw .invalid(option: "state-size", reason: "\(error)") }
        if let s = c.system {
            let mats = s.matrices
            layer.a.value = Tensor(shape: [n, n], scalars: mats.a.elements)
            layer.b.value = Tensor(shape: [n, m], scalars: mats.b.elements)
            layer.c.value = Tensor(shape: [p, n], scalars: mats.c.elements)
            layer.d.value = Tensor(shape: [p, m], scalars: mats.d.elements)
        } else {
            layer.a.value *= c.scale / 0.5
        }
        let radius: Double
        do { radius = try Matrix(rows: n, cols: n, elements: layer.a.value.scalars).spectralRadius() } catch {
            throw .numerical("spectral radius of A: \(error)")
        }
        return (layer, radius)
    }
}

extension GradientLag.Configuration {
    /// Checks every field against the model; returns the input and output widths (F, P).
    func validated() throws(GradientLagError) -> (features: Int, outputs: Int) {
        guard hidden >= 1 && hidden <= 4096 else { throw .invalid(option: "hidden", reason: "must be in 1…4096, got \(hidden)") }
        guard length >= 1 && length <= 1_000_000 else { throw .invalid(option: "length", reason: "must be in 1…1e6, got \(length)") }
        guard depth >= 1 && depth <= 256 else { throw .invalid(option: "depth", reason: "must be in 1…256, got \(depth)") }
        guard scale.isFinite && scale >= 0 else { throw .invalid(option: "scale", reason: "must be finite and ≥ 0, got \(scale)") }
        if model == .ssm && scale != 1 {
            throw .invalid(option: "scale", reason: "ssm has no recurrent weight matrix to scale: its modes |exp(ΔA)| < 1 are set by the step; use --dt")
        }
        if let b = forgetBias {
            guard model == .lstm || model == .gru else { throw .invalid(option: "forget-bias", reason: "applies to lstm and gru only, not \(model.rawValue)") }
            guard b.isFinite else { throw .invalid(option: "forget-bias", reason: "must be finite, got \(b)") }
        }
        if let d = dt {
            guard model == .ssm else { throw .invalid(option: "dt", reason: "applies to ssm only, not \(model.rawValue)") }
            guard d.isFinite && d > 0 else { throw .invalid(option: "dt", reason: "must be a positive finite number, got \(d)") }
        }
        if let n = stateSize {
            switch model {
            case .ssm: guard n >= 2 && n % 2 == 0 && n <= 4096 else { throw .invalid(option: "state-size", reason: "must be even and in 2…4096 for ssm, got \(n)") }
            case .lti: guard n >= 1 && n <= 4096 else { throw .invalid(option: "state-size", reason: "must be in 1…4096, got \(n)") }
            default: throw .invalid(option: "state-size", reason: "applies to ssm and lti only, not \(model.rawValue)")
            }
        }
        guard let s = system else { return (hidden, hidden) }
        guard model == .lti else { throw .invalid(option: "system", reason: "applies to lti only, not \(model.rawValue)") }
        guard stateSize == nil else { throw .invalid(option: "state-size", reason: "the system file fixes the state size") }
        guard scale == 1 else { throw .invalid(option: "scale", reason: "does not apply to a system from a file (scale A in the file instead)") }
        guard depth == 1 else { throw .invalid(option: "depth", reason: "a system from a file is one block; got \(depth)") }
        if residual && s.inputCount != s.outputCount {
            throw .invalid(option: "residual", reason: "y = u + f(u) needs as many outputs as inputs; the system has \(s.inputCount) inputs and \(s.outputCount) outputs")
        }
        return (s.inputCount, s.outputCount)
    }
}

/// An option of `GradientLag.Configuration` out of range or not meaningful for the model, or a
/// failed eigenvalue computation.
public enum GradientLagError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(option: String, reason: String)
    case numerical(String)

    public var description: String {
        switch self {
        case let .invalid(option, reason): return "--\(option): \(reason)"
        case let .numerical(detail): return "gradient-lag: \(detail)"
        }
    }
}
