// RecurrentArchitecture.swift — Elman RNN, GRU and LSTM as one layer type with three cell laws.
//
// The three recurrences share everything but the point-wise gate law: PyTorch's weight layout
// (`weight_ih (G·H, I)`, `weight_hh (G·H, H)`, `bias_ih`, `bias_hh`, gate blocks stacked by rows),
// stacking, initial and carried states, truncated backpropagation through time, the gemm
// structure of forward and backward. So there is one sequence layer, `RecurrentLayer`, and one
// cell, `RecurrentLayerCell`, generic over an architecture that fixes the gate law and the state
// type; `LSTM`, `GRU`, `ElmanRNN` (and their cells) are names for the three instances, and
// every option means the same thing for all three.

import LinearAlgebra

/// The gate law of a recurrent layer (PyTorch's equations and gate order).
public enum RecurrentKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Elman RNN: `h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)`.
    case elman
    /// GRU, gates r, z, n: `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
    /// `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}`
    /// (Cho et al., "Learning Phrase Representations using RNN Encoder–Decoder for Statistical
    /// Machine Translation", 2014, with b_hn inside the reset product as in cuDNN and PyTorch).
    case gru
    /// LSTM, gates i, f, g, o: `[i f g o] = [σ σ tanh σ](W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)`,
    /// `c_t = f ⊙ c_{t−1} + i ⊙ g`, `h_t = o ⊙ tanh c_t` (Hochreiter & Schmidhuber, "Long
    /// Short-Term Memory", 1997; forget gate: Gers et al., "Learning to Forget", 2000).
    case lstm

    /// G, the number of gate blocks stacked in the weights.
    public var gateCount: Int {
        switch self {
        case .elman: return 1
        case .gru: return 3
        case .lstm: return 4
        }
    }

    /// Whether the state has a cell vector besides the hidden vector.
    public var hasCellState: Bool { self == .lstm }
}

/// Fixes the gate law and the state type of `RecurrentLayer` / `RecurrentLayerCell`.
public protocol RecurrentArchitecture {
    associatedtype Scalar: NeuralScalar
    associatedtype State: RecurrentState where State.Scalar == Scalar
    static var kind: RecurrentKind { get }
    /// A state from its hidden vector and (LSTM only) cell vector, each (batch, hidden).
    static func state(hidden: Tensor<Scalar>, cell: Tensor<Scalar>?) -> State
    /// The hidden vector of a state.
    static func hidden(of state: State) -> Tensor<Scalar>
    /// The cell vector of a state (`nil` unless the kind has one).
    static func cell(of state: State) -> Tensor<Scalar>?
}

/// The LSTM gate law; state (h, c).
public enum LSTMArchitecture<Scalar: NeuralScalar>: RecurrentArchitecture {
    public static var kind: RecurrentKind { .lstm }
    public static func state(hidden: Tensor<Scalar>, cell: Tensor<Scalar>?) -> HiddenCellState<Scalar> {
        guard let cell else { preconditionFailure("an LSTM state needs a cell vector") } // invariant: engine always supplies c for LSTM
        return HiddenCellState(hidden: hidden, cell: cell)
    }
    public static func hidden(of state: HiddenCellState<Scalar>) -> Tensor<Scalar> { state.hidden }
    public static func cell(of state: HiddenCellState<Scalar>) -> Tensor<Scalar>? { state.cell }
}

/// The GRU gate law; state h.
public enum GRUArchitecture<Scalar: NeuralScalar>: RecurrentArchitecture {
    public static var kind: RecurrentKind { .gru }
    public static func state(hidden: Tensor<Scalar>, cell: Tensor<Scalar>?) -> HiddenState<Scalar> { HiddenState(hidden: hidden) }
    public static func hidden(of state: HiddenState<Scalar>) -> Tensor<Scalar> { state.hidden }
    public static func cell(of state: HiddenState<Scalar>) -> Tensor<Scalar>? { nil }
}

/// The Elman (tanh) gate law; state h.
public enum ElmanArchitecture<Scalar: NeuralScalar>: RecurrentArchitecture {
    public static var kind: RecurrentKind { .elman }
    public static func state(hidden: Tensor<Scalar>, cell: Tensor<Scalar>?) -> HiddenState<Scalar> { HiddenState(hidden: hidden) }
    public static func hidden(of state: HiddenState<Scalar>) -> Tensor<Scalar> { state.hidden }
    public static func cell(of state: HiddenState<Scalar>) -> Tensor<Scalar>? { nil }
}

/// `torch.nn.LSTM(batch_first: true)`: a stack of LSTM layers on (batch, time, features).
public typealias LSTM<Scalar: NeuralScalar> = RecurrentLayer<LSTMArchitecture<Scalar>>
/// `torch.nn.GRU(batch_first: true)`.
public typealias GRU<Scalar: NeuralScalar> = RecurrentLayer<GRUArchitecture<Scalar>>
/// `torch.nn.RNN(nonlinearity: "tanh", batch_first: true)`.
public typealias ElmanRNN<Scalar: NeuralScalar> = RecurrentLayer<ElmanArchitecture<Scalar>>

/// One LSTM layer stepped by hand (`torch.nn.LSTMCell` with PyTorch's two biases).
public typealias LSTMCell<Scalar: NeuralScalar> = RecurrentLayerCell<LSTMArchitecture<Scalar>>
/// One GRU layer stepped by hand.
public typealias GRUCell<Scalar: NeuralScalar> = RecurrentLayerCell<GRUArchitecture<Scalar>>
/// One Elman layer stepped by hand.
public typealias ElmanCell<Scalar: NeuralScalar> = RecurrentLayerCell<ElmanArchitecture<Scalar>>
