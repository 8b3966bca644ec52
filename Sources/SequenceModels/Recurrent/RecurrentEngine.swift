// RecurrentEngine.swift — the forward pass of a stack of recurrent layers over whole sequences.
//
// Layout: every per-step array is time-major, (T, B, ·), so the B rows of step t are one
// contiguous block that gemm reads and writes with leading dimension = row width. Per layer:
//
//     gates      (T, B, G·H)   x W_ihᵀ for all steps (ONE gemm), then += h_{t−1} W_hhᵀ per step
//                              (from a transposed copy of W_hh made once per call),
//                              then the activated gates; backward overwrites it with ∂L/∂pre
//     hidden     (T+1, B, H)   h_{−1} (the initial state) followed by h_0 … h_{T−1}
//     cell       (T+1, B, H)   LSTM: c_{−1}, c_0 … c_{T−1};  tanhCell (T, B, H): tanh c_t
//     newGatePart (T, B, H)    GRU: W_hn h_{t−1} + b_hn (the reset gate multiplies it)
//
// Layer l > 0 reads its input straight from layer l−1's `hidden` (rows 1…T), so a stack
// costs no copies between layers. Workspaces only grow, so repeated calls allocate nothing
// but the returned tensors.
//
// Batch parallelism: the recurrence never mixes batch rows, so with `batchParallelism = P`
// the B rows are split into P contiguous partitions, each running the whole time loop on its
// own thread over its rows of the same time-major workspaces (disjoint memory, no
// synchronisation per step). Per-step gemms are cut into blocks small enough for OpenBLAS to
// run on the calling thread (RecurrentStep.singleThreadGemmWork), with or without partitions;
// the products over all T·B rows stay single calls that BLAS threads itself.

import Dispatch
import LinearAlgebra

/// The caches and scratch arrays of one layer (see the file header for shapes).
final class LayerWorkspace<S: NeuralScalar> {
    let gates = ScratchBuffer<S>()
    let hidden = ScratchBuffer<S>()
    let cell = ScratchBuffer<S>()
    let tanhCell = ScratchBuffer<S>()
    let newGatePart = ScratchBuffer<S>()
    /// GRU forward: (B, 3H) per-step `h W_hhᵀ`.
    let stepScratch = ScratchBuffer<S>()
    /// GRU backward: (T, B, 3H) ∂L/∂(h W_hhᵀ + b_hh).
    let recurrentGradient = ScratchBuffer<S>()
    /// (H, G·H) W_hhᵀ for the forward steps.
    let weightHHTransposed = ScratchBuffer<S>()
    /// (G·H) folded biases and (H) GRU b_hn.
    let bias = ScratchBuffer<S>()
    let newGateBias = ScratchBuffer<S>()
    /// (G·H) bias-gradient accumulators: input side, recurrent side.
    let biasGradientInput = ScratchBuffer<S>()
    let biasGradientRecurrent = ScratchBuffer<S>()
    /// Packed LSTM path (PackedLSTM.swift): packed weights, the per-step δ block and the
    /// per-partition weight-gradient accumulators.
    let packedForward = ScratchBuffer<S>()
    let packedBias = ScratchBuffer<S>()
    let packedRecurrent = ScratchBuffer<S>()
    let packedInput = ScratchBuffer<S>()
    let delta = ScratchBuffer<S>()
    let recurrentWeightGradient = ScratchBuffer<S>()
    let inputWeightGradient = ScratchBuffer<S>()
}

/// Forward and backward of a recurrent stack; owned by `RecurrentLayer`.
final class RecurrentEngine<S: NeuralScalar> {
    let kind: RecurrentKind
    let inputSize: Int
    let hiddenSize: Int
    let layers: [RecurrentLayerParameters<S>]
    var path: RecurrentKernelPath = .fast
    /// Threads the time loops split the batch over (1: one gemm per step on this thread).
    var batchParallelism = 1

    let workspaces: [LayerWorkspace<S>]
    let inputTimeMajor = ScratchBuffer<S>()
    /// Ping-pong (T, B, H) buffers for ∂L/∂h of the layer being differentiated.
    let hiddenGradients = (ScratchBuffer<S>(), ScratchBuffer<S>())
    let inputGradientTimeMajor = ScratchBuffer<S>()
    /// (n, G·H) transposed weight gradient before it is added to a parameter.
    let weightGradientScratch = ScratchBuffer<S>()
    let carriedCellGradient = ScratchBuffer<S>()
    let initialHiddenGradient = ScratchBuffer<S>()

    /// Batch and time of the cached forward; `hasCache` is false once backward consumed it.
    private(set) var batch = 0
    private(set) var time = 0
    var hasCache = false

    init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, layers: [RecurrentLayerParameters<S>]) {
        precondition(!layers.isEmpty, "a recurrent stack needs at least one layer") // invariant: programmer misuse
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        workspaces = layers.map { _ in LayerWorkspace() }
    }

    /// Runs the stack on `x` (B, T, I) from the given initial states (zeros when nil), caching
    /// what backward needs. Returns the top layer's outputs (B, T, H) and every layer's final
    /// h (and c), each (B, H).
    /// - Complexity: per layer one (T·B × I_l)·(I_l × G·H) gemm, T gemms (B × H)·(H × G·H)
    ///   and T fused point-wise passes over (B, G·H); O(T·B·(G·H + I)) memory.
    func forward(_ x: Tensor<S>, initialHidden: [Tensor<S>]?, initialCell: [Tensor<S>]?)
        -> (output: Tensor<S>, finalHidden: [Tensor<S>], finalCell: [Tensor<S>]?) {
        precondition(x.rank == 3 && x.shape[2] == inputSize, "recurrent layer expects (batch, time, \(inputSize)), got \(x.shape)") // invariant: shapes checked by caller
        let b = x.shape[0], t = x.shape[1], h = hiddenSize, gh = kind.gateCount * h
        batch = b
        time = t
        let xTM = inputTimeMajor.reserve(t * b * inputSize)
        x.withUnsafeBufferPointer { src in
            if src.count > 0 { copyBatchMajorToTimeMajor(src.baseAddress!, xTM, batch: b, time: t, width: inputSize) }
        }
        var finalHidden: [Tensor<S>] = [], finalCell: [Tensor<S>] = []
        let parts = partitions(batch: b)
        let limit = RecurrentStep.singleThreadGemmWork
        let path = path, kind = kind
        for (l, p) in layers.enumerated() {
            let ws = workspaces[l]
            let input: UnsafePointer<S> = l == 0 ? UnsafePointer(xTM) : UnsafePointer(workspaces[l - 1].hidden.pointer + b * h)
            let gates = ws.gates.reserve(t * b * gh)
            let hidden = ws.hidden.reserve((t + 1) * b * h)
            if let h0 = initialHidden { copyScalars(h0[l], to: hidden, count: b * h) } else { setToZero(hidden, count: b * h) }
            let hasCell = kind.hasCellState
            let cell = ws.cell.reserve(hasCell ? (t + 1) * b * h : 1)
            if hasCell {
                if let c0 = initialCell { copyScalars(c0[l], to: cell, count: b * h) } else { setToZero(cell, count: b * h) }
            }
            let tanhCell = ws.tanhCell.reserve(hasCell ? t * b * h : 1)
            let newGatePart = ws.newGatePart.reserve(kind == .gru ? t * b * h : 1)
            let scratch = ws.stepScratch.reserve(kind == .gru ? b * gh : 1)
            if usesPackedLSTM {
                packedForward(l, input: input, batch: b, time: t, parts: parts)
                finalHidden.append(tensorCopy(hidden + t * b * h, shape: [b, h]))
                finalCell.append(tensorCopy(cell + t * b * h, shape: [b, h]))
                continue
            }
            let bias = ws.bias.reserve(gh), newGateBias = ws.newGateBias.reserve(h)
            p.combineBiases(into: bias, newGateBias: newGateBias)
            p.weightIH.value.withUnsafeBufferPointer { wih in
                p.weightHH.value.withUnsafeBufferPointer { whh in
                    // All steps' input projections at once: (T·B × I_l) · (I_l × G·H).
                    S.gemm(.none, .transpose, m: t * b, n: gh, k: p.inputSize, alpha: 1, a: input, lda: p.inputSize,
                           b: wih.baseAddress!, ldb: p.inputSize, beta: 0, c: gates, ldc: gh)
                    let whhT = ws.weightHHTransposed.reserve(gh * h)
                    GateKernels.transpose(whh.baseAddress!, rows: gh, cols: h, into: whhT)
                    forEachPartition(parts) { _, rows in
                        let r0 = rows.lowerBound
                        for step in 0..<t {
                            let s = step * b * h + r0 * h
                            RecurrentStep.forward(kind: kind, path: path, batch: rows.count, hiddenSize: h, weightHH: whhT,
                                                  layout: .transposed, gemmWorkLimit: limit,
                                                  RecurrentStepBuffers(gates: gates + step * b * gh + r0 * gh, recurrent: kind == .gru ? scratch + r0 * gh : scratch,
                                                                       bias: bias, newGateBias: newGateBias, hiddenPrevious: hidden + s,
                                                                       hidden: hidden + s + b * h,
                                                                       cellPrevious: hasCell ? cell + s : cell, cell: hasCell ? cell + s + b * h : cell,
                                                                       tanhCell: hasCell ? tanhCell + s : tanhCell,
                                                                       newGatePart: kind == .gru ? newGatePart + s : newGatePart))
                        }
                    }
                }
            }
            finalHidden.append(tensorCopy(hidden + t * b * h, shape: [b, h]))
            if hasCell { finalCell.append(tensorCopy(cell + t * b * h, shape: [b, h])) }
        }
        let top = workspaces[layers.count - 1].hidden.pointer + b * h
        let output = Tensor<S>(shape: [b, t, h]) { out in
            if out.count > 0 { copyTimeMajorToBatchMajor(top, out.baseAddress!, batch: b, time: t, width: h) }
        }
        hasCache = true
        return (output, finalHidden, kind.hasCellState ? finalCell : nil)
    }

    /// The batch rows of each partition: `batchParallelism` (at most B) contiguous ranges of
    /// near-equal size.
    func partitions(batch b: Int) -> [Range<Int>] {
        let count = Swift.max(1, Swift.min(batchParallelism, b))
        return (0..<count).map { (($0 * b) / count)..<((($0 + 1) * b) / count) }
    }

    /// Runs `body(index, rows)` for every partition, concurrently when there are several, and
    /// returns when all have finished.
    ///
    /// Safety: the bodies share the engine's workspace pointers across threads. Every
    /// partition writes only its own batch rows and its own bias-gradient accumulator, and
    /// reads parameters nobody writes during the call; `concurrentPerform` does not retain
    /// `body` past its return. That is what the unchecked `Sendable` box asserts.
    func forEachPartition(_ parts: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
        if parts.count == 1 { return body(0, parts[0]) }
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: parts.count) { shared.value($0, parts[$0]) }
        }
    }
}

/// A value handed to other threads under an invariant the compiler cannot check (see
/// `RecurrentEngine.forEachPartition`).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
