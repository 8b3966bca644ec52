// RecurrentLayerCell.swift — one recurrent layer advanced one step at a time (inference).
//
// `step` runs the same code as a time step of `RecurrentLayer.forward` (RecurrentStep.forward
// with the same gate kernel), after projecting the one input step with its own gemm.

import LinearAlgebra

/// `LSTMCell`, `GRUCell`, `ElmanCell`: the `RecurrentCell` view of one layer, for generation
/// and streaming. Its gate workspaces are reused, so a loop over `step` allocates only when the
/// batch grows (and when `state`'s storage is shared, which copy-on-write then copies).
public final class RecurrentLayerCell<Architecture: RecurrentArchitecture>: RecurrentCell {
    public typealias Scalar = Architecture.Scalar
    public typealias State = Architecture.State

    /// The weights (shared with the owning `RecurrentLayer`, when made by `makeCells()`).
    public let parameters: RecurrentLayerParameters<Scalar>
    /// The index of this layer in its stack (for parameter names).
    public let layerIndex: Int
    /// Fast SIMD gate kernels or the plain reference loops.
    public var kernelPath: RecurrentKernelPath

    private let gates = ScratchBuffer<Scalar>()
    private let scratch = ScratchBuffer<Scalar>()
    private let bias = ScratchBuffer<Scalar>()
    private let newGateBias = ScratchBuffer<Scalar>()
    private let tanhCell = ScratchBuffer<Scalar>()
    private let newGatePart = ScratchBuffer<Scalar>()

    /// A cell over existing parameters of the same kind.
    public init(parameters: RecurrentLayerParameters<Scalar>, layerIndex: Int = 0, kernelPath: RecurrentKernelPath = .fast) {
        precondition(parameters.kind == Architecture.kind, "\(parameters.kind) parameters for a \(Architecture.kind) cell") // invariant: programmer misuse
        self.parameters = parameters
        self.layerIndex = layerIndex
        self.kernelPath = kernelPath
    }

    /// A cell with fresh weights (see `RecurrentInitialization`).
    public convenience init(inputSize: Int, hiddenSize: Int, initialization: RecurrentInitialization = .recommended,
                            using rng: inout SplitMix64) {
        self.init(parameters: RecurrentLayerParameters(kind: Architecture.kind, inputSize: inputSize, hiddenSize: hiddenSize,
                                                       initialization: initialization, using: &rng))
    }

    public var inputSize: Int { parameters.inputSize }
    public var hiddenSize: Int { parameters.hiddenSize }
    public var namedParameters: [NamedParameter<Scalar>] { parameters.named(layer: layerIndex) }

    public func zeroState(batch: Int) -> State {
        Architecture.state(hidden: Tensor(shape: [batch, hiddenSize]),
                           cell: Architecture.kind.hasCellState ? Tensor(shape: [batch, hiddenSize]) : nil)
    }

    /// Advances `state` by one step of input `x` (B, inputSize), updating it in place.
    /// - Complexity: one (B × I)·(I × G·H) and one (B × H)·(H × G·H) gemm, one fused pass.
    public func step(_ input: Tensor<Scalar>, state: inout State) {
        let kind = Architecture.kind, h = hiddenSize, gh = kind.gateCount * h, inputWidth = inputSize
        precondition(input.rank == 2 && input.shape[1] == inputWidth, "\(kind.layerName) cell expects (batch, \(inputWidth)), got \(input.shape)") // invariant: shapes checked by caller
        let b = input.shape[0]
        var hidden = Architecture.hidden(of: state)
        var cell = Architecture.cell(of: state) ?? Tensor(shape: [1])
        precondition(hidden.shape == [b, h] && (!kind.hasCellState || cell.shape == [b, h]), "\(kind.layerName) cell state \(hidden.shape) for input batch \(b)") // invariant: programmer misuse
        let g = gates.reserve(b * gh)
        let rec = scratch.reserve(kind == .gru ? b * gh : 1)
        let bs = bias.reserve(gh), nb = newGateBias.reserve(h)
        let tc = tanhCell.reserve(b * h), ngp = newGatePart.reserve(b * h)
        parameters.combineBiases(into: bs, newGateBias: nb)
        input.withUnsafeBufferPointer { x in
            parameters.weightIH.value.withUnsafeBufferPointer { wih in
                Scalar.gemm(.none, .transpose, m: b, n: gh, k: inputWidth, alpha: 1, a: x.baseAddress!, lda: inputWidth,
                            b: wih.baseAddress!, ldb: inputWidth, beta: 0, c: g, ldc: gh)
            }
        }
        let path = kernelPath
        parameters.weightHH.value.withUnsafeBufferPointer { whh in
            hidden.withUnsafeMutableBufferPointer { hp in
                cell.withUnsafeMutableBufferPointer { cp in
                    // In place: each kernel reads h_{t−1}[j] and c_{t−1}[j] before writing h_t[j], c_t[j],
                    // and the gemm has consumed h_{t−1} before the kernel runs.
                    RecurrentStep.forward(kind: kind, path: path, batch: b, hiddenSize: h, weightHH: whh.baseAddress!, layout: .stored,
                                          RecurrentStepBuffers(gates: g, recurrent: rec, bias: bs, newGateBias: nb,
                                                               hiddenPrevious: hp.baseAddress!, hidden: hp.baseAddress!,
                                                               cellPrevious: cp.baseAddress!, cell: cp.baseAddress!,
                                                               tanhCell: tc, newGatePart: ngp))
                }
            }
        }
        state = Architecture.state(hidden: hidden, cell: kind.hasCellState ? cell : nil)
    }
}
