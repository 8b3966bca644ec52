// RidgeRegression.swift — linear least squares with an L2 penalty, multi-output:
//
//     minimise  ‖Y − X W − 1 cᵀ‖²_F + α ‖W‖²_F          X: (n, d), Y: (n, q), W: (d, q), c: (q)
//
// The intercept c is not penalised: X and Y are centred by their column means μ, ν, the
// problem is solved for W on the centred data, and c = ν − Wᵀμ (Hoerl & Kennard, "Ridge
// regression: biased estimation for nonorthogonal problems", Technometrics 1970).
//
// Two solvers:
//  - Cholesky (the fast path): the normal equations (X̃ᵀX̃ + αI) W = X̃ᵀỸ, factor
//    X̃ᵀX̃ + αI = L Lᵀ (LAPACK dpotrf), two triangular solves. O(n d² + d³) flops, one pass over
//    the data (NormalEquations.swift), O(d²) memory beyond it. Squares the condition number of X̃, so it is for α > 0 or well-posed data.
//  - SVD (the reference path): X̃ = U S Vᵀ, W = V diag(s_i / (s_i² + α)) Uᵀ Ỹ. For α = 0 this is
//    the minimum-norm least-squares solution (LAPACK dgelsd, singular values below
//    ε · max(n, d) · s_max treated as zero, numpy.linalg.lstsq's default). O(n d²) flops with a
//    larger constant and O(n d) memory (the centred copy and U).
// `.automatic` picks SVD for α = 0, otherwise Cholesky, falling back to SVD when the factor is
// not positive definite or its condition estimate (max L_ii / min L_ii)², a lower bound on
// κ₂(X̃ᵀX̃ + αI), exceeds `conditionLimit`.

import LinearAlgebra

/// Settings of a ridge regression; `fit` produces a `RidgeModel`.
public struct RidgeRegression: Sendable, Equatable {
    /// How the regularised least-squares problem is solved.
    public enum Solver: String, Sendable, CaseIterable {
        /// SVD for α = 0; otherwise Cholesky with a fallback to SVD on ill-conditioned problems.
        case automatic
        /// Normal equations and Cholesky (throws `.singular` when X̃ᵀX̃ + αI is not numerically
        /// positive definite: dpotrf fails or the condition estimate reaches 1/(d ε)).
        case cholesky
        /// SVD of the centred design (least squares by dgelsd when α = 0).
        case svd
    }

    /// The penalty α ≥ 0 on ‖W‖²_F (α = 0: ordinary least squares).
    public var alpha: Double
    /// Fit an unpenalised intercept (centre X and Y first).
    public var fitIntercept: Bool
    public var solver: Solver
    /// `.automatic` switches to SVD when the Cholesky condition estimate exceeds this
    /// (1e10: the normal equations then keep fewer than ~6 significant digits).
    public var conditionLimit: Double

    public init(alpha: Double = 0, fitIntercept: Bool = true, solver: Solver = .automatic, conditionLimit: Double = 1e10) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
        self.solver = solver
        self.conditionLimit = conditionLimit
    }

    /// Fits `Y ≈ X W + 1 cᵀ`.
    /// - Parameters:
    ///   - x: features, one row per sample `(n, d)`.
    ///   - y: targets `(n, q)`.
    /// - Throws: `.shapeMismatch` (row counts differ), `.nonFinite` (naming "features" or
    ///   "targets" and the row), `.invalidParameter` (α < 0 or not finite), `.tooFewSamples`
    ///   (n = 0), `.singular` (Cholesky solver on a problem that is not numerically positive
    ///   definite, or whose normal equations overflow).
    /// - Complexity: Cholesky O(n d (d + q) + d³); SVD O(n d² + n d q).
    public func fit(_ x: Matrix, _ y: Matrix) throws(BaselineError) -> RidgeModel {
        guard x.rows == y.rows else { throw .shapeMismatch("ridge: features have \(x.rows) rows, targets have \(y.rows)") }
        try requireRidge(alpha)
        guard conditionLimit > 1 else { throw .invalidParameter(name: "conditionLimit", reason: "must be > 1, got \(conditionLimit)") }
        guard x.rows >= 1 else { throw .tooFewSamples(context: "ridge", needed: 1, found: 0) }
        return try fitValidated(x, y)
    }

    /// `fit` after the shape and parameter checks. Finiteness is checked by each path: the SVD
    /// path scans X and Y; the Cholesky path reads the data only once, in the normal equations,
    /// where any NaN or ±∞ shows as a non-finite diagonal entry of X̃ᵀX̃ or entry of X̃ᵀỸ, and
    /// scans for the offending row only then.
    func fitValidated(_ x: Matrix, _ y: Matrix) throws(BaselineError) -> RidgeModel {
        let xMean = fitIntercept ? NormalEquations.columnMeans(x) : nil
        let yMean = fitIntercept ? NormalEquations.columnMeans(y) : nil
        switch solver {
        case .svd:
            return try fitSVD(x, y, xMean: xMean, yMean: yMean)
        case .cholesky:
            return try fitCholesky(x, y, xMean: xMean, yMean: yMean)
        case .automatic:
            if alpha == 0 { return try fitSVD(x, y, xMean: xMean, yMean: yMean) }
            do throws(BaselineError) {
                let model = try fitCholesky(x, y, xMean: xMean, yMean: yMean)
                if let kappa = model.conditionEstimate, kappa <= conditionLimit { return model }
            } catch {
                guard case .singular = error else { throw error }
            }
            return try fitSVD(x, y, xMean: xMean, yMean: yMean)
        }
    }

    /// The Cholesky path (see the file header).
    func fitCholesky(_ x: Matrix, _ y: Matrix, xMean: [Double]?, yMean: [Double]?) throws(BaselineError) -> RidgeModel {
        var (gram, cross) = NormalEquations.crossProducts(x, y, xMean: xMean, yMean: yMean)
        let d = x.cols
        if !(gram.diagonalElements.allSatisfy(\.isFinite) && cross.isFinite) {
            try requireFinite(x, "ridge features")
            try requireFinite(y, "ridge targets")
            throw .singular("ridge (Cholesky): XᵀX or XᵀY overflows (values too large); scale the features and targets")
        }
        for i in 0..<d { gram[i, i] += alpha }
        guard d > 0 else { return model(Matrix(rows: 0, cols: y.cols), xMean, yMean, .cholesky, condition: 1, rank: 0) }
        let l: Matrix
        do throws(LinearAlgebraError) { l = try gram.cholesky() } catch {
            if case let .notPositiveDefinite(order) = error {
                throw .singular("ridge (Cholesky): XᵀX + αI is not positive definite (leading minor \(order) of \(d)); use α > 0 or the SVD solver")
            }
            throw .linearAlgebra(error)
        }
        var lo = Double.infinity, hi = 0.0
        for i in 0..<d { lo = Swift.min(lo, l[i, i]); hi = Swift.max(hi, l[i, i]) }
        let kappa = (hi / lo) * (hi / lo)
        // Rounding can let dpotrf finish on an exactly singular matrix; a factor whose condition
        // estimate reaches 1/(d ε) carries no correct digit.
        guard kappa * Double(d) * Double.ulpOfOne < 1 else {
            throw .singular("ridge (Cholesky): XᵀX + αI is numerically singular (condition ≥ \(kappa)); use α > 0 or the SVD solver")
        }
        let w = NormalEquations.choleskySolve(l, cross)
        return model(w, xMean, yMean, .cholesky, condition: kappa, rank: nil)
    }

    /// The SVD path (see the file header).
    func fitSVD(_ x: Matrix, _ y: Matrix, xMean: [Double]?, yMean: [Double]?) throws(BaselineError) -> RidgeModel {
        try requireFinite(x, "ridge features")
        try requireFinite(y, "ridge targets")
        let xc = xMean.map { centred(x, $0) } ?? x
        let yc = yMean.map { centred(y, $0) } ?? y
        let n = x.rows, d = x.cols
        guard d > 0 else { return model(Matrix(rows: 0, cols: y.cols), xMean, yMean, .svd, condition: 1, rank: 0) }
        let rcond = Double.ulpOfOne * Double(Swift.max(n, d))
        /// κ(X̃ᵀX̃ + αI) = (s_max² + α) / (s_min² + α), with s_min = 0 when n < d (∞ for α = 0).
        func condition(_ s: [Double]) -> Double {
            let smax = s.first ?? 0, smin = s.count == d ? (s.last ?? 0) : 0
            let den = smin * smin + alpha
            return den > 0 ? (smax * smax + alpha) / den : .infinity
        }
        if alpha == 0 {
            let ls = try la { () throws(LinearAlgebraError) in try xc.leastSquares(yc, rcond: rcond) }
            return model(ls.solution, xMean, yMean, .svd, condition: condition(ls.singularValues), rank: ls.rank)
        }
        let f = try la { () throws(LinearAlgebraError) in try xc.svd() }
        var uty = Matrix.product(f.u, .transpose, yc, .none) // (k, q)
        let q = y.cols
        for (i, s) in f.singularValues.enumerated() {
            let g = s / (s * s + alpha)
            for j in 0..<q { uty[i, j] *= g }
        }
        let w = Matrix.product(f.vt, .transpose, uty, .none) // (d, q)
        let smax = f.singularValues.first ?? 0
        let rank = f.singularValues.filter { $0 > rcond * smax }.count
        return model(w, xMean, yMean, .svd, condition: condition(f.singularValues), rank: rank)
    }

    private func centred(_ m: Matrix, _ mean: [Double]) -> Matrix {
        var out = m
        let c = m.cols
        out.elements.withUnsafeMutableBufferPointer { p in
            for i in 0..<m.rows { for j in 0..<c { p[i * c + j] -= mean[j] } }
        }
        return out
    }

    private func model(_ w: Matrix, _ xMean: [Double]?, _ yMean: [Double]?, _ used: Solver, condition: Double, rank: Int?) -> RidgeModel {
        var intercept = [Double](repeating: 0, count: w.cols)
        if let xMean, let yMean {
            // c = ν − Wᵀ μ
            for j in 0..<w.cols {
                var s = yMean[j]
                for i in 0..<w.rows { s -= w[i, j] * xMean[i] }
                intercept[j] = s
            }
        }
        return RidgeModel(validatedWeights: w, intercept: intercept, alpha: alpha, solver: used, conditionEstimate: condition, rank: rank)
    }
}
