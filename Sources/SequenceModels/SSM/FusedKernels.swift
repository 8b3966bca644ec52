// FusedKernels.swift — the element-wise loops of the fused SSM block and model, written on
// `Scalar.Lanes` (8 Float / 4 Double lanes) with a scalar tail.
//
// Plain `for` loops over several unsafe pointers were left scalar by LLVM in the fused
// backward (it could not rule out aliasing between the outputs and the inputs), so each loop
// here loads and stores lane groups explicitly. The arithmetic per element is the same as the
// layered path's (same operations, same order), so results agree to the bit where the inputs do.

enum FusedKernels {
    /// `y[i] = x[i] + v[i] · s[i]` (the GLU output plus the residual).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func addProduct<S: NeuralScalar>(_ x: UnsafePointer<S>, _ v: UnsafePointer<S>, _ s: UnsafePointer<S>,
                                            into y: UnsafeMutablePointer<S>, count: Int) {
        let w = S.Lanes.scalarCount, full = count - count % w
        var i = 0
        while i < full {
            VectorMath.store(VectorMath.load(x + i) + VectorMath.load(v + i) * VectorMath.load(s + i), y + i)
            i += w
        }
        while i < count { y[i] = x[i] + v[i] * s[i]; i += 1 }
    }

    /// `c[i] = a[i] · b[i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func multiply<S: NeuralScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, into c: UnsafeMutablePointer<S>, count: Int) {
        let w = S.Lanes.scalarCount, full = count - count % w
        var i = 0
        while i < full { VectorMath.store(VectorMath.load(a + i) * VectorMath.load(b + i), c + i); i += w }
        while i < count { c[i] = a[i] * b[i]; i += 1 }
    }

    /// `y[i] += x[i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func accumulate<S: NeuralScalar>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        let w = S.Lanes.scalarCount, full = count - count % w
        var i = 0
        while i < full { VectorMath.store(VectorMath.load(y + i) + VectorMath.load(x + i), y + i); i += w }
        while i < count { y[i] += x[i]; i += 1 }
    }

    /// Splits rows of [p_a | p_b] (rows of 2n) into `value[r][j] = p_a[r][j] + ba[j]` and
    /// `gate[r][j] = p_b[r][j] + bb[j]` (rows of n each).
    /// - Complexity: O(rows · n), one pass.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func splitAddingBias<S: NeuralScalar>(_ p: UnsafePointer<S>, rows: Int, width n: Int, valueBias ba: UnsafePointer<S>,
                                                 gateBias bb: UnsafePointer<S>, value v: UnsafeMutablePointer<S>,
                                                 gate g: UnsafeMutablePointer<S>) {
        let w = S.Lanes.scalarCount, full = n - n % w
        for r in 0..<rows {
            let pa = p + r * 2 * n, pg = pa + n, vr = v + r * n, gr = g + r * n
            var j = 0
            while j < full {
                VectorMath.store(VectorMath.load(pa + j) + VectorMath.load(ba + j), vr + j)
                VectorMath.store(VectorMath.load(pg + j) + VectorMath.load(bb + j), gr + j)
                j += w
            }
            while j < n { vr[j] = pa[j] + ba[j]; gr[j] = pg[j] + bb[j]; j += 1 }
        }
    }

    /// GLU with the residual in one pass over rows of [p_a | p_b] (rows of 2n), for n a multiple
    /// of the lane count: `v = p_a + ba`, `s = σ(p_b + bb)` (both stored, the backward's caches)
    /// and `y = x + v ⊙ s`. The same operations as `splitAddingBias`, `VectorMath.sigmoid` and
    /// `addProduct` in turn (so the same bits), without the intermediate passes.
    /// - Complexity: O(rows · n), one pass.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gluResidual<S: NeuralScalar>(_ p: UnsafePointer<S>, rows: Int, width n: Int, valueBias ba: UnsafePointer<S>,
                                             gateBias bb: UnsafePointer<S>, residual x: UnsafePointer<S>,
                                             value v: UnsafeMutablePointer<S>, gate g: UnsafeMutablePointer<S>,
                                             into y: UnsafeMutablePointer<S>) {
        let w = S.Lanes.scalarCount
        precondition(n % w == 0, "FusedKernels.gluResidual: width \(n) is not a multiple of \(w)") // invariant: callers check the width
        for r in 0..<rows {
            let pa = p + r * 2 * n, pg = pa + n, o = r * n
            var j = 0
            while j < n {
                let value = VectorMath.load(pa + j) + VectorMath.load(ba + j)
                let gate = S.vectorSigmoid(VectorMath.load(pg + j) + VectorMath.load(bb + j))
                VectorMath.store(value, v + o + j)
                VectorMath.store(gate, g + o + j)
                VectorMath.store(VectorMath.load(x + o + j) + value * gate, y + o + j)
                j += w
            }
        }
    }

    /// `p[r][j] += b[j]` for `rows` rows of `width`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func addRowVector<S: NeuralScalar>(_ b: UnsafePointer<S>, to p: UnsafeMutablePointer<S>, rows: Int, width n: Int) {
        let w = S.Lanes.scalarCount, full = n - n % w
        for r in 0..<rows {
            let row = p + r * n
            var j = 0
            while j < full { VectorMath.store(VectorMath.load(row + j) + VectorMath.load(b + j), row + j); j += w }
            while j < n { row[j] += b[j]; j += 1 }
        }
    }

    /// `sums[j] += Σ_r p[r][j]` for `rows` rows of `width` (summed per call in a local row first).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func accumulateColumnSums<S: NeuralScalar>(_ p: UnsafePointer<S>, rows: Int, width n: Int, into sums: UnsafeMutablePointer<S>) {
        let w = S.Lanes.scalarCount, full = n - n % w
        withUnsafeTemporaryAllocation(of: S.self, capacity: Swift.max(1, n)) { scratch in
            let acc = scratch.baseAddress!
            acc.initialize(repeating: 0, count: n)
            for r in 0..<rows {
                let row = p + r * n
                var j = 0
                while j < full { VectorMath.store(VectorMath.load(acc + j) + VectorMath.load(row + j), acc + j); j += w }
                while j < n { acc[j] += row[j]; j += 1 }
            }
            for j in 0..<n { sums[j] += acc[j] }
        }
    }

    /// GLU's backward for `rows` rows of width n: dm[r] = [g ⊙ s | g ⊙ v ⊙ s ⊙ (1 − s)] (rows of 2n)
    /// from g, v, s (rows of n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gluBackward<S: NeuralScalar>(_ g: UnsafePointer<S>, value v: UnsafePointer<S>, gate s: UnsafePointer<S>,
                                             rows: Int, width n: Int, into dm: UnsafeMutablePointer<S>) {
        let w = S.Lanes.scalarCount, full = n - n % w, one = S.Lanes(repeating: 1)
        for r in 0..<rows {
            let gr = g + r * n, vr = v + r * n, sr = s + r * n, da = dm + r * 2 * n, db = da + n
            var j = 0
            while j < full {
                let gv = VectorMath.load(gr + j), sv = VectorMath.load(sr + j)
                VectorMath.store(gv * sv, da + j)
                VectorMath.store(gv * VectorMath.load(vr + j) * sv * (one - sv), db + j)
                j += w
            }
            while j < n {
                da[j] = gr[j] * sr[j]
                db[j] = gr[j] * vr[j] * sr[j] * (1 - sr[j])
                j += 1
            }
        }
    }

    /// LayerNorm's output from statistics already recorded by `LayerNormKernels.forward` (the
    /// fused backward's "z again"): `y[r] = ((x[r] − μ_r) r_r) γ + β` (or without γ, β), the
    /// same operations in the same order as that forward's third pass, so the result is
    /// bit-identical to its output while skipping the two statistics passes.
    /// - Complexity: O(rows · width), one pass over x.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func normalize<S: NeuralScalar>(_ x: UnsafePointer<S>, rows: Int, width n: Int, means: UnsafePointer<S>,
                                           inverseStd: UnsafePointer<S>, gamma: Tensor<S>?, beta: Tensor<S>?,
                                           into y: UnsafeMutablePointer<S>) {
        LayerNormKernels.withAffine(gamma, beta, n) { pg, pb in
            for r in 0..<rows {
                LayerNormKernels.normalizeRow(x + r * n, width: n, mean: means[r], inverseStd: inverseStd[r],
                                              gamma: pg, beta: pb, into: y + r * n)
            }
        }
    }

    /// Σ_i a[i] b[i], in lane-wise partial sums (so the sum's rounding differs from a serial loop's).
    /// - Complexity: O(count).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func dot<S: NeuralScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, count: Int) -> S {
        let w = S.Lanes.scalarCount, full = count - count % w
        var acc = S.Lanes()
        var i = 0
        while i < full { acc += VectorMath.load(a + i) * VectorMath.load(b + i); i += w }
        var total = acc.sum()
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// Backward of the outer product y[r] = x[r] w + b (one input feature) in one pass over
    /// g = ∂L/∂y (rows of `width`): biasSums[j] += Σ_r g[r][j], weightSums[j] += Σ_r g[r][j] x[r],
    /// inputGradient[r] = g[r] · w.
    /// - Complexity: O(rows · width), one read of g.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func outerProductBackward<S: NeuralScalar>(_ g: UnsafePointer<S>, input x: UnsafePointer<S>, weight w: UnsafePointer<S>,
                                                      rows: Int, width n: Int, biasSums: UnsafeMutablePointer<S>,
                                                      weightSums: UnsafeMutablePointer<S>, inputGradient dx: UnsafeMutablePointer<S>) {
        let lanes = S.Lanes.scalarCount, full = n - n % lanes
        for r in 0..<rows {
            let gr = g + r * n, xr = x[r], xl = S.Lanes(repeating: xr)
            var acc = S.Lanes()
            var j = 0
            while j < full {
                let gv = VectorMath.load(gr + j)
                VectorMath.store(VectorMath.load(biasSums + j) + gv, biasSums + j)
                VectorMath.store(VectorMath.load(weightSums + j) + gv * xl, weightSums + j)
                acc += gv * VectorMath.load(w + j)
                j += lanes
            }
            var total = acc.sum()
            while j < n {
                biasSums[j] += gr[j]
                weightSums[j] += gr[j] * xr
                total += gr[j] * w[j]
                j += 1
            }
            dx[r] = total
        }
    }

    /// The backward of a one-output head over an affine LayerNorm, `y[r] = z[r] · w + b`,
    /// `z[r] = γ ⊙ x̂[r] + β`, `x̂[r] = (x[r] − μ_r) σ_r⁻¹`, for rows of `width` n, without forming
    /// z or ∂z. With d = ∂ℓ/∂y[r] (a scalar per row), ∂z[r] = d w, so the LayerNorm backward's
    /// g = ∂z ⊙ γ = d (w ⊙ γ) and
    ///     ∂x[r] = σ_r⁻¹ (g − mean_j g − x̂[r] mean_j(g ⊙ x̂[r])),   mean_j g = d Σ(w ⊙ γ) / n,
    /// while every parameter gradient is a combination of A = Σ_r d x̂[r] and S = Σ_r d:
    ///     ∂w = γ ⊙ A + β S,  ∂b = S,  ∂γ = w ⊙ A,  ∂β = w S  (the caller forms these).
    /// Adds the rows' d x̂[r] to `sums` (n) and returns their Σ d. The sums are regrouped relative
    /// to the layered path (LayerNorm forward, head backward, LayerNorm backward), so results
    /// agree up to rounding, not to the bit.
    /// - Complexity: O(rows · width), two passes over each row of x (in cache) instead of six.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func normHeadBackward<S: NeuralScalar>(_ x: UnsafePointer<S>, outputGradient dy: UnsafePointer<S>, rows: Int, width n: Int,
                                                  means: UnsafePointer<S>, inverseStd: UnsafePointer<S>,
                                                  scaledWeight wg: UnsafePointer<S>, scaledWeightSum: S,
                                                  sums: UnsafeMutablePointer<S>, into dx: UnsafeMutablePointer<S>) -> S {
        let lanes = S.Lanes.scalarCount, full = n - n % lanes, inverseN = 1 / S(n)
        var total: S = 0
        for r in 0..<rows {
            let row = x + r * n, out = dx + r * n, d = dy[r], mean = means[r], inv = inverseStd[r]
            let meanL = S.Lanes(repeating: mean), invL = S.Lanes(repeating: inv), dL = S.Lanes(repeating: d)
            var acc = S.Lanes(), tail: S = 0
            var j = 0
            while j < full {                                                   // A += d x̂, Σ (w ⊙ γ) x̂
                let xhat = (VectorMath.load(row + j) - meanL) * invL
                VectorMath.store(VectorMath.load(sums + j) + dL * xhat, sums + j)
                acc += VectorMath.load(wg + j) * xhat
                j += lanes
            }
            while j < n {
                let xhat = (row[j] - mean) * inv
                sums[j] += d * xhat
                tail += wg[j] * xhat
                j += 1
            }
            let meanG = d * scaledWeightSum * inverseN, meanGH = d * (acc.sum() + tail) * inverseN
            let meanGL = S.Lanes(repeating: meanG), meanGHL = S.Lanes(repeating: meanGH)
            j = 0
            while j < full {
                let xhat = (VectorMath.load(row + j) - meanL) * invL
                VectorMath.store(invL * (dL * VectorMath.load(wg + j) - meanGL - xhat * meanGHL), out + j)
                j += lanes
            }
            while j < n {
                let xhat = (row[j] - mean) * inv
                out[j] = inv * (d * wg[j] - meanG - xhat * meanGH)
                j += 1
            }
            total += d
        }
        return total
    }
}
