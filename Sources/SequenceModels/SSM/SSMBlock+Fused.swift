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
//                       per chunk of rows: v = a W_aᵀ + b_a, s = σ(a W_bᵀ + b_b) (gemms with
//                       the two halves of W; v, s cached), out = x + v ⊙ s
//   backward, per pair: per chunk: dm = (dh ⊙ s, dh ⊙ v ⊙ s (1 − s)) → scratch
//                       ∂W += dmᵀ a, ∂b += Σ dm, da = dm W (gemm),  dy = da ⊙ a'
//                       z again from x (LayerNorm forward is cheaper than caching z)
//                       dz, and the pair's share of ∂K', from the convolver
//                       dx = LayerNorm'(dz) + dh
//   then once: ∂K' → ∂D, ∂C, ∂A, ∂log Δ (S4D), ∂γ, ∂β.
// Parameters and their gradients are the children's (`norm`, `ssm`, `mixing`); the layered
// path (`executionPath = .layered`) is the reference the tests compare this one with. The fused
// path takes GLU mixing and no active dropout (rate 0, or inference mode); anything else runs
// layered.

import LinearAlgebra

/// How `SSMBlock` runs forward and backward. Both give the same values up to rounding.
public enum SSMBlockPath: String, Sendable, CaseIterable {
    /// One pair of sequences at a time through LayerNorm, S4D, GELU, mixing and GLU, with the
    /// intermediates in cache (SSMBlock+Fused.swift); falls back to `.layered` for GELU mixing or
    /// active dropout. The default.
    case fused
    /// Each child layer over the whole batch in turn (the reference).
    case layered
}

/// Caches and scratch of the fused path, reused while the shapes stay.
final class FusedBlockWorkspace<Scalar: NeuralScalar> {
    var means: [Scalar] = [], inverseStd: [Scalar] = []       // (B·L): LayerNorm statistics
    var activation: [Scalar] = [], derivative: [Scalar] = []   // (B, L, H): a = GELU(y), GELU'(y)
    var value: [Scalar] = [], gate: [Scalar] = []              // (B, L, H): v = m_a + b_a, s = σ(m_b + b_b)
    var pairA: [Scalar] = [], pairB: [Scalar] = [], pairC: [Scalar] = []   // (2L, H): z; y or dy; dz of one pair
    var chunk: [Scalar] = [], chunkGradient: [Scalar] = []     // (rows, H) a W_bᵀ or (rows, 2H) dm; (rows, H) da
    var normWeightSums: [Scalar] = [], normBiasSums: [Scalar] = []
    var input: Tensor<Scalar>?

    /// Rows of the mixing gemm per call: large enough for BLAS efficiency, small enough that a
    /// chunk's (rows, 2H) product stays in cache.
    static var chunkRows: Int { 512 }

    func prepare(batch B: Int, length L: Int, width H: Int) {
        let count = B * L * H, pair = 2 * L * H, rows = Swift.min(FusedBlockWorkspace.chunkRows, Swift.max(1, 2 * L))
        if means.count != B * L { means = [Scalar](repeating: 0, count: B * L); inverseStd = means }
        if activation.count != count {
            activation = [Scalar](repeating: 0, count: count)
            derivative = activation; value = activation; gate = activation
        }
        if pairA.count != pair { pairA = [Scalar](repeating: 0, count: pair); pairB = pairA; pairC = pairA }
        if chunk.count != rows * 2 * H {
            chunk = [Scalar](repeating: 0, count: rows * 2 * H)
            chunkGradient = [Scalar](repeating: 0, count: rows * H)
        }
        if normWeightSums.count != H { normWeightSums = [Scalar](repeating: 0, count: H); normBiasSums = normWeightSums }
    }
}

extension SSMBlock {
    /// Whether `forward` can take the fused path: GLU mixing, and dropout inactive.
    var canFuse: Bool {
        executionPath == .fused && mixingActivation is GLU<Scalar> && mixing.bias != nil
            && (mode == .inference || (dropout.rate == 0 && outputDropout.rate == 0))
    }

    /// The fused forward (see the file header).
    /// - Complexity: the layered path's flops; about a third of its memory traffic.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == ssm.channels, "SSMBlock(H: \(ssm.channels)) needs (batch, time, \(ssm.channels)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1], H = x.shape[2], block = L * H
        let ws = workspace
        ws.input = nil
        ws.prepare(batch: B, length: L, width: H)
        let conv = ssm.prepareTiledConvolution(batch: B, length: L)
        outputBuffer.resize(to: x.shape)
        let eps = Scalar(norm.epsilon), gamma = norm.weight?.value, beta = norm.bias?.value, kind = activation.kind
        x.withUnsafeBufferPointer { px in
            outputBuffer.withUnsafeMutableBufferPointer { out in
                ws.pairA.withUnsafeMutableBufferPointer { z in
                    ws.pairB.withUnsafeMutableBufferPointer { y in
                        guard x.count > 0, let xp = px.baseAddress, let op = out.baseAddress, let zp = z.baseAddress, let yp = y.baseAddress else { return }
                        for b in stride(from: 0, to: B, by: 2) {
                            let count = b + 1 < B ? 2 : 1, rows = count * L, first = b * block
                            ws.means.withUnsafeMutableBufferPointer { mu in
                                ws.inverseStd.withUnsafeMutableBufferPointer { rs in
                                    LayerNormKernels.forward(UnsafeBufferPointer(start: xp + first, count: rows * H), rows: rows, size: H,
                                                             epsilon: eps, gamma: gamma, beta: beta,
                                                             into: UnsafeMutableBufferPointer(start: zp, count: rows * H),
                                                             means: UnsafeMutableBufferPointer(rebasing: mu[(b * L)..<(b * L + rows)]),
                                                             inverseStd: UnsafeMutableBufferPointer(rebasing: rs[(b * L)..<(b * L + rows)]))
                                }
                            }
                            conv.forwardPair(zp, count == 2 ? zp + block : nil, into: yp, count == 2 ? yp + block : nil)
                            let pairY = UnsafeBufferPointer(start: yp, count: rows * H)
                            ws.activation.withUnsafeMutableBufferPointer { a in                   // GELU and GELU' in one pass
                                ws.derivative.withUnsafeMutableBufferPointer { d in
                                    kind.apply(pairY, into: UnsafeMutableBufferPointer(rebasing: a[first..<(first + rows * H)]),
                                               derivative: UnsafeMutableBufferPointer(rebasing: d[first..<(first + rows * H)]))
                                }
                            }
                            mixForward(input: xp + first, rows: rows, firstRow: b * L, width: H, into: op + first)
                        }
                    }
                }
            }
        }
        ws.input = x
        return outputBuffer
    }

    /// `out = x + GLU(a Wᵀ + b)` for `rows` rows starting at `firstRow`, in chunks; caches v and s.
    /// The value and gate halves come from two gemms with the halves of W, so each is a
    /// contiguous (rows, H) block and σ runs over a whole chunk in one call.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func mixForward(input x: UnsafePointer<Scalar>, rows: Int, firstRow: Int, width H: Int, into out: UnsafeMutablePointer<Scalar>) {
        let ws = workspace, step = FusedBlockWorkspace<Scalar>.chunkRows
        guard let bias = mixing.bias?.value else { preconditionFailure("SSMBlock: fused mixing without a bias") } // invariant: checked by canFuse
        mixing.weight.value.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { pb in
                ws.activation.withUnsafeBufferPointer { a in
                    ws.value.withUnsafeMutableBufferPointer { v in
                        ws.gate.withUnsafeMutableBufferPointer { s in
                            ws.chunk.withUnsafeMutableBufferPointer { m in
                                let mp = m.baseAddress!, wa = w.baseAddress!, wb = wa + H * H, ba = pb.baseAddress!, bb = ba + H
                                for r0 in stride(from: 0, to: rows, by: step) {
                                    let n = Swift.min(step, rows - r0), row = firstRow + r0, ap = a.baseAddress! + row * H
                                    let vp = v.baseAddress! + row * H, sp = s.baseAddress! + row * H
                                    Scalar.gemm(.none, .transpose, m: n, n: H, k: H, alpha: 1, a: ap, lda: H, b: wa, ldb: H, beta: 0, c: vp, ldc: H)  // a W_aᵀ
                                    Scalar.gemm(.none, .transpose, m: n, n: H, k: H, alpha: 1, a: ap, lda: H, b: wb, ldb: H, beta: 0, c: mp, ldc: H)  // a W_bᵀ
                                    for i in 0..<n {
                                        let vi = vp + i * H, mi = mp + i * H
                                        for j in 0..<H { vi[j] += ba[j]; mi[j] += bb[j] }
                                    }
                                    VectorMath.sigmoid(UnsafeBufferPointer(start: mp, count: n * H), into: UnsafeMutableBufferPointer(start: sp, count: n * H))
                                    let xp = x + r0 * H, yp = out + r0 * H
                                    for i in 0..<(n * H) { yp[i] = xp[i] + vp[i] * sp[i] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The fused backward (see the file header).
    /// - Complexity: the layered path's flops plus one LayerNorm forward.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedBackward(_ dh: Tensor<Scalar>) -> Tensor<Scalar> {
        let ws = workspace
        guard let x = ws.input else { preconditionFailure("SSMBlock.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dh.shape == x.shape, "SSMBlock.backward: gradient \(dh.shape) for input \(x.shape)") // invariant: shapes checked by caller
        guard let conv = ssm.tiledConvolver else { preconditionFailure("SSMBlock: fused backward without the S4D convolver") } // invariant: set by fusedForward
        let B = x.shape[0], L = x.shape[1], H = x.shape[2], block = L * H
        let eps = Scalar(norm.epsilon), gamma = norm.weight?.value, beta = norm.bias?.value
        gradientBuffer.resize(to: x.shape)
        for j in 0..<H { ws.normWeightSums[j] = 0; ws.normBiasSums[j] = 0 }
        x.withUnsafeBufferPointer { px in
            dh.withUnsafeBufferPointer { pg in
                gradientBuffer.withUnsafeMutableBufferPointer { pdx in
                    ws.pairA.withUnsafeMutableBufferPointer { z in
                      ws.pairB.withUnsafeMutableBufferPointer { d in
                        ws.pairC.withUnsafeMutableBufferPointer { c in
                            guard x.count > 0, let xp = px.baseAddress, let gp = pg.baseAddress, let dxp = pdx.baseAddress,
                                  let zp = z.baseAddress, let dp = d.baseAddress, let cp = c.baseAddress else { return }
                            for b in stride(from: 0, to: B, by: 2) {
                                let count = b + 1 < B ? 2 : 1, rows = count * L, first = b * block
                                mixBackward(outputGradient: gp + first, rows: rows, firstRow: b * L, width: H, into: dp)   // dy
                                ws.means.withUnsafeMutableBufferPointer { mu in
                                    ws.inverseStd.withUnsafeMutableBufferPointer { rs in
                                        let mean = UnsafeMutableBufferPointer(rebasing: mu[(b * L)..<(b * L + rows)])
                                        let inv = UnsafeMutableBufferPointer(rebasing: rs[(b * L)..<(b * L + rows)])
                                        let pairX = UnsafeBufferPointer(start: xp + first, count: rows * H)
                                        // z again (same statistics, same values as the forward's).
                                        LayerNormKernels.forward(pairX, rows: rows, size: H, epsilon: eps, gamma: gamma, beta: beta,
                                                                 into: UnsafeMutableBufferPointer(start: zp, count: rows * H),
                                                                 means: mean, inverseStd: inv)
                                        conv.backwardPair(outputGradient: dp, count == 2 ? dp + block : nil, input: zp, count == 2 ? zp + block : nil,
                                                          inputGradient: cp, count == 2 ? cp + block : nil, first: b == 0)        // dz
                                        ws.normWeightSums.withUnsafeMutableBufferPointer { sg in
                                            ws.normBiasSums.withUnsafeMutableBufferPointer { sb in
                                                LayerNormKernels.backward(pairX, outputGradient: UnsafeBufferPointer(start: cp, count: rows * H),
                                                                          rows: rows, size: H, gamma: gamma,
                                                                          means: UnsafeBufferPointer(mean), inverseStd: UnsafeBufferPointer(inv),
                                                                          into: UnsafeMutableBufferPointer(start: dxp + first, count: rows * H),
                                                                          weightGradient: sg, biasGradient: sb)
                                            }
                                        }
                                    }
                                }
                                let g = gp + first, dx = dxp + first
                                for i in 0..<(rows * H) { dx[i] += g[i] }                                        // residual
                            }
                        }
                      }
                    }
                }
            }
        }
        ssm.kernelGradient.withUnsafeMutableBufferPointer { conv.kernelGradient(into: $0) }          // Σ over pairs → ∂K'
        ssm.accumulateTiledKernelGradients(length: L)
        if let weight = norm.weight, let bias = norm.bias {
            weight.gradient.withUnsafeMutableBufferPointer { dst in for j in 0..<H { dst[j] += ws.normWeightSums[j] } }
            bias.gradient.withUnsafeMutableBufferPointer { dst in for j in 0..<H { dst[j] += ws.normBiasSums[j] } }
        }
        ws.input = nil
        return gradientBuffer
    }

    /// For `rows` rows from `firstRow`: dm = (dh ⊙ s, dh ⊙ v ⊙ s (1 − s)), ∂W += dmᵀ a,
    /// ∂b += Σ dm, and dy = (dm W) ⊙ a' into `dy` (rows, H), in chunks.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func mixBackward(outputGradient dh: UnsafePointer<Scalar>, rows: Int, firstRow: Int, width H: Int, into dy: UnsafeMutablePointer<Scalar>) {
        let ws = workspace, step = FusedBlockWorkspace<Scalar>.chunkRows
        guard let bias = mixing.bias else { preconditionFailure("SSMBlock: fused mixing without a bias") } // invariant: checked by canFuse
        let weight = mixing.weight
        weight.value.withUnsafeBufferPointer { w in
            weight.gradient.withUnsafeMutableBufferPointer { gw in
                bias.gradient.withUnsafeMutableBufferPointer { gb in
                    ws.activation.withUnsafeBufferPointer { a in
                        ws.derivative.withUnsafeBufferPointer { d in
                            ws.value.withUnsafeBufferPointer { v in
                                ws.gate.withUnsafeBufferPointer { s in
                                    ws.chunk.withUnsafeMutableBufferPointer { m in
                                        ws.chunkGradient.withUnsafeMutableBufferPointer { da in
                                            let dm = m.baseAddress!, gba = gb.baseAddress!, dap = da.baseAddress!
                                            for r0 in stride(from: 0, to: rows, by: step) {
                                                let n = Swift.min(step, rows - r0), row = firstRow + r0, count = n * H, o = row * H
                                                let gi = dh + r0 * H, vp = v.baseAddress! + o, sp = s.baseAddress! + o, ap = a.baseAddress! + o
                                                for i in 0..<n {                                                               // dm rows [dm_a | dm_b]
                                                    let g = gi + i * H, vr = vp + i * H, sr = sp + i * H, dmr = dm + i * 2 * H
                                                    for j in 0..<H {
                                                        let sj = sr[j]
                                                        dmr[j] = g[j] * sj
                                                        dmr[H + j] = g[j] * vr[j] * sj * (1 - sj)
                                                    }
                                                }
                                                withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * H) { sums in    // ∂b += Σ dm
                                                    let sm = sums.baseAddress!
                                                    sm.initialize(repeating: 0, count: 2 * H)
                                                    for i in 0..<n {
                                                        let dmr = dm + i * 2 * H
                                                        for j in 0..<(2 * H) { sm[j] += dmr[j] }
                                                    }
                                                    for j in 0..<(2 * H) { gba[j] += sm[j] }
                                                }
                                                Scalar.gemm(.transpose, .none, m: 2 * H, n: H, k: n, alpha: 1, a: dm, lda: 2 * H,
                                                            b: ap, ldb: H, beta: 1, c: gw.baseAddress!, ldc: H)                   // ∂W += dmᵀ a
                                                Scalar.gemm(.none, .none, m: n, n: H, k: 2 * H, alpha: 1, a: dm, lda: 2 * H,
                                                            b: w.baseAddress!, ldb: H, beta: 0, c: dap, ldc: H)                 // da = dm W
                                                let dr = d.baseAddress! + o, out = dy + r0 * H
                                                for i in 0..<count { out[i] = dap[i] * dr[i] }                                     // dy = da ⊙ a'
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
