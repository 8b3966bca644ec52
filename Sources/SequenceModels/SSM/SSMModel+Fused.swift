// SSMModel+Fused.swift — the whole network one pair of sequences at a time.
//
// With pooling `.none` every layer of the model works on each sequence on its own, so a pair of
// sequences (b, b+1) can go through the input projection, every block (SSMBlock+Fused.swift),
// the final LayerNorm and the output projection before the next pair starts, and the (2L, H)
// activations between them stay in cache. What the backward needs is kept for the whole batch:
// each block's input (the input projection's output is recomputed instead, it is one small gemm),
// the last block's output (the final LayerNorm's input; its output is recomputed), the final
// LayerNorm's statistics and the blocks' own caches.
//
//   forward, per pair:  h = u W_inᵀ + b_in;  h = block_k(h) for each block;
//                       z = LayerNorm(h);  y = z W_outᵀ + b_out
//   backward, per pair: z again;  ∂W_out += dyᵀ z, ∂b_out += Σ dy, dz = dy W_out;
//                       dh = LayerNorm'(dz)  (for one output over an affine LayerNorm, these
//                       three in one kernel without z or dz: FusedKernels.normHeadBackward);
//                       dh = block_k'(dh) from the last block to the first;
//                       ∂W_in += dhᵀ u, ∂b_in += Σ dh, du = dh W_in
// The layered path (`executionPath = .layered`, the children one after another over the whole
// batch) is the reference the tests compare with; pooled models, and models whose blocks cannot
// fuse, run layered. With `batchParallelism` > 1 the pairs are split over threads, each with its
// own lane of scratch and gradient sums here and in every block (SSMPairPartition.swift).

import LinearAlgebra
import Spectral

/// One thread's scratch of the model's fused path and its sums of the projections' and the final
/// LayerNorm's parameter gradients (SSMPairPartition.swift).
final class FusedModelLane<Scalar: NeuralScalar & FFTScalar> {
    let pair0: Workspace<Scalar>, pair1: Workspace<Scalar>, pair2: Workspace<Scalar>   // (2L, H)
    let normWeightSums: Workspace<Scalar>, normBiasSums: Workspace<Scalar>            // (H): ∂γ, ∂β
    let headSums: Workspace<Scalar>                                                   // (H): a pair's Σ d x̂ (normHeadBackward)
    let inputWeightSums: Workspace<Scalar>, inputBiasSums: Workspace<Scalar>          // (H, F), (H)
    let outputWeightSums: Workspace<Scalar>, outputBiasSums: Workspace<Scalar>        // (O, H), (O)

    init(length L: Int, width H: Int, inputs F: Int, outputs O: Int) {
        pair0 = Workspace(count: 2 * L * H); pair1 = Workspace(count: 2 * L * H); pair2 = Workspace(count: 2 * L * H)
        normWeightSums = Workspace(count: H); normBiasSums = Workspace(count: H); headSums = Workspace(count: H)
        inputWeightSums = Workspace(count: H * F); inputBiasSums = Workspace(count: H)
        outputWeightSums = Workspace(count: O * H); outputBiasSums = Workspace(count: O)
    }

    /// Zeroes the sums before a step.
    func reset() {
        for w in [normWeightSums, normBiasSums, inputWeightSums, inputBiasSums, outputWeightSums, outputBiasSums] {
            w.pointer.update(repeating: 0, count: w.count)
        }
    }
}

/// Caches and scratch of the model's fused path.
final class FusedModelWorkspace<Scalar: NeuralScalar & FFTScalar> {
    private(set) var batch = -1, length = -1, width = -1, depth = -1, inputs = -1, outputs = -1
    private(set) var blockInputs: [Workspace<Scalar>] = []     // (B, L, H) for blocks 1 ..< depth
    private(set) var lastOutput = Workspace<Scalar>(count: 0)  // (B, L, H): the final LayerNorm's input
    private(set) var means = Workspace<Scalar>(count: 0), inverseStd = Workspace<Scalar>(count: 0)   // (B·L)
    /// Per-thread scratch and gradient sums; `lanesUsed` of them take part in the current step.
    private(set) var lanes: [FusedModelLane<Scalar>] = []
    private(set) var lanesUsed = 1
    var input: Tensor<Scalar>?

    /// Buffers for (B, L, H), `depth` blocks, F inputs, O outputs and at least `lanes` lanes, of
    /// which the first `lanes` are reset.
    func prepare(batch B: Int, length L: Int, width H: Int, depth: Int, inputs F: Int, outputs O: Int, lanes count: Int) {
        if B != batch || L != length || H != width || depth != self.depth || F != inputs || O != outputs {
            batch = B; length = L; width = H; self.depth = depth; inputs = F; outputs = O
            blockInputs = (0..<Swift.max(0, depth - 1)).map { _ in Workspace(count: B * L * H) }
            lastOutput = Workspace(count: B * L * H)
            means = Workspace(count: B * L); inverseStd = Workspace(count: B * L)
            lanes = []
        }
        while lanes.count < count { lanes.append(FusedModelLane(length: L, width: H, inputs: F, outputs: O)) }
        lanesUsed = count
        for lane in lanes[0..<count] { lane.reset() }
    }
}

extension SSMModel {
    /// Whether `forward` can take the fused path: no pooling, biased projections, fusable blocks.
    var canFuse: Bool {
        executionPath == .fused && configuration.pooling == .none && input.bias != nil && output.bias != nil
            && blocks.allSatisfy { $0.canFuse }
    }

    /// The fused forward (see the file header).
    /// - Complexity: the layered path's flops; a fraction of its memory traffic.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedForward(_ u: Tensor<Scalar>) -> Tensor<Scalar> {
        let F = configuration.inputSize, H = configuration.width, O = configuration.outputSize
        precondition(u.rank == 3 && u.shape[2] == F, "SSMModel needs (batch, time, \(F)), got \(u.shape)") // invariant: shapes checked by caller
        let B = u.shape[0], L = u.shape[1], ws = fusedWorkspace
        ws.input = nil
        let lanes = SSMPairPartition.lanes(batch: B, parallelism: batchParallelism)
        ws.prepare(batch: B, length: L, width: H, depth: blocks.count, inputs: F, outputs: O, lanes: lanes.count)
        for block in blocks { block.beginFused(batch: B, length: L, lanes: lanes.count) }
        outputBuffer.resize(to: [B, L, O])
        let eps = Scalar(norm.epsilon), gamma = norm.weight?.value, beta = norm.bias?.value
        u.withUnsafeBufferPointer { pu in
            outputBuffer.withUnsafeMutableBufferPointer { py in
                guard B * L > 0, let up = pu.baseAddress, let yp = py.baseAddress else { return }
                SSMPairPartition.run(lanes) { lane, pairs in
                    let scratch = ws.lanes[lane]
                    for b in pairs.lazy.map({ 2 * $0 }) {
                        let rows = Swift.min(2, B - b) * L, row0 = b * L, o = row0 * H
                        // h₀ = u W_inᵀ + b_in, straight into the first block's input (or the last output).
                        var h = blocks.isEmpty ? ws.lastOutput.pointer + o : scratch.pair0.pointer
                        project(input, up + row0 * F, rows: rows, into: h)
                        for (k, block) in blocks.enumerated() {
                            let next = k + 1 < blocks.count ? ws.blockInputs[k].pointer + o : ws.lastOutput.pointer + o
                            block.fusedForwardPair(h, first: b, rows: rows, into: next, lane: lane)
                            h = next
                        }
                        let z = scratch.pair1.pointer
                        LayerNormKernels.forward(UnsafeBufferPointer(start: h, count: rows * H), rows: rows, size: H, epsilon: eps, gamma: gamma, beta: beta,
                                                 into: UnsafeMutableBufferPointer(start: z, count: rows * H),
                                                 means: UnsafeMutableBufferPointer(start: ws.means.pointer + row0, count: rows),
                                                 inverseStd: UnsafeMutableBufferPointer(start: ws.inverseStd.pointer + row0, count: rows))
                        project(output, z, rows: rows, into: yp + row0 * O)
                    }
                }
            }
        }
        ws.input = u
        return outputBuffer
    }

    /// The fused backward (see the file header).
    /// - Complexity: the layered path's flops plus a LayerNorm forward and an input projection.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fusedBackward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let ws = fusedWorkspace
        guard let u = ws.input else { preconditionFailure("SSMModel.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        let H = configuration.width, O = configuration.outputSize
        let B = u.shape[0], L = u.shape[1]
        precondition(dy.shape == [B, L, O], "SSMModel.backward: gradient \(dy.shape) for output \([B, L, O])") // invariant: shapes checked by caller
        let lanes = SSMPairPartition.lanes(batch: B, parallelism: ws.lanesUsed)                   // the forward's split
        gradientBuffer.resize(to: u.shape)
        let eps = Scalar(norm.epsilon), gamma = norm.weight?.value, beta = norm.bias?.value
        // One output over an affine LayerNorm: the head's and the norm's backward in one kernel
        // (FusedKernels.normHeadBackward), from w ⊙ γ and its sum.
        var scaledWeight: [Scalar] = []
        if O == 1, let gamma, beta != nil {
            let w = output.weight.value.scalars, g = gamma.scalars
            scaledWeight = (0..<H).map { w[$0] * g[$0] }
        }
        let scaledWeightSum = scaledWeight.reduce(0, +)
        u.withUnsafeBufferPointer { pu in
            dy.withUnsafeBufferPointer { pg in
                gradientBuffer.withUnsafeMutableBufferPointer { pdu in
                    guard B * L > 0, let up = pu.baseAddress, let gp = pg.baseAddress, let dup = pdu.baseAddress else { return }
                    SSMPairPartition.run(lanes) { lane, pairs in
                        for b in pairs.lazy.map({ 2 * $0 }) {
                            backwardPair(b, lane: lane, input: up, outputGradient: gp, into: dup, epsilon: eps, gamma: gamma, beta: beta,
                                         scaledWeight: scaledWeight, scaledWeightSum: scaledWeightSum)
                        }
                    }
                }
            }
        }
        for block in blocks { block.endFusedBackward() }
        let used = Array(ws.lanes[0..<ws.lanesUsed])
        func add(_ parameter: Parameter<Scalar>?, _ sums: (FusedModelLane<Scalar>) -> Workspace<Scalar>) {
            guard let parameter else { return }
            parameter.gradient.withUnsafeMutableBufferPointer { dst in
                SSMPairPartition.addSums(used.map { sums($0).pointer }, count: dst.count, into: dst)
            }
        }
        add(input.weight, \.inputWeightSums); add(input.bias, \.inputBiasSums)
        add(output.weight, \.outputWeightSums); add(output.bias, \.outputBiasSums)
        if norm.weight != nil && norm.bias != nil { add(norm.weight, \.normWeightSums); add(norm.bias, \.normBiasSums) }
        ws.input = nil
        return gradientBuffer
    }

    /// The backward of the pair starting at sequence `b` on `lane` (see the file header): reads
    /// the whole-batch u (B, L, F) and dy (B, L, O), writes the pair's rows of du (B, L, F) and
    /// adds its parameter gradients to the lane's sums (and the blocks' lanes).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backwardPair(_ b: Int, lane: Int, input up: UnsafePointer<Scalar>, outputGradient gp: UnsafePointer<Scalar>,
                      into dup: UnsafeMutablePointer<Scalar>, epsilon eps: Scalar, gamma: Tensor<Scalar>?, beta: Tensor<Scalar>?,
                      scaledWeight: [Scalar], scaledWeightSum: Scalar) {
        let ws = fusedWorkspace, scratch = ws.lanes[lane], B = ws.batch, L = ws.length
        let F = configuration.inputSize, H = configuration.width, O = configuration.outputSize
        let rows = Swift.min(2, B - b) * L, row0 = b * L, o = row0 * H
        let h = UnsafeBufferPointer(start: ws.lastOutput.pointer + o, count: rows * H)
        let mean = UnsafeMutableBufferPointer(start: ws.means.pointer + row0, count: rows)
        let inv = UnsafeMutableBufferPointer(start: ws.inverseStd.pointer + row0, count: rows)
        var dh = scratch.pair0.pointer, spare = scratch.pair1.pointer
        if scaledWeight.isEmpty {
            let z = scratch.pair1.pointer, dz = scratch.pair2.pointer
            LayerNormKernels.forward(h, rows: rows, size: H, epsilon: eps, gamma: gamma, beta: beta,
                                     into: UnsafeMutableBufferPointer(start: z, count: rows * H), means: mean, inverseStd: inv)   // z again
            projectBackward(output, input: z, outputGradient: gp + row0 * O, rows: rows, into: dz,
                            weightGradient: scratch.outputWeightSums.pointer, biasGradient: scratch.outputBiasSums.pointer)
            LayerNormKernels.backward(h, outputGradient: UnsafeBufferPointer(start: dz, count: rows * H), rows: rows, size: H, gamma: gamma,
                                      means: UnsafeBufferPointer(mean), inverseStd: UnsafeBufferPointer(inv),
                                      into: UnsafeMutableBufferPointer(start: dh, count: rows * H),
                                      weightGradient: scratch.normWeightSums.mutableBuffer, biasGradient: scratch.normBiasSums.mutableBuffer)
        } else {
            let sums = scratch.headSums.pointer
            sums.update(repeating: 0, count: H)
            let total = scaledWeight.withUnsafeBufferPointer { wg in
                FusedKernels.normHeadBackward(h.baseAddress!, outputGradient: gp + row0, rows: rows, width: H,
                                              means: ws.means.pointer + row0, inverseStd: ws.inverseStd.pointer + row0,
                                              scaledWeight: wg.baseAddress!, scaledWeightSum: scaledWeightSum, sums: sums, into: dh)
            }
            foldNormHeadSums(sums, total: total, lane: scratch)
        }
        for k in blocks.indices.reversed() {
            let x: UnsafeMutablePointer<Scalar>
            if k > 0 {
                x = ws.blockInputs[k - 1].pointer + o
            } else {
                x = scratch.pair2.pointer                                                   // h₀ again
                project(input, up + row0 * F, rows: rows, into: x)
            }
            blocks[k].fusedBackwardPair(dh, input: x, first: b, rows: rows, into: spare, lane: lane)
            swap(&dh, &spare)
        }
        projectBackward(input, input: up + row0 * F, outputGradient: dh, rows: rows, into: dup + row0 * F,
                        weightGradient: scratch.inputWeightSums.pointer, biasGradient: scratch.inputBiasSums.pointer)
    }

    /// The parameter gradients of `FusedKernels.normHeadBackward` for one pair, from A = Σ d x̂
    /// (`sums`) and S = Σ d (`total`), into the lane's sums: ∂w += γ ⊙ A + β S, ∂b += S, and the
    /// LayerNorm sums ∂γ += w ⊙ A, ∂β += w S.
    func foldNormHeadSums(_ a: UnsafePointer<Scalar>, total s: Scalar, lane: FusedModelLane<Scalar>) {
        guard let gamma = norm.weight?.value, let beta = norm.bias?.value, output.bias != nil else {
            preconditionFailure("SSMModel: fused head backward without an affine LayerNorm or a head bias") // invariant: checked by fusedBackward and canFuse
        }
        let H = configuration.width, dGamma = lane.normWeightSums.pointer, dBeta = lane.normBiasSums.pointer
        let gw = lane.outputWeightSums.pointer
        gamma.withUnsafeBufferPointer { g in
            beta.withUnsafeBufferPointer { b in
                output.weight.value.withUnsafeBufferPointer { w in
                    for j in 0..<H {
                        gw[j] += g[j] * a[j] + b[j] * s
                        dGamma[j] += w[j] * a[j]
                        dBeta[j] += w[j] * s
                    }
                }
            }
        }
        lane.outputBiasSums.pointer[0] += s
    }

    /// `y = x Wᵀ + b` for `rows` rows of a biased `Linear` (x (rows, in), y (rows, out)): a gemm,
    /// or for one input feature (the outer product y = x wᵀ + b) and one output feature (the row
    /// dots y = x · w + b) plain loops — gemm with a unit inner or outer dimension spends more on
    /// packing than on arithmetic.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func project(_ layer: Linear<Scalar>, _ x: UnsafePointer<Scalar>, rows: Int, into y: UnsafeMutablePointer<Scalar>) {
        let n = layer.inputSize, m = layer.outputSize
        guard let bias = layer.bias?.value else { preconditionFailure("SSMModel: fused projection without a bias") } // invariant: checked by canFuse
        layer.weight.value.withUnsafeBufferPointer { pw in
            bias.withUnsafeBufferPointer { pb in
                let w = pw.baseAddress!, b = pb.baseAddress!
                if n == 1 {
                    for r in 0..<rows {
                        let xr = x[r], yr = y + r * m
                        for j in 0..<m { yr[j] = xr * w[j] + b[j] }
                    }
                } else if m == 1 {
                    for r in 0..<rows { y[r] = FusedKernels.dot(x + r * n, w, count: n) + b[0] }
                } else {
                    Scalar.gemm(.none, .transpose, m: rows, n: m, k: n, alpha: 1, a: x, lda: n, b: w, ldb: n, beta: 0, c: y, ldc: m)
                    FusedKernels.addRowVector(b, to: y, rows: rows, width: m)
                }
            }
        }
    }

    /// Backward of `project` for `rows` rows: ∂W += dyᵀ x into `weightGradient` (out, in),
    /// ∂b += Σ dy into `biasGradient` (out), dx = dy W (gemms, or loops for a unit dimension as in
    /// `project`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func projectBackward(_ layer: Linear<Scalar>, input x: UnsafePointer<Scalar>, outputGradient dy: UnsafePointer<Scalar>, rows: Int,
                         into dx: UnsafeMutablePointer<Scalar>, weightGradient gw: UnsafeMutablePointer<Scalar>,
                         biasGradient gb: UnsafeMutablePointer<Scalar>) {
        let n = layer.inputSize, m = layer.outputSize
        precondition(layer.bias != nil, "SSMModel: fused projection without a bias") // invariant: checked by canFuse
        layer.weight.value.withUnsafeBufferPointer { pw in
            let w = pw.baseAddress!
            withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * Swift.max(m, n)) { scratch in
                let s = scratch.baseAddress!, t = s + Swift.max(m, n)                 // Σ dy, Σ dy ⊗ x
                s.initialize(repeating: 0, count: 2 * Swift.max(m, n))
                if n == 1 {
                    FusedKernels.outerProductBackward(dy, input: x, weight: w, rows: rows, width: m,
                                                      biasSums: s, weightSums: t, inputGradient: dx)   // one pass over dy
                    for j in 0..<m { gb[j] += s[j]; gw[j] += t[j] }
                } else if m == 1 {
                    for r in 0..<rows {
                        let g = dy[r], xr = x + r * n, dr = dx + r * n
                        s[0] += g
                        for i in 0..<n { t[i] += g * xr[i]; dr[i] = g * w[i] }
                    }
                    gb[0] += s[0]
                    for i in 0..<n { gw[i] += t[i] }
                } else {
                    Scalar.gemm(.transpose, .none, m: m, n: n, k: rows, alpha: 1, a: dy, lda: m, b: x, ldb: n, beta: 1, c: gw, ldc: n)
                    FusedKernels.accumulateColumnSums(dy, rows: rows, width: m, into: gb)
                    Scalar.gemm(.none, .none, m: rows, n: n, k: m, alpha: 1, a: dy, lda: m, b: w, ldb: n, beta: 0, c: dx, ldc: n)
                }
            }
        }
    }
}
