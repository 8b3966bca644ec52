// ARXModel+Realization.swift — an ARX model as a DiscreteLTI, in block observer canonical form.
//
// Pad the polynomials to a common degree n = lagDepth:  y[k] = Σ_{i=1}^{n} Ã_i y[k−i] +
// Σ_{i=0}^{n} B̃_i u[k−i], with Ã_i = A_i (i ≤ na, else 0) and B̃_i = B_{i−nk} (nk ≤ i < nk+nb,
// else 0). With D = B̃_0 the state x = [x_1; …; x_n] (n blocks of p) evolves as
//
//     x_r[k+1] = Ã_r y[k] + x_{r+1}[k] + B̃_r u[k]   (x_{n+1} ≡ 0),      y[k] = x_1[k] + D u[k]
//
// i.e. A = [[Ã_1, I, 0, …], [Ã_2, 0, I, …], …, [Ã_n, 0, …, 0]],  B_r = B̃_r + Ã_r D,
// C = [I, 0, …, 0]. Unrolling gives x_r[k] = Σ_{i=r}^{n} (Ã_i y[k+r−1−i] + B̃_i u[k+r−1−i]),
// so x_1[k] is the whole lag sum and the recursion is the ARX one. The state dimension is n·p:
// minimal for SISO models, not necessarily for MIMO ones (the extra modes are uncontrollable or
// unobservable and do not change the input-output map). The poles are the eigenvalues of A,
// the roots of det(zⁿ I − Σ Ã_i z^{n−i}); nk > na adds poles at 0.

import LinearAlgebra
import Numerics
import StateSpace

extension ARXModel {
    /// The block observer canonical realisation (see the file header), with this model's sample time.
    /// - Throws: `.unsupported` when the model has a non-zero intercept (an offset is not an LTI
    ///   map; fit with `fitIntercept: false`, or remove the offset from the data).
    public func realization() throws(BaselineError) -> DiscreteLTI {
        guard regression.intercept.allSatisfy({ $0 == 0 }) else {
            throw .unsupported("\(orders): a model with an intercept (offset \(regression.intercept)) has no LTI realisation; fit with fitIntercept: false")
        }
        let p = outputCount, m = inputCount, n = orders.lagDepth
        let d = paddedInput(0)
        var a = Matrix(rows: n * p, cols: n * p)
        var b = Matrix(rows: n * p, cols: m)
        var c = Matrix(rows: p, cols: n * p)
        for o in 0..<p where n > 0 { c[o, o] = 1 }
        for r in 0..<n {
            let ar = paddedOutput(r + 1)
            a.setBlock(ar, at: r * p, 0)
            if r + 1 < n { a.setBlock(Matrix.identity(p), at: r * p, (r + 1) * p) }
            b.setBlock(paddedInput(r + 1) + ar * d, at: r * p, 0)
        }
        return try ss { () throws(StateSpaceError) in try DiscreteLTI(a: a, b: b, c: c, d: d, dt: sampleTime) }
    }

    /// The state of the realisation at time k = w, given the measured past: `pastInputs` (w × m)
    /// and `pastOutputs` (w × p) at times 0..<w, zero before time 0. Simulating the realisation
    /// from this state over the inputs from time w on reproduces the ARX free run with warmup w.
    /// - Throws: `.shapeMismatch` when the shapes do not fit, `.nonFinite`.
    public func realizationState(pastInputs: Matrix, pastOutputs: Matrix) throws(BaselineError) -> [Double] {
        guard pastInputs.rows == pastOutputs.rows, pastInputs.cols == inputCount, pastOutputs.cols == outputCount else {
            throw .shapeMismatch("\(orders): past inputs \(pastInputs.rows)×\(pastInputs.cols) and outputs \(pastOutputs.rows)×\(pastOutputs.cols) do not fit a model with \(inputCount) input(s) and \(outputCount) output(s)")
        }
        try requireFinite(pastInputs, "ARX past inputs")
        try requireFinite(pastOutputs, "ARX past outputs")
        let p = outputCount, m = inputCount, n = orders.lagDepth, w = pastOutputs.rows
        var x = [Double](repeating: 0, count: n * p)
        for r in 1..<(n + 1) {
            for i in r...n {
                let t = w + r - 1 - i
                guard t >= 0 else { continue }
                let ai = paddedOutput(i), bi = paddedInput(i)
                for o in 0..<p {
                    var s = 0.0
                    for o2 in 0..<p { s += ai[o, o2] * pastOutputs[t, o2] }
                    for ch in 0..<m { s += bi[o, ch] * pastInputs[t, ch] }
                    x[(r - 1) * p + o] += s
                }
            }
        }
        return x
    }

    /// The poles of the model: eigenvalues of the realisation's A (n·p of them, see the header).
    public func poles() throws(BaselineError) -> [Complex<Double>] {
        let a = try realizationDynamics()
        return try la { () throws(LinearAlgebraError) in try a.eigenvalues() }
    }

    /// The A matrix of the realisation (defined also for models with an intercept).
    func realizationDynamics() throws(BaselineError) -> Matrix {
        let p = outputCount, n = orders.lagDepth
        var a = Matrix(rows: n * p, cols: n * p)
        for r in 0..<n {
            a.setBlock(paddedOutput(r + 1), at: r * p, 0)
            if r + 1 < n { a.setBlock(Matrix.identity(p), at: r * p, (r + 1) * p) }
        }
        return a
    }

    /// Ã_i: A_i for 1 ≤ i ≤ na, else zero (p × p).
    func paddedOutput(_ i: Int) -> Matrix {
        i >= 1 && i <= orders.na ? outputCoefficient(lag: i) : Matrix(rows: outputCount, cols: outputCount)
    }

    /// B̃_i: B_{i−nk} for nk ≤ i < nk + nb, else zero (p × m).
    func paddedInput(_ i: Int) -> Matrix {
        let j = i - orders.nk
        return j >= 0 && j < orders.nb ? inputCoefficient(tap: j) : Matrix(rows: outputCount, cols: inputCount)
    }
}
