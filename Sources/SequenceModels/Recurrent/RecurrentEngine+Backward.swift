// RecurrentEngine+Backward.swift — backpropagation through time for the recurrent stack.
//
// Per layer, from the top (batch partitions as in the forward pass, each with its own
// bias-gradient accumulator, summed afterwards): ∂L/∂h_t arrives time-major in a (T, B, H) buffer `dH` (the output
// gradient for the top layer, the input gradient of the layer above otherwise). Going back
// in time, step t turns dH[t] (plus the carried ∂L/∂c_t for the LSTM) into ∂L/∂pre-activations
// in place in `gates` with one fused pass, then ONE gemm (B × G·H)·(G·H × H) adds the
// recurrent path into dH[t−1]. Weight gradients are not accumulated per step: after the loop
//
//     ∂L/∂W_ih += δ_xᵀ · X      (G·H × T·B)·(T·B × I_l)     one gemm over all steps (as (Xᵀ δ_x)ᵀ)
//     ∂L/∂W_hh += δ_hᵀ · H₋     (G·H × T·B)·(T·B × H)       one gemm, H₋ = stored h_{t−1} (likewise)
//     ∂L/∂X     = δ_x · W_ih    (T·B × G·H)·(G·H × I_l)     one gemm → dH of the layer below
//
// with δ_x = δ_h = ∂L/∂pre for the LSTM and Elman RNN; for the GRU, δ_h differs from δ_x in the
// new-gate block (δn̂ ⊙ r) and is kept in its own (T, B, 3H) buffer.
//
// Truncation (`truncation = k`): the sequence of each call is cut into chunks of k steps
// starting at t = 0, [0, k), [k, 2k), …; at every chunk start t = m·k > 0 the incoming state
// (h_{t−1}, and c_{t−1} for the LSTM) is treated as a constant, so no gradient crosses the cut
// (neither the gemm into dH[t−1] nor the GRU's direct path nor the LSTM's carried δc). The
// forward pass is unchanged. The gradient of the output at step t therefore reaches steps
// m·k … t of its own chunk only: at most k steps, inputs and parameters alike, and the
// initial state receives gradient only from chunk 0. This is exactly what splitting the
// sequence into chunks of k steps, running them in order with each chunk's final state as the
// next chunk's detached initial state, and summing the parameter gradients would give.

import LinearAlgebra

extension RecurrentEngine {
    /// ∂L/∂x (B, T, I) for `dy` = ∂L/∂output (B, T, H) of the cached forward, plus ∂L/∂ each
    /// layer's initial h (and c); adds ∂L/∂θ into the parameters' gradients. `finalHiddenGradient`
    /// and `finalCellGradient` (per layer, (B, H)) add loss terms on the final states.
    /// - Complexity: per layer T gemms (B × G·H)·(G·H × H), T fused passes over (B, G·H), and
    ///   three gemms over all T·B rows (∂W_ih, ∂W_hh, ∂X).
    func backward(_ dy: Tensor<S>, finalHiddenGradient: [Tensor<S>]?, finalCellGradient: [Tensor<S>]?,
                  truncation: Int?) -> (input: Tensor<S>, initialHidden: [Tensor<S>], initialCell: [Tensor<S>]?) {
        precondition(hasCache, "recurrent backward needs a preceding forward (one backward per forward)") // invariant: forward/backward pairing
        let b = batch, t = time, h = hiddenSize, hasCell = kind.hasCellState
        precondition(dy.shape == [b, t, h], "recurrent backward: gradient \(dy.shape) for output [\(b), \(t), \(h)]") // invariant: shapes checked by caller
        precondition(truncation.map { $0 >= 1 } ?? true, "truncation must be ≥ 1 step") // invariant: checked by the layer's setter
        hasCache = false
        let parts = partitions(batch: b)
        var current = hiddenGradients.0, below = hiddenGradients.1
        let top = current.reserve(t * b * h)
        dy.withUnsafeBufferPointer { src in
            if src.count > 0 { copyBatchMajorToTimeMajor(src.baseAddress!, top, batch: b, time: t, width: h) }
        }
        var initialHidden: [Tensor<S>] = [], initialCell: [Tensor<S>] = []
        var inputGradient: Tensor<S>? = nil
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let p = layers[l]
            let dH = current.pointer
            let dh0 = initialHiddenGradient.zeroed(b * h)
            let dc = carriedCellGradient.zeroed(hasCell ? b * h : 1)
            if let g = finalHiddenGradient?[l] {
                precondition(g.shape == [b, h], "final hidden gradient \(g.shape), expected [\(b), \(h)]") // invariant: shapes checked by caller
                let target = t > 0 ? dH + (t - 1) * b * h : dh0
                g.withUnsafeBufferPointer { src in for i in 0..<(b * h) { target[i] += src[i] } }
            }
            if hasCell, let g = finalCellGradient?[l] { copyScalars(g, to: dc, count: b * h) }
            let input: UnsafePointer<S> = l == 0 ? UnsafePointer(inputTimeMajor.pointer) : UnsafePointer(workspaces[l - 1].hidden.pointer + b * h)
            // ∂L/∂(this layer's input), time-major: the next layer down's ∂L/∂h.
            let width = p.inputSize
            let dX = l > 0 ? below.reserve(t * b * width) : inputGradientTimeMajor.reserve(t * b * width)
            if usesPackedLSTM {
                packedBackward(l, input: input, dH: dH, dh0: dh0, dc: dc, dX: dX, parts: parts, truncation: truncation)
            } else {
                blasBackward(l, input: input, dH: dH, dh0: dh0, dc: dc, dX: dX, parts: parts, truncation: truncation)
            }
            initialHidden.append(tensorCopy(dh0, shape: [b, h]))
            if hasCell { initialCell.append(tensorCopy(dc, shape: [b, h])) }
            if l > 0 {
                swap(&current, &below)
            } else {
                inputGradient = Tensor<S>(shape: [b, t, width]) { out in
                    if out.count > 0 { copyTimeMajorToBatchMajor(dX, out.baseAddress!, batch: b, time: t, width: width) }
                }
            }
        }
        guard let inputGradient else { preconditionFailure("recurrent backward visited no layer") } // invariant: layers is non-empty
        return (inputGradient, Array(initialHidden.reversed()), hasCell ? Array(initialCell.reversed()) : nil)
    }

    /// Backward of layer `l` on the BLAS path (arguments as in `packedBackward`): per step the
    /// fused gate kernel turns dH[t] into δ in place in `gates` and one gemm adds δ W_hh into
    /// dH[t−1]; afterwards the weight gradients and ∂L/∂x are gemms over all T·B rows.
    /// - Complexity: T gemms (B × G·H)·(G·H × H), T fused passes, three gemms over T·B rows.
    func blasBackward(_ l: Int, input: UnsafePointer<S>, dH: UnsafeMutablePointer<S>, dh0: UnsafeMutablePointer<S>,
                      dc: UnsafeMutablePointer<S>, dX: UnsafeMutablePointer<S>, parts: [Range<Int>], truncation: Int?) {
        let p = layers[l], ws = workspaces[l], b = batch, t = time, h = hiddenSize, gh = kind.gateCount * h
        let hasCell = kind.hasCellState, width = p.inputSize
        let limit = RecurrentStep.singleThreadGemmWork
        let path = path, kind = kind
        let gates = ws.gates.pointer, hidden = ws.hidden.pointer
        let dbx = ws.biasGradientInput.zeroed(parts.count * gh), dbh = ws.biasGradientRecurrent.zeroed(parts.count * gh)
        let dRec = kind == .gru ? ws.recurrentGradient.reserve(t * b * gh) : gates
        let tanhCell = ws.tanhCell.pointer, cell = ws.cell.pointer, newGatePart = ws.newGatePart.pointer
        p.weightHH.value.withUnsafeBufferPointer { whh in
            forEachPartition(parts) { part, rows in
                let r0 = rows.lowerBound, m = rows.count
                let dcRows = dc + (hasCell ? r0 * h : 0), dbxPart = dbx + part * gh, dbhPart = dbh + part * gh
                for step in stride(from: t - 1, through: 0, by: -1) {
                    let s = step * b * h + r0 * h, g = step * b * gh + r0 * gh
                    let cut = step > 0 && (truncation.map { step % $0 == 0 } ?? false)
                    let previous = step > 0 ? dH + s - b * h : dh0 + r0 * h
                    switch kind {
                    case .lstm:
                        GateKernels.lstmBackward(LSTMBackwardStep(gates: gates + g, tanhCell: tanhCell + s, cellPrevious: cell + s,
                                                                  hiddenGradient: dH + s, cellGradient: dcRows, biasGradient: dbxPart,
                                                                  batch: m, size: h), path)
                        if cut { setToZero(dcRows, count: m * h) }
                    case .gru:
                        GateKernels.gruBackward(GRUBackwardStep(gates: gates + g, recurrentGradient: dRec + g, newGatePart: newGatePart + s,
                                                                hiddenPrevious: hidden + s, hiddenGradient: dH + s,
                                                                hiddenPreviousGradient: cut ? nil : previous, inputBiasGradient: dbxPart,
                                                                recurrentBiasGradient: dbhPart, batch: m, size: h), path)
                    case .elman:
                        GateKernels.elmanBackward(ElmanBackwardStep(gates: gates + g, hiddenGradient: dH + s, biasGradient: dbxPart,
                                                                    batch: m, size: h), path)
                    }
                    if !cut {
                        RecurrentStep.backwardRecurrent(batch: m, hiddenSize: h, gates: gh, delta: dRec + g, weightHH: whh.baseAddress!,
                                                        gemmWorkLimit: limit, into: previous)
                    }
                }
            }
        }
        accumulateWeightGradient(delta: gates, inputs: input, width: p.inputSize, rows: t * b, gates: gh,
                                 into: p.weightIH)
        accumulateWeightGradient(delta: dRec, inputs: hidden, width: h, rows: t * b, gates: gh, into: p.weightHH)
        let recurrentBias = kind == .gru ? dbh : dbx
        for part in parts.indices {
            // A (1 × G·H) row added "transposed" is a plain vector add, in a specialised loop.
            p.biasIH.gradient.withUnsafeMutableBufferPointer { grad in
                GateKernels.addTransposed(dbx + part * gh, rows: 1, cols: gh, into: grad.baseAddress!)
            }
            p.biasHH.gradient.withUnsafeMutableBufferPointer { grad in
                GateKernels.addTransposed(recurrentBias + part * gh, rows: 1, cols: gh, into: grad.baseAddress!)
            }
        }

        // ∂L/∂(this layer's input) = δ_x · W_ih.
        p.weightIH.value.withUnsafeBufferPointer { wih in
            S.gemm(.none, .none, m: t * b, n: width, k: gh, alpha: 1, a: gates, lda: gh, b: wih.baseAddress!, ldb: width,
                   beta: 0, c: dX, ldc: width)
        }
    }

    /// `parameter.gradient (G·H × width) += δᵀ (G·H × rows) · X (rows × width)`, evaluated as
    /// `(Xᵀ δ)ᵀ`: one gemm into an (width × G·H) scratch, then a transposed add. With two
    /// OpenBLAS threads this orientation measured 15 % faster for the (128 × 512 × 4096) ∂W_hh
    /// of the lstm_step workload.
    /// - Complexity: 2·rows·width·G·H flops plus O(width·G·H).
    func accumulateWeightGradient(delta: UnsafePointer<S>, inputs: UnsafePointer<S>, width: Int, rows: Int, gates gh: Int,
                                  into parameter: Parameter<S>) {
        let scratch = weightGradientScratch.reserve(width * gh)
        S.gemm(.transpose, .none, m: width, n: gh, k: rows, alpha: 1, a: inputs, lda: width, b: delta, ldb: gh,
               beta: 0, c: scratch, ldc: gh)
        parameter.gradient.withUnsafeMutableBufferPointer { grad in
            GateKernels.addTransposed(scratch, rows: width, cols: gh, into: grad.baseAddress!)
        }
    }
}
