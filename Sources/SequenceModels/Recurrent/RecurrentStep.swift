// RecurrentStep.swift — one forward time step of one layer, shared by the sequence layer and
// the cell so that `cell.step` computes exactly what the layer computes at each time step.

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

enum RecurrentStep {
    /// Adds the recurrent product `h_{t−1} W_hhᵀ` and applies the gate law:
    /// one (B × H)·(H × G·H) gemm, then one fused point-wise pass.
    /// - Complexity: 2·B·H·G·H flops in gemm plus O(B·G·H) point-wise work.
    static func forward<S: NeuralScalar>(kind: RecurrentKind, path: RecurrentKernelPath, batch: Int, hiddenSize h: Int,
                                         weightHH: UnsafePointer<S>, _ s: RecurrentStepBuffers<S>) {
        let gh = kind.gateCount * h
        switch kind {
        case .lstm:
            S.gemm(.none, .transpose, m: batch, n: gh, k: h, alpha: 1, a: s.hiddenPrevious, lda: h,
                   b: weightHH, ldb: h, beta: 1, c: s.gates, ldc: gh)
            GateKernels.lstmForward(LSTMForwardStep(gates: s.gates, bias: s.bias, cellPrevious: s.cellPrevious, cell: s.cell,
                                                    tanhCell: s.tanhCell, hidden: s.hidden, batch: batch, size: h), path)
        case .gru:
            S.gemm(.none, .transpose, m: batch, n: gh, k: h, alpha: 1, a: s.hiddenPrevious, lda: h,
                   b: weightHH, ldb: h, beta: 0, c: s.recurrent, ldc: gh)
            GateKernels.gruForward(GRUForwardStep(gates: s.gates, recurrent: s.recurrent, inputBias: s.bias,
                                                  newGateBias: s.newGateBias, hiddenPrevious: s.hiddenPrevious,
                                                  newGatePart: s.newGatePart, hidden: s.hidden, batch: batch, size: h), path)
        case .elman:
            S.gemm(.none, .transpose, m: batch, n: gh, k: h, alpha: 1, a: s.hiddenPrevious, lda: h,
                   b: weightHH, ldb: h, beta: 1, c: s.gates, ldc: gh)
            GateKernels.elmanForward(ElmanForwardStep(gates: s.gates, bias: s.bias, hidden: s.hidden, batch: batch, size: h), path)
        }
    }
}
