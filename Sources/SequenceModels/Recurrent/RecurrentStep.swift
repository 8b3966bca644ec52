// RecurrentStep.swift — one forward time step of one layer, shared by the sequence layer and
// the cell so that `cell.step` computes exactly what the layer computes at each time step,
// and the blocked gemms the batch-parallel time loops use.

import LinearAlgebra

/// The buffers of one forward step (batch rows; see GateKernelArguments.swift for layouts).
struct RecurrentStepBuffers<S: NeuralScalar> {
    /// (B, G·H): holds `x W_ihᵀ` on entry, the activated gates on exit.
    var gates: UnsafeMutablePointer<S>
    /// (B, 3H) GRU scratch for `h W_hhᵀ`; unused otherwise.
    var recurrent: UnsafeMutablePointer<S>
    var bias: UnsafePointer<S>
    var newGateBias: UnsafePointer<S>
    var hiddenPrevious: UnsafePointer<S>
    var hidden: UnsafeMutablePointer<S>
    /// LSTM only (else any valid pointer).
    var cellPrevious: UnsafePointer<S>
    var cell: UnsafeMutablePointer<S>
    var tanhCell: UnsafeMutablePointer<S>
    /// GRU only: receives `W_hn h + b_hn`.
    var newGatePart: UnsafeMutablePointer<S>
}

/// How the forward step reads `W_hh`.
enum RecurrentWeightLayout {
    /// As stored, (G·H, H) row-major; the product uses gemm's transposition flag.
    case stored
    /// A transposed copy, (H, G·H) row-major; the product is a plain gemm, which OpenBLAS runs
    /// faster for these thin shapes (about 20 % at H = 32, equal at H = 128).
    case transposed
}

enum RecurrentStep {
    /// The largest per-step gemm (m·n·k multiply-adds) the time loops issue; larger per-step
    /// products are cut into column (forward) or inner-dimension (backward) blocks.
    ///
    /// OpenBLAS 0.3.21 runs a gemm on the calling thread alone when m·n·k ≤ 65536 · 4 (its
    /// `SMP_THRESHOLD_MIN · GEMM_MULTITHREAD_THRESHOLD`) and otherwise hands it to its thread
    /// pool, where calls from several threads queue behind each other — so the batch
    /// partitions' gemms must stay below it to run side by side. Blocks of this size also fall
    /// into OpenBLAS's unpacked small-matrix kernels where it has them: with its AVX-512 kernels
    /// (`OPENBLAS_CORETYPE=SkylakeX` on the Zen 5 lab machine) the (32 × 512 × 128) step product
    /// of lstm_step took 21 µs in blocks of 64 columns against 26 µs in one call; with the
    /// Haswell kernels it picks by default there, the blocks cost the same as one call (40 µs).
    /// Other BLAS libraries simply see smaller calls.
    static let singleThreadGemmWork = 65_536 * 4

    /// Adds the recurrent product `h_{t−1} W_hhᵀ` (`weightHH` in `layout`) and applies the gate
    /// law: one (B × H)·(H × G·H) product — as one gemm, or with `gemmWorkLimit` as column
    /// blocks of at most that many multiply-adds — then the fused point-wise pass.
    /// - Complexity: 2·B·H·G·H flops in gemm plus O(B·G·H) point-wise work.
    static func forward<S: NeuralScalar>(kind: RecurrentKind, path: RecurrentKernelPath, batch: Int, hiddenSize h: Int,
                                         weightHH: UnsafePointer<S>, layout: RecurrentWeightLayout, gemmWorkLimit: Int? = nil,
                                         _ s: RecurrentStepBuffers<S>) {
        let gh = kind.gateCount * h
        // LSTM and Elman accumulate into the input projection; the GRU keeps h W_hhᵀ apart.
        let target = kind == .gru ? s.recurrent : s.gates
        let beta: S = kind == .gru ? 0 : 1
        let block = blockLength(total: gh, costPerUnit: batch * h, limit: gemmWorkLimit)
        var n0 = 0
        while n0 < gh {
            let n = Swift.min(block, gh - n0)
            // target[:, n0..<n0+n] (+)= h_{t−1} · W_hh[n0..<n0+n, :]ᵀ
            switch layout {
            case .stored:
                S.gemm(.none, .transpose, m: batch, n: n, k: h, alpha: 1, a: s.hiddenPrevious, lda: h,
                       b: weightHH + n0 * h, ldb: h, beta: beta, c: target + n0, ldc: gh)
            case .transposed:
                S.gemm(.none, .none, m: batch, n: n, k: h, alpha: 1, a: s.hiddenPrevious, lda: h,
                       b: weightHH + n0, ldb: gh, beta: beta, c: target + n0, ldc: gh)
            }
            n0 += n
        }
        switch kind {
        case .lstm:
            GateKernels.lstmForward(LSTMForwardStep(gates: s.gates, bias: s.bias, cellPrevious: s.cellPrevious, cell: s.cell,
                                                    tanhCell: s.tanhCell, hidden: s.hidden, batch: batch, size: h), path)
        case .gru:
            GateKernels.gruForward(GRUForwardStep(gates: s.gates, recurrent: s.recurrent, inputBias: s.bias,
                                                  newGateBias: s.newGateBias, hiddenPrevious: s.hiddenPrevious,
                                                  newGatePart: s.newGatePart, hidden: s.hidden, batch: batch, size: h), path)
        case .elman:
            GateKernels.elmanForward(ElmanForwardStep(gates: s.gates, bias: s.bias, hidden: s.hidden, batch: batch, size: h), path)
        }
    }

    /// The recurrent path of backward: `dPrevious (B × H) += δ (B × G·H) · W_hh (G·H × H)`,
    /// one gemm — or, with `gemmWorkLimit`, blocks along G·H accumulated in order.
    /// - Complexity: 2·B·G·H·H flops.
    static func backwardRecurrent<S: NeuralScalar>(batch: Int, hiddenSize h: Int, gates gh: Int, delta: UnsafePointer<S>,
                                                   weightHH: UnsafePointer<S>, gemmWorkLimit: Int?,
                                                   into previous: UnsafeMutablePointer<S>) {
        let block = blockLength(total: gh, costPerUnit: batch * h, limit: gemmWorkLimit)
        var k0 = 0
        while k0 < gh {
            let k = Swift.min(block, gh - k0)
            S.gemm(.none, .none, m: batch, n: h, k: k, alpha: 1, a: delta + k0, lda: gh, b: weightHH + k0 * h, ldb: h,
                   beta: 1, c: previous, ldc: h)
            k0 += k
        }
    }

    /// The largest block length (at least 1) whose cost `costPerUnit · length` stays within
    /// `limit`; the whole `total` without a limit.
    static func blockLength(total: Int, costPerUnit: Int, limit: Int?) -> Int {
        guard let limit, costPerUnit > 0 else { return Swift.max(total, 1) }
        return Swift.max(1, Swift.min(total, limit / costPerUnit))
    }
}
