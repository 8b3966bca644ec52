// RecurrentCell.swift — the protocol for one step of a recurrence (Elman RNN, GRU, LSTM, and the
// recurrent mode of an SSM layer), with typed states.
//
// A cell is the *inference* view of a recurrent layer: `zeroState(batch:)` and `step`, which
// advances a typed state by one time step. Training does not go step by step through this
// protocol: the sequence layer that owns a cell (e.g. `LSTM`) conforms to `Layer` on
// (batch, time, features) tensors and implements backpropagation through time itself, so it
// can project the inputs of all time steps with one gemm, keep per-step caches in
// preallocated (time, batch, ·) workspaces, and run the backward recurrence without
// allocating. `step` must compute exactly what one time step of that layer's forward computes
// (a test per cell pins step-by-step output == layer forward).

import LinearAlgebra

/// A recurrent state whose `output` is what the cell emits at each step.
public protocol RecurrentState<Scalar> {
    associatedtype Scalar: NeuralScalar
    /// The per-step output, shape (batch, hiddenSize).
    var output: Tensor<Scalar> { get }
}

/// The state of cells that carry only a hidden vector: Elman RNN, GRU. `output == hidden`.
public struct HiddenState<Scalar: NeuralScalar>: RecurrentState, Sendable {
    /// `h[t]`, shape (batch, hiddenSize).
    public var hidden: Tensor<Scalar>
    public init(hidden: Tensor<Scalar>) { self.hidden = hidden }
    public var output: Tensor<Scalar> { hidden }
}

/// The state of an LSTM: hidden and cell vectors. `output == hidden`.
public struct HiddenCellState<Scalar: NeuralScalar>: RecurrentState, Sendable {
    /// `h[t]`, shape (batch, hiddenSize).
    public var hidden: Tensor<Scalar>
    /// `c[t]`, shape (batch, hiddenSize).
    public var cell: Tensor<Scalar>
    public init(hidden: Tensor<Scalar>, cell: Tensor<Scalar>) {
        self.hidden = hidden
        self.cell = cell
    }
    public var output: Tensor<Scalar> { hidden }
}

/// One step of a recurrence `state[t] = φ(state[t−1], x[t])`, `y[t] = state[t].output`.
///
/// Implementations keep their gate workspaces as stored tensors and update `state` in place,
/// so a generation loop over `step` allocates nothing after the first call.
public protocol RecurrentCell<Scalar>: AnyObject {
    associatedtype Scalar: NeuralScalar
    associatedtype State: RecurrentState where State.Scalar == Scalar

    /// Features per input step.
    var inputSize: Int { get }
    /// Features of the output (the hidden size).
    var hiddenSize: Int { get }

    /// The all-zero initial state for `batch` sequences.
    func zeroState(batch: Int) -> State

    /// Advances `state` by one step with input `x` of shape (batch, inputSize).
    /// - Complexity: one (batch × inputSize) · (inputSize × gates·hidden) and one
    ///   (batch × hidden) · (hidden × gates·hidden) product per step for gated cells.
    func step(_ input: Tensor<Scalar>, state: inout State)

    /// Trainable parameters, named as in the owning sequence layer.
    var namedParameters: [NamedParameter<Scalar>] { get }
}

extension RecurrentCell {
    /// Runs the cell over a (batch, time, inputSize) sequence from `initial` (zeros when nil),
    /// returning the outputs (batch, time, hiddenSize) and the final state. Inference only.
    /// - Complexity: `time` calls of `step`.
    public func run(_ sequence: Tensor<Scalar>, from initial: State? = nil) -> (outputs: Tensor<Scalar>, final: State) {
        precondition(sequence.rank == 3 && sequence.shape[2] == inputSize, "RecurrentCell.run needs (batch, time, \(inputSize)), got \(sequence.shape)") // invariant: shapes checked by caller
        let batch = sequence.shape[0], time = sequence.shape[1], f = inputSize, h = hiddenSize
        var state = initial ?? zeroState(batch: batch)
        var x = Tensor<Scalar>(shape: [batch, f])
        var outputs = Tensor<Scalar>(shape: [batch, time, h])
        for t in 0..<time {
            sequence.withUnsafeBufferPointer { src in
                x.withUnsafeMutableBufferPointer { dst in
                    for b in 0..<batch {
                        for j in 0..<f { dst[b * f + j] = src[(b * time + t) * f + j] }
                    }
                }
            }
            step(x, state: &state)
            state.output.withUnsafeBufferPointer { y in
                outputs.withUnsafeMutableBufferPointer { out in
                    for b in 0..<batch {
                        for j in 0..<h { out[(b * time + t) * h + j] = y[b * h + j] }
                    }
                }
            }
        }
        return (outputs, state)
    }
}
