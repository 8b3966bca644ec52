// RidgeModel.swift — a fitted linear map  ŷ = Wᵀ x + c  (one row per sample: Ŷ = X W + 1 cᵀ).

import LinearAlgebra

/// The result of `RidgeRegression.fit`.
public struct RidgeModel: Sendable, Equatable {
    /// `(d, q)`: column j maps the d features to target j.
    public let weights: Matrix
    /// `(q)`: zero when the regression had no intercept.
    public let intercept: [Double]
    /// The penalty the model was fitted with.
    public let alpha: Double
    /// The solver that produced the weights (`.cholesky` or `.svd`, never `.automatic`).
    public let solver: RidgeRegression.Solver
    /// Condition number of the regularised normal matrix X̃ᵀX̃ + αI: exact from the singular
    /// values on the SVD path (∞ when rank-deficient and α = 0), the lower bound
    /// (max L_ii / min L_ii)² on the Cholesky path.
    public let conditionEstimate: Double?
    /// Numerical rank of the centred design (SVD path only).
    public let rank: Int?

    /// Builds a model from known coefficients (for example stored ones).
    /// - Throws: `.shapeMismatch` when there is not one intercept per target, `.nonFinite`.
    public init(weights: Matrix, intercept: [Double], alpha: Double = 0, solver: RidgeRegression.Solver = .svd,
                conditionEstimate: Double? = nil, rank: Int? = nil) throws(BaselineError) {
        guard intercept.count == weights.cols else {
            throw .shapeMismatch("ridge model: \(intercept.count) intercept(s) for \(weights.cols) target(s)")
        }
        try requireFinite(weights, "ridge weights")
        try requireFinite(Matrix.row(intercept), "ridge intercept")
        self.init(validatedWeights: weights, intercept: intercept, alpha: alpha, solver: solver, conditionEstimate: conditionEstimate, rank: rank)
    }

    init(validatedWeights weights: Matrix, intercept: [Double], alpha: Double, solver: RidgeRegression.Solver,
         conditionEstimate: Double?, rank: Int?) {
        self.weights = weights
        self.intercept = intercept
        self.alpha = alpha
        self.solver = solver
        self.conditionEstimate = conditionEstimate
        self.rank = rank
    }

    /// Number of features d.
    public var featureCount: Int { weights.rows }
    /// Number of targets q.
    public var targetCount: Int { weights.cols }

    /// `X W + 1 cᵀ` for `x` of shape `(r, d)`.
    /// - Throws: `.shapeMismatch` when `x` does not have d columns, `.nonFinite`.
    /// - Complexity: O(r d q) (one GEMM).
    public func predict(_ x: Matrix) throws(BaselineError) -> Matrix {
        var out = Matrix(rows: 0, cols: 0)
        try predict(x, into: &out)
        return out
    }

    /// `predict` into a reused output matrix (resized only when its shape differs).
    public func predict(_ x: Matrix, into out: inout Matrix) throws(BaselineError) {
        guard x.cols == featureCount else { throw .shapeMismatch("ridge predict: features have \(x.cols) columns, the model has \(featureCount)") }
        try requireFinite(x, "ridge predict features")
        predictUnchecked(x, into: &out)
    }

    /// `X W + 1 cᵀ` without validation (X built by the library).
    func predictUnchecked(_ x: Matrix, into out: inout Matrix) {
        let r = x.rows, d = featureCount, q = targetCount
        if out.rows != r || out.cols != q { out = Matrix(rows: r, cols: q) }
        guard r > 0, q > 0 else { return }
        out.elements.withUnsafeMutableBufferPointer { po in
            for i in 0..<r { for j in 0..<q { po[i * q + j] = intercept[j] } }
            guard d > 0 else { return }
            x.elements.withUnsafeBufferPointer { px in
                weights.elements.withUnsafeBufferPointer { pw in
                    Double.gemm(.none, .none, m: r, n: q, k: d, alpha: 1, a: px.baseAddress!, lda: d,
                                b: pw.baseAddress!, ldb: q, beta: 1, c: po.baseAddress!, ldc: q)
                }
            }
        }
    }
}
