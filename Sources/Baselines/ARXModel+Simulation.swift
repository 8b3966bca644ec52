// ARXModel+Simulation.swift — running a fitted ARX model over a segment, two ways:
//
//   one-step-ahead prediction   ŷ[k] = Σ A_i y[k−i] + Σ B_j u[k−nk−j] + c      (measured y)
//   free-run simulation         ŷ[k] = Σ A_i ŷ[k−i] + Σ B_j u[k−nk−j] + c      (own outputs)
//
// In both, the first `warmup` rows are initialised from measured data: ŷ[k] = y[k] for
// k < warmup, and those rows of the result hold the measured outputs (they are not
// predictions; an evaluation skips them). Samples before the start of the segment are zero
// (zero initial conditions), so with warmup = 0 the free run is the response of the model at
// rest, the same as its LTI realisation simulated from x[0] = 0. Free run is the
// system-identification `simulation` task.

import LinearAlgebra

extension ARXModel {
    /// One-step-ahead predictions over a segment (measured past outputs in the regressor).
    /// - Returns: `(L, p)`; rows `< warmup` are the measured outputs.
    /// - Throws: `.shapeMismatch` (channel counts), `.invalidParameter` (warmup outside 0...L).
    /// - Complexity: O(L d p), d = na·p + nb·m.
    public func predictOneStep(_ segment: IOSegment, warmup: Int = 0) throws(BaselineError) -> Matrix {
        try check(segment.inputs, segment.outputs, warmup: warmup, length: segment.length)
        return run(u: segment.inputs, measured: segment.outputs, warmup: warmup, feedback: false).outputs
    }

    /// Free-run simulation over a segment: only its first `warmup` outputs are read.
    /// - Returns: `(L, p)`; rows `< warmup` are the measured outputs.
    /// - Throws: `.diverged` when the output becomes non-finite (an unstable model),
    ///   `.shapeMismatch`, `.invalidParameter`.
    /// - Complexity: O(L d p).
    public func simulate(_ segment: IOSegment, warmup: Int = 0) throws(BaselineError) -> Matrix {
        try check(segment.inputs, segment.outputs, warmup: warmup, length: segment.length)
        let initial = segment.outputs.submatrix(rows: 0..<warmup, cols: 0..<outputCount)
        return try simulate(inputs: segment.inputs, initialOutputs: initial, checkedWarmup: warmup, length: segment.length)
    }

    /// Free-run simulation over `inputs` (L × m) whose first rows are initialised from
    /// `initialOutputs` (warmup × p, warmup ≤ L; may have no rows).
    public func simulate(inputs: Matrix, initialOutputs: Matrix) throws(BaselineError) -> Matrix {
        try requireFinite(inputs, "ARX simulate inputs")
        try requireFinite(initialOutputs, "ARX simulate initial outputs")
        return try simulate(inputs: inputs, initialOutputs: initialOutputs, checkedWarmup: initialOutputs.rows, length: inputs.rows)
    }

    private func simulate(inputs: Matrix, initialOutputs: Matrix, checkedWarmup warmup: Int, length: Int) throws(BaselineError) -> Matrix {
        try check(inputs, initialOutputs, warmup: warmup, length: length)
        let result = run(u: inputs, measured: initialOutputs, warmup: warmup, feedback: true)
        if let step = result.divergedAt { throw .diverged(context: "\(orders) free run", step: step) }
        return result.outputs
    }

    private func check(_ u: Matrix, _ y: Matrix, warmup: Int, length: Int) throws(BaselineError) {
        guard u.cols == inputCount || (inputCount == 0 && u.cols == 0) else {
            throw .shapeMismatch("\(orders): inputs have \(u.cols) column(s), the model has \(inputCount) input(s)")
        }
        guard y.cols == outputCount else {
            throw .shapeMismatch("\(orders): outputs have \(y.cols) column(s), the model has \(outputCount) output(s)")
        }
        guard u.rows == length else { throw .shapeMismatch("\(orders): inputs have \(u.rows) rows, expected \(length)") }
        guard warmup >= 0, warmup <= length else {
            throw .invalidParameter(name: "warmup", reason: "must lie in 0...\(length) (the segment length), got \(warmup)")
        }
    }

    /// The recursion of the file header. `measured` holds at least `warmup` rows (all L rows
    /// when `feedback` is false). Returns the outputs and the first step whose output is not
    /// finite (only checked with feedback).
    /// - Complexity: O(L d p).
    func run(u: Matrix, measured: Matrix, warmup: Int, feedback: Bool) -> (outputs: Matrix, divergedAt: Int?) {
        let steps = u.rows, p = outputCount, m = inputCount
        let na = orders.na, nb = orders.nb, nk = orders.nk
        var out = Matrix(rows: steps, cols: p)
        var diverged: Int? = nil
        var acc = [Double](repeating: 0, count: p)
        let c = regression.intercept
        out.elements.withUnsafeMutableBufferPointer { po in
            measured.elements.withUnsafeBufferPointer { pm in
                for i in 0..<(warmup * p) { po[i] = pm[i] }
                u.elements.withUnsafeBufferPointer { pu in
                    regression.weights.elements.withUnsafeBufferPointer { pw in
                        let history = feedback ? UnsafePointer(po.baseAddress) : pm.baseAddress
                        for k in warmup..<Swift.max(warmup, steps) {
                            for o in 0..<p { acc[o] = c[o] }
                            // Output lags: rows (i−1)p + o' of W.
                            for i in 1..<(na + 1) where k - i >= 0 {
                                let t = k - i
                                for o2 in 0..<p {
                                    let v = history![t * p + o2]
                                    let row = ((i - 1) * p + o2) * p
                                    for o in 0..<p { acc[o] += pw[row + o] * v }
                                }
                            }
                            // Input taps: rows na·p + j·m + c of W.
                            for j in 0..<nb where k - nk - j >= 0 {
                                let t = k - nk - j
                                for ch in 0..<m {
                                    let v = pu[t * m + ch]
                                    let row = (na * p + j * m + ch) * p
                                    for o in 0..<p { acc[o] += pw[row + o] * v }
                                }
                            }
                            var finite = true
                            for o in 0..<p {
                                po[k * p + o] = acc[o]
                                finite = finite && acc[o].isFinite
                            }
                            if feedback && !finite { diverged = k; return }
                        }
                    }
                }
            }
        }
        return (out, diverged)
    }
}
