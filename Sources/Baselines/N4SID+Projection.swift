// N4SID+Projection.swift — steps 1–5 of N4SID.swift: scaled block Hankel rows, streamed LQ,
// oblique projection, SVD, and A, C from the shift invariance of Γ_i.

import LinearAlgebra

/// Per-channel RMS of the inputs and outputs over all segments (the scaling of step 1).
struct ChannelScale {
    let u: [Double]
    let y: [Double]
}

extension N4SID {
    /// RMS of every channel.
    /// - Throws: `.singular` for an identically zero channel (it carries no information; an
    ///   input must be persistently exciting).
    func channelScales(_ segments: [IOSegment], m: Int, p: Int) throws(BaselineError) -> ChannelScale {
        var su = [Double](repeating: 0, count: m), sy = [Double](repeating: 0, count: p)
        var count = 0
        for seg in segments {
            for k in 0..<seg.length {
                for c in 0..<m { su[c] += seg.inputs[k, c] * seg.inputs[k, c] }
                for o in 0..<p { sy[o] += seg.outputs[k, o] * seg.outputs[k, o] }
            }
            count += seg.length
        }
        for (c, v) in su.enumerated() where !(v > 0) { throw .singular("N4SID: input channel \(c) is identically zero (not persistently exciting)") }
        for (o, v) in sy.enumerated() where !(v > 0) { throw .singular("N4SID: output channel \(o) is identically zero") }
        return ChannelScale(u: su.map { ($0 / Double(count)).squareRoot() }, y: sy.map { ($0 / Double(count)).squareRoot() })
    }

    /// Steps 1–4 without the order choice: the left singular vectors and singular values of
    /// the oblique projection O_i.
    /// - Complexity: O(j c²) + O(c³), c = 2i(m + p), j windows.
    func obliqueProjectionSVD(_ segments: [IOSegment], blockRows i: Int, m: Int, p: Int,
                              scale: ChannelScale) throws(BaselineError) -> (leftVectors: Matrix, singularValues: [Double]) {
        let im = i * m, ip = i * p, c = 2 * i * (m + p)
        let windows = segments.reduce(0) { $0 + Swift.max(0, $1.length - 2 * i + 1) }
        let norm = 1 / Double(windows).squareRoot()
        let invU = scale.u.map { norm / $0 }, invY = scale.y.map { norm / $0 }
        // Rows of Hᵀ: [U_f | U_p | Y_p | Y_f] for each window start t.
        var qr = IncrementalQR(cols: c)
        for seg in segments where seg.length >= 2 * i {
            try seg.inputs.elements.withUnsafeBufferPointer { (pu) throws(BaselineError) in
                try seg.outputs.elements.withUnsafeBufferPointer { (py) throws(BaselineError) in
                    for t in 0...(seg.length - 2 * i) {
                        try qr.appendRow { row in
                            for r in 0..<i {
                                for ch in 0..<m {
                                    row[r * m + ch] = pu[(t + i + r) * m + ch] * invU[ch]
                                    row[im + r * m + ch] = pu[(t + r) * m + ch] * invU[ch]
                                }
                                for o in 0..<p {
                                    row[2 * im + r * p + o] = py[(t + r) * p + o] * invY[o]
                                    row[2 * im + ip + r * p + o] = py[(t + i + r) * p + o] * invY[o]
                                }
                            }
                        }
                    }
                }
            }
        }
        let l = try qr.finish().transposed // (c, c) lower triangular: [U_f; W_p; Y_f] = L Qᵀ
        let past = im..<(2 * im + ip), future = (2 * im + ip)..<c
        let l22 = l.submatrix(rows: past, cols: past)
        let l32 = l.submatrix(rows: future, cols: past)
        let l2 = l.submatrix(rows: past, cols: 0..<past.upperBound) // [L21 L22]
        let pinv = try la { () throws(LinearAlgebraError) in try l22.pseudoInverse(rcond: projectionTolerance) }
        let projection = l32 * pinv * l2 // (ip, im + i(m+p)): O_i up to the orthonormal Q₁₂ᵀ
        let d = try la { () throws(LinearAlgebraError) in try projection.svd() }
        return (d.u, d.singularValues)
    }

    /// Step 4–5 for order n: Γ_i = U₁ S₁^{1/2}, C (unscaled) from its first block row, A from
    /// Γ̲ A = Γ̄ by least squares.
    func shiftInvariance(_ u: Matrix, _ s: [Double], order n: Int, blockRows i: Int, p: Int,
                         outputScale: [Double]) throws(BaselineError) -> (a: Matrix, c: Matrix) {
        guard n <= s.count, s[n - 1] > 0 else {
            throw .singular("N4SID: the projection has rank below the order \(n) (singular values \(s.prefix(n + 1).map { $0 })); the input may not be persistently exciting, or the order is too high")
        }
        var gamma = u.submatrix(rows: 0..<(i * p), cols: 0..<n)
        for j in 0..<n {
            let w = s[j].squareRoot()
            for r in 0..<(i * p) { gamma[r, j] *= w }
        }
        let upper = gamma.submatrix(rows: 0..<((i - 1) * p), cols: 0..<n)
        let lower = gamma.submatrix(rows: p..<(i * p), cols: 0..<n)
        let ls = try la { () throws(LinearAlgebraError) in try upper.leastSquares(lower) }
        guard ls.rank == n else {
            throw .singular("N4SID: Γ without its last block row has rank \(ls.rank) < order \(n); use more block rows")
        }
        var c = gamma.submatrix(rows: 0..<p, cols: 0..<n)
        for o in 0..<p { for j in 0..<n { c[o, j] *= outputScale[o] } }
        return (ls.solution, c)
    }
}
