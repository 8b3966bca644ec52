// RecurrentEngine+PackedLSTM.swift — one LSTM layer's forward and backward on the packed
// micro-kernels (PackedLSTM.swift), in place of the per-step BLAS calls.
//
// The caches are those of the BLAS path (activated gates, h, c, tanh c, time-major), so both
// paths can be compared buffer for buffer. What differs: the forward folds the input
// projection into the per-step tile (no (T·B × I)·(I × 4H) gemm and no pass over the
// pre-activations in memory), and the backward accumulates ∂W_hh, ∂W_ih and ∂L/∂x per step
// from a per-partition δ block instead of storing δ for all steps and running three gemms
// afterwards. Partitions (`batchParallelism`) run the whole time loop on their own thread,
// each with its own weight- and bias-gradient accumulators, summed at the end.

import LinearAlgebra

extension RecurrentEngine {
    /// Whether this engine runs its layers on the packed LSTM kernels.
    var usesPackedLSTM: Bool {
        guard kind == .lstm, PackedLSTMDispatch.supports(S.self) else { return false }
        switch path {
        case .packed: return true
        case .fast: return RecurrentKernelPath.fastUsesPackedKernels
        case .blas, .reference: return false
        }
    }

    /// The pointer bundle of layer `l` for batch `b`, time `t`, reserving its packed buffers.
    func packedLayer(_ l: Int, input: UnsafeMutablePointer<S>, batch b: Int, time t: Int) -> PackedLSTMLayer<S> {
        let p = layers[l], ws = workspaces[l], h = hiddenSize, ni = p.inputSize
        let forward = ws.packedForward.reserve(PackedLSTMLayout.forwardCount(hidden: h, input: ni))
        let bias = ws.packedBias.reserve(PackedLSTMLayout.biasCount(hidden: h))
        return PackedLSTMLayer(input: input, gates: ws.gates.pointer, hidden: ws.hidden.pointer, cell: ws.cell.pointer,
                               tanhCell: ws.tanhCell.pointer, forwardWeights: forward, bias: bias,
                               recurrentPanels: forward, inputWeights: forward, hiddenGradient: forward,
                               initialHiddenGradient: forward, cellGradient: forward, inputGradient: forward, delta: forward,
                               recurrentWeightGradient: forward, inputWeightGradient: forward, biasGradient: forward,
                               batch: b, time: t, inputSize: ni, hiddenSize: h,
                               deltaStride: PackedLSTMLayout.deltaStride(hidden: h), truncation: 0)
    }

    /// Forward of layer `l` (buffers reserved and initial states set by `forward`).
    /// - Complexity: T steps of 2·B·(H + I)·4H flops and 5·B·H activations; O(4H·(H + I)) packing.
    func packedForward(_ l: Int, input: UnsafePointer<S>, batch b: Int, time t: Int, parts: [Range<Int>]) {
        let layer = packedLayer(l, input: UnsafeMutablePointer(mutating: input), batch: b, time: t)
        withParameterPointers(layers[l]) { PackedLSTMDispatch.packForward($0, layer) }
        forEachPartition(parts) { _, rows in PackedLSTMDispatch.forward(layer, rows: rows) }
    }

    /// Backward of layer `l`: `dH` (T, B, H) holds ∂L/∂h_t (final-state terms included), `dh0`
    /// (zeroed) receives ∂L/∂h_{−1}, `dc` (B, H) carries ∂L/∂c (∂L/∂c_T in, ∂L/∂c_{−1} out), and
    /// ∂L/∂x (T, B, I) is written to `dX`; parameter gradients are added.
    /// - Complexity: T steps of 2·B·4H·(2H + 2I) flops; O(P·4H·(H + I)) for the accumulators.
    func packedBackward(_ l: Int, input: UnsafePointer<S>, dH: UnsafeMutablePointer<S>, dh0: UnsafeMutablePointer<S>,
                        dc: UnsafeMutablePointer<S>, dX: UnsafeMutablePointer<S>, parts: [Range<Int>], truncation: Int?) {
        let p = layers[l], ws = workspaces[l], b = batch, h = hiddenSize, ni = p.inputSize, gh = 4 * h
        var layer = packedLayer(l, input: UnsafeMutablePointer(mutating: input), batch: b, time: time)
        let ld = layer.deltaStride
        layer.recurrentPanels = ws.packedRecurrent.reserve(PackedLSTMLayout.recurrentCount(hidden: h))
        layer.inputWeights = ws.packedInput.reserve(Swift.max(1, PackedLSTMLayout.inputCount(hidden: h, input: ni)))
        layer.hiddenGradient = dH
        layer.initialHiddenGradient = dh0
        layer.cellGradient = dc
        layer.inputGradient = dX
        layer.delta = ws.delta.zeroed(b * ld)
        layer.recurrentWeightGradient = ws.recurrentWeightGradient.zeroed(parts.count * h * ld)
        layer.inputWeightGradient = ws.inputWeightGradient.zeroed(Swift.max(1, parts.count * ni * ld))
        layer.biasGradient = ws.biasGradientInput.zeroed(parts.count * gh)
        layer.truncation = truncation ?? 0
        let final = layer
        withParameterPointers(p) { PackedLSTMDispatch.packBackward($0, final) }
        forEachPartition(parts) { part, rows in PackedLSTMDispatch.backward(final, part: part, rows: rows) }
        withParameterPointers(p) { PackedLSTMDispatch.addWeightGradients(final, parts: parts.count, into: $0) }
        for part in parts.indices {
            // Both biases receive Σ δ (b_ih and b_hh enter the pre-activations alike).
            p.biasIH.gradient.withUnsafeMutableBufferPointer { grad in
                GateKernels.addTransposed(final.biasGradient + part * gh, rows: 1, cols: gh, into: grad.baseAddress!)
            }
            p.biasHH.gradient.withUnsafeMutableBufferPointer { grad in
                GateKernels.addTransposed(final.biasGradient + part * gh, rows: 1, cols: gh, into: grad.baseAddress!)
            }
        }
    }

    /// Runs `body` with pointers to the parameters of `p` (values and weight gradients).
    func withParameterPointers(_ p: RecurrentLayerParameters<S>, _ body: (LSTMParameterPointers<S>) -> Void) {
        p.weightIH.value.withUnsafeBufferPointer { wih in
            p.weightHH.value.withUnsafeBufferPointer { whh in
                p.biasIH.value.withUnsafeBufferPointer { bih in
                    p.biasHH.value.withUnsafeBufferPointer { bhh in
                        p.weightIH.gradient.withUnsafeMutableBufferPointer { dwih in
                            p.weightHH.gradient.withUnsafeMutableBufferPointer { dwhh in
                                body(LSTMParameterPointers(weightIH: wih.baseAddress!, weightHH: whh.baseAddress!, biasIH: bih.baseAddress!,
                                                           biasHH: bhh.baseAddress!, weightIHGradient: dwih.baseAddress!,
                                                           weightHHGradient: dwhh.baseAddress!))
                            }
                        }
                    }
                }
            }
        }
    }
}
