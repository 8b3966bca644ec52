// SSMBlock+Fused.swift — the block's training step one pair of sequences at a time.
//
// The layered path runs each child over the whole batch: LayerNorm writes (B, L, H), the S4D
// layer reads it and writes (B, L, H), GELU reads that and writes two more, the mixing Linear
// writes (B, L, 2H) and adds its bias in another pass, GLU reads that … — a dozen passes over
// tensors of 4–16 MB (B = 32, H = 32, L = 1024) that live in main memory, and the backward as
// many again. The fused path computes the same functions, in the same order per element, for
// one pair of sequences (b, b+1) at a time (the S4D convolver's unit), so the intermediates of a
// pair stay in cache:
//
//   forward, per pair:  z = LayerNorm(x)              → scratch (2L, H)
//                       y = K' * z                    → scratch          (S4D, tiled convolver)
//                       a = GELU(y), a' = GELU'(y)    → caches (B, L, H) (a is the Linear's input)
//                       per chunk of rows: [a W_aᵀ | a W_bᵀ] (one gemm), v = · + b_a,
//                       s = σ(· + b_b) (v, s cached), out = x + v ⊙ s
//   backward, per pair: per chunk: dm = (dh ⊙ s, dh ⊙ v ⊙ s (1 − s)) → scratch
//                       ∂W += dmᵀ a, ∂b += Σ dm, da = dm W (gemm),  dy = da ⊙ a'
//                       z again from x and the forward's μ, σ⁻¹ (cheaper than caching z)
//                       dz, and the pair's share of ∂K', from the convolver
//                       dx = LayerNorm'(dz) + dh
//   then once: ∂K' → ∂D, ∂C, ∂A, ∂log Δ (S4D), ∂γ, ∂β.
// Parameters and their gradients are the children's (`norm`, `ssm`, `mixing`); the layered
// path (`executionPath = .layered`) is the reference the tests compare this one with. The fused
// path takes GLU mixing and no active dropout (rate 0, or inference mode); anything else runs
// layered. With `batchParallelism` > 1 the pairs are split over threads (SSMPairPartition.swift).

import LinearAlgebra
import Spectral

/// How `SSMBlock` and `SSMModel` run forward and backward. Both give the same values up to
/// rounding.
public enum SSMExecutionPath: String, Sendable, CaseIterable {
    /// One pair of sequences at a time through the whole chain, with the intermediates in cache
    /// (SSMBlock+Fused.swift, SSMModel+Fused.swift); falls back to `.layered` for what it does
    /// not cover (GELU mixing, active dropout, pooling). The default.
    case fused
    /// Each child layer over the whole batch in turn (the reference).
    case layered
}

/// One thread's scratch of the fused block path and its sums of the parameter gradients a pair
/// adds to (SSMPairPartition.swift).
final class FusedBlockLane<Scalar: NeuralScalar & FFTScalar> {
    let pairA: Workspace<Scalar>, pairB: Workspace<Scalar>, pairC: Workspace<Scalar>  // (2L, H)
    let chunk: Workspace<Scalar>, chunkGradient: Workspace<Scalar>                   // (rows, 2H); (rows, H): da, or the gate's pre-activation
    let normWeightSums: Workspace<Scalar>, normBiasSums: Workspace<Scalar>           // (H): ∂γ, ∂β
    let mixingWeightSums: Workspace<Scalar>, mixingBiasSums: Workspace<Scalar>       // (2H, H), (2H): ∂W, ∂b of the mixing
    /// Whether the lane's first backward pair of the step has run (the convolver assigns that
    /// pair's kernel-gradient spectra, and accumulates the later ones).
    var backwardStarted = false

    init(length L: Int, width H: Int) {
        let pair = 2 * L * H, rows = Swift.min(FusedBlockWorkspace<Scalar>.chunkRows, Swift.max(1, 2 * L))
        pairA = Workspace(count: pair); pairB = Workspace(count: pair); pairC = Workspace(count: pair)
        chunk = Workspace(count: rows * 2 * H); chunkGradient = Workspace(count: rows * H)
        normWeightSums = Workspace(count: H); normBiasSums = Workspace(count: H)
        mixingWeightSums = Workspace(count: 2 * H * H); mixingBiasSums = Workspace(count: 2 * H)
    }

    /// Zeroes the sums before a step.
    func reset() {
        for w in [normWeightSums, normBiasSums, mixingWeightSums, mixingBiasSums] { w.pointer.update(repeating: 0, count: w.count) }
        backwardStarted = false
    }
}

/// Caches and scratch of the fused path, reused while the shapes stay. Buffers are
/// pointer-stable (`Workspace`), so the per-pair steps can hand them around as pointers.
final class FusedBlockWorkspace<Scalar: NeuralScalar & FFTScalar> {
    private(set) var batch = -1, length = -1, width = -1
    private(set) var means = Workspace<Scalar>(count: 0), inverseStd = Workspace<Scalar>(count: 0)   // (B·L): LayerNorm statistics
    private(set) var activation = Workspace<Scalar>(count: 0), derivative = Workspace<Scalar>(count: 0)  // (B, L, H): a = GELU(y), GELU'(y)
    private(set) var value = Workspace<Scalar>(count: 0), gate = Workspace<Scalar>(count: 0)   // (B, L, H): v = a W_aᵀ + b_a, s = σ(a W_bᵀ + b_b)
    /// Per-thread scratch and gradient sums; `lanesUsed` of them take part in the current step.
    private(set) var lanes: [FusedBlockLane<Scalar>] = []
    private(set) var lanesUsed = 1
    /// The convolver of the current step (the S4D layer's).
    var convolver: TimeMajorConvolver<Scalar>?
    /// The whole-batch path's forward input (released by its backward).
    var input: Tensor<Scalar>?
    /// Whether the forward cached GELU' (training mode). An inference-mode forward skips it; a
    /// backward after one recomputes y and GELU' per pair (`fusedBackwardPair`).
    var derivativeCached = false

    /// Rows of the mixing gemms per call: large enough for BLAS efficiency, small enough that a
    /// chunk's (rows, 2H) product stays in cache.
    static var chunkRows: Int { 512 }

    /// Buffers for (B, L, H) and at least `lanes` lanes, of which the first `lanes` are reset.
    func prepare(batch B: Int, length L: Int, width H: Int, lanes count: Int) {
        if B != batch || L != length || H != width {
            batch = B; length = L; width = H
            let count = B * L * H
            means = Workspace(count: B * L); inverseStd = Workspace(count: B * L)
            activation = Workspace(count: count); derivative = Workspace(count: count)
            value = Workspace(count: count); gate = Workspace(count: count)
            lanes = []
        }
        while lanes.count < count { lanes.append(FusedBlockLane(length: L, width: H)) }
        lanesUsed = count
        for lane in lanes[0..<count] { lane.reset() }
    }
}

extension SSMBlock {
    /// Whether `forward` can take the fused path: GLU mixing, and dropout inactive.
    var canFuse: Bool {
        executionPath == .fused && mixingActivation is GLU<Scalar> && mixing.bias != nil
            && (mode == .inference || (dropout.rate == 0 && outputDropout.rate == 0))
    }

    /// The fused forward over the batch (see the file header).
    /// - Complexity: the layered path's flops; a fraction of its memory traffic.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == ssm.channels, "SSMBlock(H: \(ssm.channels)) needs (batch, time, \(ssm.channels)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1], H = x.shape[2], block = L * H
        workspace.input = nil
        let lanes = SSMPairPartition.lanes(batch: B, parallelism: batchParallelism)
        beginFused(batch: B, length: L, lanes: lanes.count)
        outputBuffer.resize(to: x.shape)
        x.withUnsafeBufferPointer { px in
            outputBuffer.withUnsafeMutableBufferPointer { out in
                guard x.count > 0, let xp = px.baseAddress, let op = out.baseAddress else { return }
                SSMPairPartition.run(lanes) { lane, pairs in
                    for b in pairs.lazy.map({ 2 * $0 }) {
                        fusedForwardPair(xp + b * block, first: b, rows: Swift.min(2, B - b) * L, into: op + b * block, lane: lane)
                    }
                }
            }
        }
        workspace.input = x
        return outputBuffer
    }

    /// The fused backward over the batch (see the file header).
    /// - Complexity: the layered path's flops plus one LayerNorm forward.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedBackward(_ dh: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = workspace.input else { preconditionFailure("SSMBlock.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dh.shape == x.shape, "SSMBlock.backward: gradient \(dh.shape) for input \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1], H = x.shape[2], block = L * H
        let lanes = SSMPairPartition.lanes(batch: B, parallelism: workspace.lanesUsed)     // the forward's split
        gradientBuffer.resize(to: x.shape)
        x.withUnsafeBufferPointer { px in
            dh.withUnsafeBufferPointer { pg in
                gradientBuffer.withUnsafeMutableBufferPointer { pdx in
                    guard x.count > 0, let xp = px.baseAddress, let gp = pg.baseAddress, let dxp = pdx.baseAddress else { return }
                    SSMPairPartition.run(lanes) { lane, pairs in
                        for b in pairs.lazy.map({ 2 * $0 }) {
                            let o = b * block
                            fusedBackwardPair(gp + o, input: xp + o, first: b, rows: Swift.min(2, B - b) * L, into: dxp + o, lane: lane)
                        }
                    }
                }
            }
        }
        endFusedBackward()
        workspace.input = nil
        return gradientBuffer
    }

    // MARK: The per-pair steps (also driven by SSMModel's fused path)

    /// Before the pairs of a forward: workspace for (B, L) with `lanes` lanes (their sums zeroed),
    /// the S4D kernel and its spectrum (shared by the lanes).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func beginFused(batch B: Int, length L: Int, lanes: Int = 1) {
        workspace.prepare(batch: B, length: L, width: ssm.channels, lanes: lanes)
        workspace.derivativeCached = mode != .inference
        ssm.kernelParallelism = batchParallelism
        let conv = ssm.prepareTiledConvolution(batch: B, length: L)
        conv.reserveLanes(lanes)
        workspace.convolver = conv
    }

    /// The forward of `rows` rows (one or two whole sequences) starting at sequence `first`, on
    /// `lane` (< the lanes of `beginFused`; one thread per lane at a time):
    /// x (rows, H) → out (rows, H); records the caches of those rows. `out` must not overlap `x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedForwardPair(_ x: UnsafePointer<Scalar>, first b: Int, rows: Int, into out: UnsafeMutablePointer<Scalar>, lane: Int = 0) {
        let ws = workspace, L = ws.length, H = ws.width, block = L * H, row0 = b * L, scratch = ws.lanes[lane]
        guard let conv = ws.convolver, rows > 0 else { return }
        let paired = rows == 2 * L, zp = scratch.pairA.pointer, yp = scratch.pairB.pointer
        LayerNormKernels.forward(UnsafeBufferPointer(start: x, count: rows * H), rows: rows, size: H, epsilon: Scalar(norm.epsilon),
                                 gamma: norm.weight?.value, beta: norm.bias?.value, into: UnsafeMutableBufferPointer(start: zp, count: rows * H),
                                 means: UnsafeMutableBufferPointer(start: ws.means.pointer + row0, count: rows),
                                 inverseStd: UnsafeMutableBufferPointer(start: ws.inverseStd.pointer + row0, count: rows))
        conv.forwardPair(zp, paired ? zp + block : nil, into: yp, paired ? yp + block : nil, lane: lane)
        let a = UnsafeMutableBufferPointer(start: ws.activation.pointer + row0 * H, count: rows * H)
        if ws.derivativeCached {
            activation.kind.apply(UnsafeBufferPointer(start: yp, count: rows * H), into: a,           // GELU and GELU' in one pass
                                  derivative: UnsafeMutableBufferPointer(start: ws.derivative.pointer + row0 * H, count: rows * H))
        } else {
            activation.kind.apply(UnsafeBufferPointer(start: yp, count: rows * H), into: a)           // inference: GELU only
        }
        mixForward(input: x, rows: rows, firstRow: row0, width: H, into: out, lane: scratch)
    }

    /// The backward of the rows `fusedForwardPair` ran for sequence `first`: from dh (rows, H)
    /// and the forward input x writes dx (rows, H) and accumulates the pair's share of every
    /// parameter gradient into `lane`'s sums (`endFusedBackward` adds them to the parameters).
    /// `dx` must not overlap `dh` or `x`. The pairs a lane runs here must be those it ran forward.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedBackwardPair(_ dh: UnsafePointer<Scalar>, input x: UnsafePointer<Scalar>, first b: Int, rows: Int,
                           into dx: UnsafeMutablePointer<Scalar>, lane: Int = 0) {
        let ws = workspace, L = ws.length, H = ws.width, block = L * H, row0 = b * L, scratch = ws.lanes[lane]
        guard let conv = ws.convolver, rows > 0 else { return }
        let paired = rows == 2 * L, zp = scratch.pairA.pointer, dp = scratch.pairB.pointer, cp = scratch.pairC.pointer
        let gamma = norm.weight?.value
        if !ws.derivativeCached {                          // after an inference-mode forward: y = K' * z and GELU' again
            FusedKernels.normalize(x, rows: rows, width: H, means: ws.means.pointer + row0, inverseStd: ws.inverseStd.pointer + row0,
                                   gamma: gamma, beta: norm.bias?.value, into: zp)
            conv.forwardPair(zp, paired ? zp + block : nil, into: cp, paired ? cp + block : nil, lane: lane)
            activation.kind.apply(UnsafeBufferPointer(start: cp, count: rows * H),
                                  into: UnsafeMutableBufferPointer(start: ws.activation.pointer + row0 * H, count: rows * H),
                                  derivative: UnsafeMutableBufferPointer(start: ws.derivative.pointer + row0 * H, count: rows * H))
        }
        mixBackward(outputGradient: dh, rows: rows, firstRow: row0, width: H, into: dp, lane: scratch)        // dy
        let mean = UnsafeBufferPointer(start: ws.means.pointer + row0, count: rows)
        let inv = UnsafeBufferPointer(start: ws.inverseStd.pointer + row0, count: rows)
        let pairX = UnsafeBufferPointer(start: x, count: rows * H)
        FusedKernels.normalize(x, rows: rows, width: H, means: mean.baseAddress!, inverseStd: inv.baseAddress!,
                               gamma: gamma, beta: norm.bias?.value, into: zp)                      // z again, from the forward's μ, σ⁻¹
        conv.backwardPair(outputGradient: dp, paired ? dp + block : nil, input: zp, paired ? zp + block : nil,
                          inputGradient: cp, paired ? cp + block : nil, first: !scratch.backwardStarted, lane: lane)  // dz
        scratch.backwardStarted = true
        LayerNormKernels.backward(pairX, outputGradient: UnsafeBufferPointer(start: cp, count: rows * H), rows: rows, size: H, gamma: gamma,
                                  means: mean, inverseStd: inv,
                                  into: UnsafeMutableBufferPointer(start: dx, count: rows * H),
                                  weightGradient: scratch.normWeightSums.mutableBuffer, biasGradient: scratch.normBiasSums.mutableBuffer)
        FusedKernels.accumulate(dh, into: dx, count: rows * H)                                              // residual
    }

    /// After the last pair's backward: ∂K' → the S4D parameters; the lanes' sums (in lane
    /// order) → the mixing's ∂W, ∂b and LayerNorm's ∂γ, ∂β.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func endFusedBackward() {
        let ws = workspace, H = ws.width, used = Array(ws.lanes[0..<ws.lanesUsed])
        guard let conv = ws.convolver else { preconditionFailure("SSMBlock: fused backward without a forward") } // invariant: set by beginFused
        ssm.kernelGradient.withUnsafeMutableBufferPointer { conv.kernelGradient(into: $0, lanes: ws.lanesUsed) }  // Σ over pairs → ∂K'
        ssm.accumulateTiledKernelGradients(length: ws.length)
        mixing.weight.gradient.withUnsafeMutableBufferPointer { SSMPairPartition.addSums(used.map { $0.mixingWeightSums.pointer }, count: 2 * H * H, into: $0) }
        if let bias = mixing.bias {
            bias.gradient.withUnsafeMutableBufferPointer { SSMPairPartition.addSums(used.map { $0.mixingBiasSums.pointer }, count: 2 * H, into: $0) }
        }
        if let weight = norm.weight, let bias = norm.bias {
            weight.gradient.withUnsafeMutableBufferPointer { SSMPairPartition.addSums(used.map { $0.normWeightSums.pointer }, count: H, into: $0) }
            bias.gradient.withUnsafeMutableBufferPointer { SSMPairPartition.addSums(used.map { $0.normBiasSums.pointer }, count: H, into: $0) }
        }
    }

    /// `out = x + GLU(a Wᵀ + b)` for `rows` rows starting at `firstRow`, in chunks; caches v and s.
    /// One gemm with the whole W gives the chunk's (rows, 2H) product; then, for H a multiple of
    /// the SIMD width, one pass forms v, s and out (`FusedKernels.gluResidual`); otherwise one
    /// pass splits each row into v (+ b_a, cached) and the gate's pre-activation (+ b_b, into
    /// the lane's `chunkGradient`, contiguous), σ runs over the chunk, and a third pass adds.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func mixForward(input x: UnsafePointer<Scalar>, rows: Int, firstRow: Int, width H: Int, into out: UnsafeMutablePointer<Scalar>,
                    lane: FusedBlockLane<Scalar>) {
        let ws = workspace, step = FusedBlockWorkspace<Scalar>.chunkRows, mp = lane.chunk.pointer, tp = lane.chunkGradient.pointer
        guard let bias = mixing.bias?.value else { preconditionFailure("SSMBlock: fused mixing without a bias") } // invariant: checked by canFuse
        mixing.weight.value.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { pb in
                let ba = pb.baseAddress!, bb = ba + H
                for r0 in stride(from: 0, to: rows, by: step) {
                    let n = Swift.min(step, rows - r0), o = (firstRow + r0) * H, ap = ws.activation.pointer + o
                    let vp = ws.value.pointer + o, sp = ws.gate.pointer + o
                    Scalar.gemm(.none, .transpose, m: n, n: 2 * H, k: H, alpha: 1, a: ap, lda: H, b: w.baseAddress!, ldb: H,
                                beta: 0, c: mp, ldc: 2 * H)                                                     // [a W_aᵀ | a W_bᵀ]
                    if H % Scalar.Lanes.scalarCount == 0 {                                             // one pass
                        FusedKernels.gluResidual(mp, rows: n, width: H, valueBias: ba, gateBias: bb, residual: x + r0 * H,
                                                 value: vp, gate: sp, into: out + r0 * H)
                    } else {
                        FusedKernels.splitAddingBias(mp, rows: n, width: H, valueBias: ba, gateBias: bb, value: vp, gate: tp)
                        VectorMath.sigmoid(UnsafeBufferPointer(start: tp, count: n * H), into: UnsafeMutableBufferPointer(start: sp, count: n * H))
                        FusedKernels.addProduct(x + r0 * H, vp, sp, into: out + r0 * H, count: n * H)
                    }
                }
            }
        }
    }

    /// For `rows` rows from `firstRow`: dm = (dh ⊙ s, dh ⊙ v ⊙ s (1 − s)), the lane's
    /// ∂W += dmᵀ a, ∂b += Σ dm, and dy = (dm W) ⊙ a' into `dy` (rows, H), in chunks.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func mixBackward(outputGradient dh: UnsafePointer<Scalar>, rows: Int, firstRow: Int, width H: Int, into dy: UnsafeMutablePointer<Scalar>,
                     lane: FusedBlockLane<Scalar>) {
        let ws = workspace, step = FusedBlockWorkspace<Scalar>.chunkRows
        mixing.weight.value.withUnsafeBufferPointer { w in
            let dm = lane.chunk.pointer, gba = lane.mixingBiasSums.pointer, dap = lane.chunkGradient.pointer
            let gw = lane.mixingWeightSums.pointer
            for r0 in stride(from: 0, to: rows, by: step) {
                let n = Swift.min(step, rows - r0), count = n * H, o = (firstRow + r0) * H
                let gi = dh + r0 * H, vp = ws.value.pointer + o, sp = ws.gate.pointer + o, ap = ws.activation.pointer + o
                FusedKernels.gluBackward(gi, value: vp, gate: sp, rows: n, width: H, into: dm)    // dm rows [dm_a | dm_b]
                FusedKernels.accumulateColumnSums(dm, rows: n, width: 2 * H, into: gba)            // ∂b += Σ dm
                Scalar.gemm(.transpose, .none, m: 2 * H, n: H, k: n, alpha: 1, a: dm, lda: 2 * H,
                            b: ap, ldb: H, beta: 1, c: gw, ldc: H)                                // ∂W += dmᵀ a
                Scalar.gemm(.none, .none, m: n, n: H, k: 2 * H, alpha: 1, a: dm, lda: 2 * H,
                            b: w.baseAddress!, ldb: H, beta: 0, c: dap, ldc: H)                 // da = dm W
                FusedKernels.multiply(dap, ws.derivative.pointer + o, into: dy + r0 * H, count: count)  // dy = da ⊙ a'
            }
        }
    }
}
