// RecurrentLayer.swift — LSTM, GRU and Elman RNN stacks as `Layer`s on (batch, time, features).
//
// The layer owns the parameters and the state options; the numerical work is in
// RecurrentEngine (forward, backpropagation through time) and the gate kernels.

import LinearAlgebra

/// A stack of `layerCount` recurrent layers (`LSTM`, `GRU`, `ElmanRNN`) mapping
/// x (B, T, inputSize) to the top layer's hidden states (B, T, hiddenSize), with
/// hand-written backpropagation through time. Layer l > 0 takes layer l − 1's h_t as input.
///
/// **Initial state.** `forward(x, initialState:)` starts every layer from the given state
/// (one per layer, each (B, H)); `forward(x)` starts from zeros — or, when `isStateful`, from
/// the state the previous call ended in. After a forward, `finalState` holds each layer's
/// state after the last step; after a backward, `initialStateGradient` holds ∂L/∂ of the
/// initial states (whether given, carried or zero).
///
/// **Stateful mode** (streaming, long sequences): with `isStateful`, each call's final state
/// becomes the next call's initial state, *detached*: backward of the next call reports its
/// gradient in `initialStateGradient` but nothing flows into the earlier call. Running a long
/// sequence as consecutive calls gives the same outputs as one call; `resetState()` starts over.
///
/// **Truncated BPTT** (`truncation = k`): each call's sequence is cut into chunks of k steps
/// from t = 0; the state entering a chunk is a constant for backward, so the gradient of the
/// output at step t flows back through the steps of its own chunk only (at most k steps) and
/// the initial state receives gradient from chunk 0 alone. Equivalent to stateful calls on
/// chunks of length k with the parameter gradients summed. `nil` (default): full BPTT.
///
/// Parameters are named as PyTorch names them (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
/// `bias_hh_l0`, `weight_ih_l1`, …), with PyTorch's layouts and gate orders.
/// **Threads**: `batchParallelism` runs groups of sequences on several threads at once.
///
/// - Complexity: forward per layer one (T·B × I)·(I × G·H) gemm, T gemms (B × H)·(H × G·H) and
///   T fused point-wise passes; backward the same recurrence in reverse plus three gemms over
///   all T·B rows; no allocation per step. G = 4 (LSTM), 3 (GRU), 1 (Elman).
public final class RecurrentLayer<Architecture: RecurrentArchitecture>: Layer {
    public typealias Scalar = Architecture.Scalar
    public typealias State = Architecture.State

    public var kind: RecurrentKind { Architecture.kind }
    /// Features per input step.
    public let inputSize: Int
    /// Features of each layer's state and of the output.
    public let hiddenSize: Int
    /// The parameters of each layer, bottom first.
    public let layers: [RecurrentLayerParameters<Scalar>]
    public var mode: LayerMode = .training
    /// Truncated BPTT window in steps (≥ 1), or `nil` for full backpropagation through time.
    public var truncation: Int? {
        didSet { precondition(truncation.map { $0 >= 1 } ?? true, "truncation must be at least 1 step, got \(truncation!)") } // invariant: programmer misuse (configs are validated)
    }
    /// Carry each call's final state into the next call (see the type's documentation).
    public var isStateful = false {
        didSet { if !isStateful { carriedState = nil } }
    }
    /// The state the next stateful call starts from (`nil`: zeros).
    public private(set) var carriedState: [State]?
    /// Each layer's state after the last step of the most recent forward.
    public private(set) var finalState: [State] = []
    /// ∂L/∂(each layer's initial state) from the most recent backward.
    public private(set) var initialStateGradient: [State] = []

    /// Fast SIMD gate kernels or the plain reference loops.
    public var kernelPath: RecurrentKernelPath {
        get { engine.path }
        set { engine.path = newValue }
    }

    /// Threads the forward and backward time loops split the batch over (default 1: the whole
    /// recurrence on the calling thread). With P > 1 the B sequences form P contiguous groups
    /// that run the whole recurrence concurrently; the per-step gemms are blocked small enough
    /// to stay on their own thread (see `RecurrentStep.singleThreadGemmWork`), and the products
    /// over all steps are still single BLAS calls. Results equal P = 1 up to rounding. Use at
    /// most as many threads as there are idle cores.
    public var batchParallelism: Int {
        get { engine.batchParallelism }
        set {
            precondition(newValue >= 1, "batchParallelism must be at least 1, got \(newValue)") // invariant: programmer misuse
            engine.batchParallelism = newValue
        }
    }

    private let engine: RecurrentEngine<Scalar>

    /// A stack of `layers` layers, drawn layer by layer from `rng` (see `RecurrentInitialization`).
    public init(inputSize: Int, hiddenSize: Int, layers count: Int = 1,
                initialization: RecurrentInitialization = .recommended, using rng: inout SplitMix64) {
        precondition(count >= 1, "a recurrent stack needs at least one layer") // invariant: programmer misuse
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        var stack: [RecurrentLayerParameters<Scalar>] = []
        for l in 0..<count {
            stack.append(RecurrentLayerParameters(kind: Architecture.kind, inputSize: l == 0 ? inputSize : hiddenSize,
                                                  hiddenSize: hiddenSize, initialization: initialization, using: &rng))
        }
        layers = stack
        engine = RecurrentEngine(kind: Architecture.kind, inputSize: inputSize, hiddenSize: hiddenSize, layers: stack)
    }

    /// The number of stacked layers.
    public var layerCount: Int { layers.count }

    public var namedParameters: [NamedParameter<Scalar>] {
        layers.enumerated().flatMap { $0.element.named(layer: $0.offset) }
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        let name = "\(kind.layerName) input (batch, time, features)"
        guard inputShape.count == 3 else {
            // Most often the batch axis is missing: suggest (1, time, features).
            let time = inputShape.count == 2 ? inputShape[0] : 1
            throw .shapeMismatch(operation: name, expected: [1, time, inputSize], found: inputShape)
        }
        try requireLastDimension(inputShape, inputSize, kind.layerName)
        return [inputShape[0], inputShape[1], hiddenSize]
    }

    /// The all-zero state of every layer for `batch` sequences.
    public func zeroState(batch: Int) -> [State] {
        layers.map { _ in
            Architecture.state(hidden: Tensor(shape: [batch, hiddenSize]),
                               cell: kind.hasCellState ? Tensor(shape: [batch, hiddenSize]) : nil)
        }
    }

    /// Forgets the carried state: the next stateful call starts from zeros.
    public func resetState() { carriedState = nil }

    /// `forward(x, initialState: nil)`: zeros, or the carried state when stateful.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { forward(x, initialState: nil) }

    /// The top layer's h_t for every step, (B, T, H), starting from `initialState` (one state
    /// per layer, each (B, H)); `nil` means the carried state when stateful, else zeros.
    public func forward(_ x: Tensor<Scalar>, initialState: [State]?) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == inputSize, "\(kind.layerName) expects (batch, time, \(inputSize)), got \(x.shape)") // invariant: shapes checked by caller (outputShape)
        let batch = x.shape[0]
        var start = initialState
        if start == nil, isStateful, let carried = carriedState {
            precondition(Architecture.hidden(of: carried[0]).shape[0] == batch, "stateful \(kind.layerName): batch changed from \(Architecture.hidden(of: carried[0]).shape[0]) to \(batch); call resetState() first") // invariant: programmer misuse
            start = carried
        }
        if let start {
            precondition(start.count == layers.count, "\(kind.layerName): \(start.count) initial states for \(layers.count) layers") // invariant: programmer misuse
            for s in start {
                precondition(Architecture.hidden(of: s).shape == [batch, hiddenSize], "\(kind.layerName): initial state shape \(Architecture.hidden(of: s).shape), expected [\(batch), \(hiddenSize)]") // invariant: programmer misuse
            }
        }
        let result = engine.forward(x, initialHidden: start?.map { Architecture.hidden(of: $0) },
                                    initialCell: kind.hasCellState ? start?.map { cellOf($0) } : nil)
        finalState = result.finalHidden.indices.map { Architecture.state(hidden: result.finalHidden[$0], cell: result.finalCell?[$0]) }
        if isStateful { carriedState = finalState }
        return result.output
    }

    /// `backward(dy, finalStateGradient: nil)`.
    public func backward(_ outputGradient: Tensor<Scalar>) -> Tensor<Scalar> {
        backward(outputGradient, finalStateGradient: nil)
    }

    /// ∂L/∂x for ∂L/∂output `outputGradient` (B, T, H) and, optionally, ∂L/∂(each layer's final
    /// state); adds ∂L/∂θ to the parameter gradients and sets `initialStateGradient`.
    public func backward(_ outputGradient: Tensor<Scalar>, finalStateGradient: [State]?) -> Tensor<Scalar> {
        if let g = finalStateGradient {
            precondition(g.count == layers.count, "\(kind.layerName): \(g.count) final-state gradients for \(layers.count) layers") // invariant: programmer misuse
        }
        let result = engine.backward(outputGradient, finalHiddenGradient: finalStateGradient?.map { Architecture.hidden(of: $0) },
                                     finalCellGradient: kind.hasCellState ? finalStateGradient?.map { cellOf($0) } : nil,
                                     truncation: truncation)
        initialStateGradient = result.initialHidden.indices.map {
            Architecture.state(hidden: result.initialHidden[$0], cell: result.initialCell?[$0])
        }
        return result.input
    }

    /// One cell per layer, sharing this stack's parameters (updates to either are seen by both),
    /// for step-by-step inference: stepping cell l on layer l − 1's step outputs reproduces
    /// the stack's forward one time step at a time.
    public func makeCells() -> [RecurrentLayerCell<Architecture>] {
        layers.enumerated().map { RecurrentLayerCell(parameters: $0.element, layerIndex: $0.offset, kernelPath: kernelPath) }
    }

    private func cellOf(_ state: State) -> Tensor<Scalar> {
        guard let c = Architecture.cell(of: state) else { preconditionFailure("\(kind.layerName) state without a cell vector") } // invariant: the architecture's state type has one
        return c
    }
}

extension RecurrentKind {
    /// The name in messages: "LSTM", "GRU", "ElmanRNN".
    var layerName: String {
        switch self {
        case .elman: return "ElmanRNN"
        case .gru: return "GRU"
        case .lstm: return "LSTM"
        }
    }
}
