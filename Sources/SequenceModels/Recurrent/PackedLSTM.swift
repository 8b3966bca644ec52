// PackedLSTM.swift — the LSTM time loops on the packed micro-kernels, per batch partition, and
// the packing of the weights they stream.
//
// Packed layouts (made once per forward or backward call, O(4H·(H + I)) copies):
//   forward      per block of 8 hidden units j₀…j₀+7 (the last block zero-padded): H + I rows
//                of 32 scalars, row k = [W_i·k, W_f·k, W_g·k, W_o·k] over the 8 units, from
//                W_hh for k < H and W_ih for the next I rows — exactly the order in which the
//                forward tile's depth loop reads them
//   bias         per block: 32 scalars b_ih + b_hh in the same gate/unit order
//   recurrent    W_hh (4H × H) in column panels of 32 (zero-padded), each 4H × 32
//   input        W_ihᵀ (I × 4H) when I < `dotInputLimit` (∂L/∂x by dot products), otherwise
//                W_ih (4H × I) in column panels of 32 like W_hh
//
// All loops here are generic over the gate math `M` and run specialised (PackedLSTMDispatch
// picks M for Float or Double once per call), so no per-step call goes through witness tables.

import LinearAlgebra

/// Every pointer one layer's packed time loops use. Sequence arrays are time-major as in
/// RecurrentEngine.swift; gradients of the weights and biases are per-partition accumulators.
struct PackedLSTMLayer<S> {
    var input: UnsafeMutablePointer<S>                  // (T, B, I)
    var gates: UnsafeMutablePointer<S>                  // (T, B, 4H) activated i, f, g, o
    var hidden: UnsafeMutablePointer<S>                 // (T+1, B, H)
    var cell: UnsafeMutablePointer<S>                   // (T+1, B, H)
    var tanhCell: UnsafeMutablePointer<S>               // (T, B, H)
    var forwardWeights: UnsafeMutablePointer<S>
    var bias: UnsafeMutablePointer<S>
    var recurrentPanels: UnsafeMutablePointer<S>
    var inputWeights: UnsafeMutablePointer<S>
    // Backward only (any valid pointer in forward).
    var hiddenGradient: UnsafeMutablePointer<S>         // (T, B, H) ∂L/∂h_t in, recurrent part added
    var initialHiddenGradient: UnsafeMutablePointer<S>  // (B, H), zero on entry
    var cellGradient: UnsafeMutablePointer<S>           // (B, H) carried ∂L/∂c
    var inputGradient: UnsafeMutablePointer<S>          // (T, B, I)
    var delta: UnsafeMutablePointer<S>                  // (B, deltaStride), zero beyond 4H
    var recurrentWeightGradient: UnsafeMutablePointer<S> // per partition (H, deltaStride): ∂W_hhᵀ
    var inputWeightGradient: UnsafeMutablePointer<S>    // per partition (I, deltaStride): ∂W_ihᵀ
    var biasGradient: UnsafeMutablePointer<S>           // per partition (4H)
    var batch: Int, time: Int, inputSize: Int, hiddenSize: Int
    /// Row stride of δ and of the weight-gradient accumulators: 4H rounded up to 32.
    var deltaStride: Int
    /// Truncation window in steps, 0 for full BPTT.
    var truncation: Int

    func cast<T>(to: T.Type) -> PackedLSTMLayer<T> {
        PackedLSTMLayer<T>(input: rebind(input), gates: rebind(gates), hidden: rebind(hidden), cell: rebind(cell),
                           tanhCell: rebind(tanhCell), forwardWeights: rebind(forwardWeights), bias: rebind(bias),
                           recurrentPanels: rebind(recurrentPanels), inputWeights: rebind(inputWeights),
                           hiddenGradient: rebind(hiddenGradient), initialHiddenGradient: rebind(initialHiddenGradient),
                           cellGradient: rebind(cellGradient), inputGradient: rebind(inputGradient), delta: rebind(delta),
                           recurrentWeightGradient: rebind(recurrentWeightGradient), inputWeightGradient: rebind(inputWeightGradient),
                           biasGradient: rebind(biasGradient), batch: batch, time: time, inputSize: inputSize,
                           hiddenSize: hiddenSize, deltaStride: deltaStride, truncation: truncation)
    }
}

/// The raw parameters packing reads, as stored (PyTorch layouts).
struct LSTMParameterPointers<S> {
    var weightIH: UnsafePointer<S>     // (4H, I)
    var weightHH: UnsafePointer<S>     // (4H, H)
    var biasIH: UnsafePointer<S>       // (4H)
    var biasHH: UnsafePointer<S>       // (4H)
    var weightIHGradient: UnsafeMutablePointer<S>
    var weightHHGradient: UnsafeMutablePointer<S>

    func cast<T>(to: T.Type) -> LSTMParameterPointers<T> {
        LSTMParameterPointers<T>(weightIH: rebind(weightIH), weightHH: rebind(weightHH), biasIH: rebind(biasIH), biasHH: rebind(biasHH),
                                 weightIHGradient: rebind(weightIHGradient), weightHHGradient: rebind(weightHHGradient))
    }
}

/// Sizes of the packed buffers (in scalars) for hidden size `h` and input size `i`.
enum PackedLSTMLayout {
    /// Below this input width ∂L/∂x is computed by dot products along 4H (`rowDots`).
    static let dotInputLimit = 16

    static func blocks(hidden h: Int) -> Int { (h + 7) / 8 }
    static func forwardCount(hidden h: Int, input i: Int) -> Int { blocks(hidden: h) * (h + i) * 32 }
    static func biasCount(hidden h: Int) -> Int { blocks(hidden: h) * 32 }
    static func panels(columns n: Int) -> Int { (n + 31) / 32 }
    static func recurrentCount(hidden h: Int) -> Int { panels(columns: h) * 4 * h * 32 }
    static func inputCount(hidden h: Int, input i: Int) -> Int { i < dotInputLimit ? i * 4 * h : panels(columns: i) * 4 * h * 32 }
    static func deltaStride(hidden h: Int) -> Int { (4 * h + 31) / 32 * 32 }
}

enum PackedLSTM<M: GateMath> {
    typealias S = M.Scalar
    typealias K = PackedLSTMKernels<M>

    /// Packs W_hh, W_ih and the summed biases for the forward tiles.
    /// - Complexity: O(4H·(H + I)).
    static func packForward(_ p: LSTMParameterPointers<S>, hidden h: Int, input ni: Int,
                            weights: UnsafeMutablePointer<S>, bias: UnsafeMutablePointer<S>) {
        let depth = h + ni
        for block in 0..<PackedLSTMLayout.blocks(hidden: h) {
            let w = weights + block * depth * 32, bb = bias + block * 32
            for g in 0..<4 {
                for u in 0..<8 {
                    let j = block * 8 + u, slot = g * 8 + u
                    let valid = j < h
                    bb[slot] = valid ? p.biasIH[g * h + j] + p.biasHH[g * h + j] : 0
                    for k in 0..<h { w[k * 32 + slot] = valid ? p.weightHH[(g * h + j) * h + k] : 0 }
                    for k in 0..<ni { w[(h + k) * 32 + slot] = valid ? p.weightIH[(g * h + j) * ni + k] : 0 }
                }
            }
        }
    }

    /// Packs W_hh into column panels and W_ih as panels or transposed (see the file header).
    /// - Complexity: O(4H·(H + I)).
    static func packBackward(_ p: LSTMParameterPointers<S>, hidden h: Int, input ni: Int,
                             recurrent: UnsafeMutablePointer<S>, input: UnsafeMutablePointer<S>) {
        let gh = 4 * h
        packPanels(p.weightHH, rows: gh, columns: h, into: recurrent)
        if ni < PackedLSTMLayout.dotInputLimit {
            for k in 0..<gh {
                for i in 0..<ni { input[i * gh + k] = p.weightIH[k * ni + i] }
            }
        } else {
            packPanels(p.weightIH, rows: gh, columns: ni, into: input)
        }
    }

    /// `source (rows × columns)` as panels of 32 columns, each rows × 32, zero-padded.
    static func packPanels(_ source: UnsafePointer<S>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<S>) {
        for panel in 0..<PackedLSTMLayout.panels(columns: columns) {
            let d = destination + panel * rows * 32
            for k in 0..<rows {
                for c in 0..<32 {
                    let j = panel * 32 + c
                    d[k * 32 + c] = j < columns ? source[k * columns + j] : 0
                }
            }
        }
    }

    /// The forward time loop for batch rows `rows`.
    /// - Complexity: T steps of 2·rows·(H + I)·4H flops.
    static func forward(_ layer: PackedLSTMLayer<S>, rows: Range<Int>) {
        let b = layer.batch, h = layer.hiddenSize, ni = layer.inputSize, r0 = rows.lowerBound
        for step in 0..<layer.time {
            let s = step * b * h + r0 * h
            K.forwardStep(PackedLSTMForwardStep(hiddenPrevious: layer.hidden + s, input: layer.input + (step * b + r0) * ni,
                                                cellPrevious: layer.cell + s, gates: layer.gates + (step * b + r0) * 4 * h,
                                                cell: layer.cell + s + b * h, tanhCell: layer.tanhCell + s, hidden: layer.hidden + s + b * h,
                                                weights: layer.forwardWeights, bias: layer.bias, rows: rows.count, hiddenSize: h,
                                                inputSize: ni))
        }
    }

    /// Backpropagation through time for batch rows `rows` (partition `part`): per step, from
    /// the last, δ (`backwardPointwise`), ∂L/∂h_{t−1} += δ W_hh (skipped at a truncation cut,
    /// where the carried ∂L/∂c is zeroed instead), ∂L/∂x_t = δ W_ih, and the partition's
    /// ∂W_hhᵀ += h_{t−1}ᵀ δ, ∂W_ihᵀ += x_tᵀ δ.
    /// - Complexity: T steps of 2·rows·4H·(2H + 2I) flops.
    static func backward(_ layer: PackedLSTMLayer<S>, part: Int, rows: Range<Int>) {
        let b = layer.batch, h = layer.hiddenSize, ni = layer.inputSize, gh = 4 * h, ld = layer.deltaStride
        let r0 = rows.lowerBound, m = rows.count
        let delta = layer.delta + r0 * ld, dc = layer.cellGradient + r0 * h, db = layer.biasGradient + part * gh
        let dWhh = layer.recurrentWeightGradient + part * h * ld, dWih = layer.inputWeightGradient + part * ni * ld
        for step in stride(from: layer.time - 1, through: 0, by: -1) {
            let s = step * b * h + r0 * h, row = step * b + r0
            let cut = step > 0 && layer.truncation > 0 && step % layer.truncation == 0
            K.backwardPointwise(rows: m, hiddenSize: h, gates: layer.gates + row * gh, tanhCell: layer.tanhCell + s,
                                cellPrevious: layer.cell + s, hiddenGradient: layer.hiddenGradient + s, cellGradient: dc,
                                delta: delta, deltaStride: ld, biasGradient: db)
            if cut {
                setToZero(dc, count: m * h)
            } else {
                let previous = step > 0 ? layer.hiddenGradient + s - b * h : layer.initialHiddenGradient + r0 * h
                K.product(rows: m, columns: h, depth: gh, a: delta, aRowStride: ld, aDepthStride: 1,
                          b: layer.recurrentPanels, bStride: 32, bPanelStride: gh * 32, c: previous, cStride: h)
            }
            let x = layer.input + row * ni, dx = layer.inputGradient + row * ni
            if ni < PackedLSTMLayout.dotInputLimit {
                K.rowDots(rows: m, columns: ni, length: gh, a: delta, aStride: ld, bt: layer.inputWeights, btStride: gh,
                          out: dx, outStride: ni)
            } else {
                setToZero(dx, count: m * ni)
                K.product(rows: m, columns: ni, depth: gh, a: delta, aRowStride: ld, aDepthStride: 1,
                          b: layer.inputWeights, bStride: 32, bPanelStride: gh * 32, c: dx, cStride: ni)
            }
            K.product(rows: h, columns: ld, depth: m, a: layer.hidden + s, aRowStride: 1, aDepthStride: h,
                      b: delta, bStride: ld, bPanelStride: 32, c: dWhh, cStride: ld)
            K.product(rows: ni, columns: ld, depth: m, a: x, aRowStride: 1, aDepthStride: ni,
                      b: delta, bStride: ld, bPanelStride: 32, c: dWih, cStride: ld)
        }
    }

    /// Adds the partitions' transposed weight-gradient accumulators to ∂W_hh and ∂W_ih.
    /// - Complexity: O(parts · 4H · (H + I)).
    static func addWeightGradients(_ layer: PackedLSTMLayer<S>, parts: Int, into p: LSTMParameterPointers<S>) {
        let h = layer.hiddenSize, ni = layer.inputSize, gh = 4 * h, ld = layer.deltaStride
        for part in 0..<parts {
            let accHH = layer.recurrentWeightGradient + part * h * ld, accIH = layer.inputWeightGradient + part * ni * ld
            for k in 0..<gh {
                for j in 0..<h { p.weightHHGradient[k * h + j] += accHH[j * ld + k] }
                for i in 0..<ni { p.weightIHGradient[k * ni + i] += accIH[i * ld + k] }
            }
        }
    }
}

/// Runs the packed LSTM loops with the gate math of the scalar type (FastFloatGateMath for
/// Float, libm lane by lane for Double, as the `.fast` gate kernels do).
enum PackedLSTMDispatch {
    /// Whether the packed kernels exist for this scalar type.
    static func supports<S: NeuralScalar>(_: S.Type) -> Bool { S.self == Float.self || S.self == Double.self }

    static func packForward<S: NeuralScalar>(_ p: LSTMParameterPointers<S>, _ layer: PackedLSTMLayer<S>) {
        if S.self == Float.self {
            PackedLSTM<FastFloatGateMath>.packForward(p.cast(to: Float.self), hidden: layer.hiddenSize, input: layer.inputSize,
                                                      weights: rebind(layer.forwardWeights), bias: rebind(layer.bias))
        } else if S.self == Double.self {
            PackedLSTM<LanewiseGateMath<Double>>.packForward(p.cast(to: Double.self), hidden: layer.hiddenSize, input: layer.inputSize,
                                                             weights: rebind(layer.forwardWeights), bias: rebind(layer.bias))
        } else {
            preconditionFailure("packed LSTM kernels for \(S.self)") // invariant: callers check `supports`
        }
    }

    static func packBackward<S: NeuralScalar>(_ p: LSTMParameterPointers<S>, _ layer: PackedLSTMLayer<S>) {
        if S.self == Float.self {
            PackedLSTM<FastFloatGateMath>.packBackward(p.cast(to: Float.self), hidden: layer.hiddenSize, input: layer.inputSize,
                                                       recurrent: rebind(layer.recurrentPanels), input: rebind(layer.inputWeights))
        } else if S.self == Double.self {
            PackedLSTM<LanewiseGateMath<Double>>.packBackward(p.cast(to: Double.self), hidden: layer.hiddenSize, input: layer.inputSize,
                                                              recurrent: rebind(layer.recurrentPanels), input: rebind(layer.inputWeights))
        } else {
            preconditionFailure("packed LSTM kernels for \(S.self)") // invariant: callers check `supports`
        }
    }

    static func forward<S: NeuralScalar>(_ layer: PackedLSTMLayer<S>, rows: Range<Int>) {
        if S.self == Float.self { return PackedLSTM<FastFloatGateMath>.forward(layer.cast(to: Float.self), rows: rows) }
        if S.self == Double.self { return PackedLSTM<LanewiseGateMath<Double>>.forward(layer.cast(to: Double.self), rows: rows) }
        preconditionFailure("packed LSTM kernels for \(S.self)") // invariant: callers check `supports`
    }

    static func backward<S: NeuralScalar>(_ layer: PackedLSTMLayer<S>, part: Int, rows: Range<Int>) {
        if S.self == Float.self { return PackedLSTM<FastFloatGateMath>.backward(layer.cast(to: Float.self), part: part, rows: rows) }
        if S.self == Double.self { return PackedLSTM<LanewiseGateMath<Double>>.backward(layer.cast(to: Double.self), part: part, rows: rows) }
        preconditionFailure("packed LSTM kernels for \(S.self)") // invariant: callers check `supports`
    }

    static func addWeightGradients<S: NeuralScalar>(_ layer: PackedLSTMLayer<S>, parts: Int, into p: LSTMParameterPointers<S>) {
        if S.self == Float.self {
            return PackedLSTM<FastFloatGateMath>.addWeightGradients(layer.cast(to: Float.self), parts: parts, into: p.cast(to: Float.self))
        }
        if S.self == Double.self {
            return PackedLSTM<LanewiseGateMath<Double>>.addWeightGradients(layer.cast(to: Double.self), parts: parts, into: p.cast(to: Double.self))
        }
        preconditionFailure("packed LSTM kernels for \(S.self)") // invariant: callers check `supports`
    }
}

@inline(__always)
private func rebind<S, T>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self)
}

@inline(__always)
private func rebind<S, T>(_ p: UnsafePointer<S>) -> UnsafePointer<T> {
    UnsafeRawPointer(p).assumingMemoryBound(to: T.self)
}
