import Baselines
import LinearAlgebra
import TestSupport
import Testing

@Suite struct RidgeTests {
    /// A seeded regression problem: X uniform (n, d), Y = X W + 1 cᵀ + noise·U.
    static func problem(n: Int, d: Int, q: Int, noise: Double, offset: Double = 0.7, seed: UInt64) -> (x: Matrix, y: Matrix, w: Matrix) {
        var rng = SplitMix64(seed: seed)
        let x = Matrix.uniform(n, d, using: &rng)
        let w = Matrix.uniform(d, q, using: &rng)
        var y = x * w
        for i in 0..<n { for j in 0..<q { y[i, j] += offset * Double(j + 1) + noise * rng.uniform() } }
        return (x, y, w)
    }

    @Test func tinyLineFitByHand() throws {
        // y = 2x + 1 through (0, 1), (1, 3), (2, 5): exact, any solver.
        let x = Matrix(rowsLiteral: [[0], [1], [2]])
        let y = Matrix(rowsLiteral: [[1], [3], [5]])
        for solver in RidgeRegression.Solver.allCases {
            let m = try RidgeRegression(alpha: 0, fitIntercept: true, solver: solver == .cholesky ? .cholesky : solver).fit(x, y)
            expectClose(m.weights.elements, [2], rtol: 1e-13, atol: 1e-13)
            expectClose(m.intercept, [1], rtol: 1e-13, atol: 1e-13)
        }
    }

    @Test func tinyRidgeByHand() throws {
        // One feature, no intercept: w = Σxy / (Σx² + α). x = (1, 2), y = (1, 3), α = 1:
        // w = (1 + 6) / (1 + 4 + 1) = 7/6.
        let x = Matrix(rowsLiteral: [[1], [2]])
        let y = Matrix(rowsLiteral: [[1], [3]])
        for solver in RidgeRegression.Solver.allCases {
            let m = try RidgeRegression(alpha: 1, fitIntercept: false, solver: solver).fit(x, y)
            expectClose(m.weights.elements, [7.0 / 6.0], rtol: 1e-14, atol: 0)
            expectClose(m.intercept, [0], rtol: 0, atol: 0)
        }
        // With an (unpenalised) intercept: centred x̃ = (−½, ½), ỹ = (−1, 1): w = 1 / (½ + α) with
        // α = ½ gives w = 1, c = ȳ − w x̄ = 2 − 1.5 = 0.5.
        for solver in RidgeRegression.Solver.allCases {
            let m = try RidgeRegression(alpha: 0.5, fitIntercept: true, solver: solver).fit(x, y)
            expectClose(m.weights.elements, [1], rtol: 1e-14, atol: 1e-15)
            expectClose(m.intercept, [0.5], rtol: 1e-14, atol: 1e-15)
        }
    }

    @Test func tinyTwoFeatureRidgeByHand() throws {
        // X = I₂ stacked twice, y = (1, 2, 3, 4), no intercept, α = 2:
        // XᵀX = 2I, Xᵀy = (4, 6), w = (4, 6) / (2 + 2) = (1, 1.5).
        let x = Matrix(rowsLiteral: [[1, 0], [0, 1], [1, 0], [0, 1]])
        let y = Matrix(rowsLiteral: [[1], [2], [3], [4]])
        for solver in RidgeRegression.Solver.allCases {
            let m = try RidgeRegression(alpha: 2, fitIntercept: false, solver: solver).fit(x, y)
            expectClose(m.weights.elements, [1, 1.5], rtol: 1e-14, atol: 1e-15)
        }
    }

    @Test func conditionEstimatesByHand() throws {
        // X = diag(3, 1): XᵀX = diag(9, 1). With α = 1: κ = 10 / 2 = 5 (exact on both paths,
        // since the Cholesky factor of a diagonal matrix is its square root).
        let x = Matrix(rowsLiteral: [[3, 0], [0, 1]])
        let y = Matrix(rowsLiteral: [[1], [1]])
        for (alpha, kappa) in [(0.0, 9.0), (1.0, 5.0)] {
            for solver in [RidgeRegression.Solver.cholesky, .svd] {
                let m = try RidgeRegression(alpha: alpha, fitIntercept: false, solver: solver).fit(x, y)
                expectClose(m.conditionEstimate ?? .nan, kappa, rtol: 1e-14, atol: 0, "\(solver) α \(alpha)")
            }
        }
        // Fewer samples than features: XᵀX is singular, κ = ∞ for least squares.
        let wide = try RidgeRegression(alpha: 0, fitIntercept: false).fit(Matrix(rowsLiteral: [[1, 2, 3]]), Matrix(rowsLiteral: [[1]]))
        #expect(wide.conditionEstimate == .infinity)
        #expect(wide.rank == 1)
    }

    @Test func leastSquaresMatchesLAPACK() throws {
        let (x, y, _) = Self.problem(n: 200, d: 7, q: 3, noise: 0.3, seed: 11)
        // No intercept: the solution is dgelsd's on X itself.
        let reference = try x.leastSquares(y).solution
        for solver in RidgeRegression.Solver.allCases {
            let m = try RidgeRegression(alpha: 0, fitIntercept: false, solver: solver).fit(x, y)
            // The Cholesky path squares κ(X) (≈ 3 here), so a few more ulps of error.
            expectClose(m.weights, reference, rtol: 1e-11, atol: 1e-12, "\(solver)")
        }
        // With an intercept: least squares on [X 1].
        let x1 = Matrix.hcat([x, Matrix(rows: x.rows, cols: 1, repeating: 1)])
        let ref1 = try x1.leastSquares(y).solution
        let m = try RidgeRegression(alpha: 0, fitIntercept: true).fit(x, y)
        expectClose(m.weights, ref1.submatrix(rows: 0..<7, cols: 0..<3), rtol: 1e-11, atol: 1e-12)
        expectClose(m.intercept, ref1.row(7), rtol: 1e-11, atol: 1e-12)
        #expect(m.solver == .svd)
        #expect(m.rank == 7)
    }

    @Test func choleskyAgreesWithSVDForPositiveAlpha() throws {
        let (x, y, _) = Self.problem(n: 300, d: 12, q: 2, noise: 0.5, seed: 12)
        for intercept in [false, true] {
            for alpha in [1e-3, 1.0, 50.0] {
                let c = try RidgeRegression(alpha: alpha, fitIntercept: intercept, solver: .cholesky).fit(x, y)
                let s = try RidgeRegression(alpha: alpha, fitIntercept: intercept, solver: .svd).fit(x, y)
                #expect(c.solver == .cholesky && s.solver == .svd)
                expectClose(c.weights, s.weights, rtol: 1e-11, atol: 1e-12, "alpha \(alpha) intercept \(intercept)")
                expectClose(c.intercept, s.intercept, rtol: 1e-11, atol: 1e-12)
                let auto = try RidgeRegression(alpha: alpha, fitIntercept: intercept).fit(x, y)
                #expect(auto.solver == .cholesky)
            }
        }
    }

    @Test func ridgeTendsToLeastSquares() throws {
        let (x, y, _) = Self.problem(n: 150, d: 5, q: 2, noise: 0.2, seed: 13)
        let ls = try RidgeRegression(alpha: 0).fit(x, y)
        var previous = Double.infinity
        for alpha in [1.0, 1e-2, 1e-4, 1e-6, 1e-8] {
            let r = try RidgeRegression(alpha: alpha, solver: .cholesky).fit(x, y)
            let gap = relativeError(r.weights.elements, ls.weights.elements)
            #expect(gap < previous, "the ridge solution approaches least squares as α → 0")
            previous = gap
        }
        // The bias is O(α ‖(X̃ᵀX̃)⁻¹‖): ~1e-9 relative at α = 1e-8 with XᵀX ≈ n/3 I.
        #expect(previous < 1e-8)
    }

    @Test func interceptIsNotPenalised() throws {
        // A huge α shrinks W to zero but leaves c = ȳ.
        let (x, y, _) = Self.problem(n: 100, d: 3, q: 2, noise: 0.1, offset: 5, seed: 14)
        let m = try RidgeRegression(alpha: 1e12).fit(x, y)
        #expect(m.weights.maxAbs < 1e-8)
        let mean = (0..<2).map { j in (0..<100).reduce(0) { $0 + y[$1, j] } / 100 }
        expectClose(m.intercept, mean, rtol: 1e-8, atol: 1e-8)
    }

    @Test func rankDeficientFallsBackToSVD() throws {
        // A duplicated column: XᵀX is singular. α = 0 gives the minimum-norm solution, which
        // splits the weight equally between the two copies.
        var rng = SplitMix64(seed: 15)
        let base = Matrix.uniform(50, 2, using: &rng)
        let x = Matrix.hcat([base, base.submatrix(rows: 0..<50, cols: 0..<1)])
        let y = base * Matrix(rowsLiteral: [[2], [-1]])
        let m = try RidgeRegression(alpha: 0, fitIntercept: false).fit(x, y)
        expectClose(m.weights.elements, [1, -1, 1], rtol: 1e-10, atol: 1e-10)
        #expect(m.rank == 2)
        #expect(throws: BaselineError.self) { try RidgeRegression(alpha: 0, fitIntercept: false, solver: .cholesky).fit(x, y) }
        // Automatic with a tiny α: the Cholesky condition estimate is huge, so it switches to SVD.
        let tiny = try RidgeRegression(alpha: 1e-14, fitIntercept: false).fit(x, y)
        #expect(tiny.solver == .svd)
    }

    @Test func predictAppliesWeightsAndIntercept() throws {
        let (x, y, w) = Self.problem(n: 80, d: 4, q: 2, noise: 0, seed: 16)
        let m = try RidgeRegression(alpha: 0).fit(x, y)
        expectClose(m.weights, w, rtol: 1e-11, atol: 1e-12)
        expectClose(m.intercept, [0.7, 1.4], rtol: 1e-11, atol: 1e-12)
        expectClose(try m.predict(x), y, rtol: 1e-11, atol: 1e-12)
    }

    @Test func badDataThrowsTypedErrors() throws {
        let x = Matrix(rowsLiteral: [[1, 2], [3, 4], [5, 7]])
        let y = Matrix(rowsLiteral: [[1], [2], [3]])
        #expect(throws: BaselineError.shapeMismatch("ridge: features have 3 rows, targets have 2")) {
            try RidgeRegression().fit(x, Matrix(rowsLiteral: [[1], [2]]))
        }
        var bad = x
        bad[2, 1] = .nan
        #expect(throws: BaselineError.nonFinite(signal: "ridge features", row: 2, column: 1)) { try RidgeRegression().fit(bad, y) }
        #expect(throws: BaselineError.self) { try RidgeRegression(alpha: -1).fit(x, y) }
        #expect(throws: BaselineError.self) { try RidgeRegression(alpha: .infinity).fit(x, y) }
        #expect(throws: BaselineError.self) { try RidgeRegression().fit(Matrix(rows: 0, cols: 2), Matrix(rows: 0, cols: 1)) }
        let m = try RidgeRegression().fit(x, y)
        #expect(throws: BaselineError.self) { try m.predict(Matrix(rowsLiteral: [[1, 2, 3]])) }
    }
}

extension RidgeTests {
    @Test func chunkedNormalEquationsAgreeWithSVD() throws {
        // d = 70 spans three column blocks of the triangular Gram update (32, 32, 6) and
        // n = 1500 several row chunks (468 rows at d = 70): the one-pass normal equations must
        // agree with the SVD of the whole (centred) design.
        for q in [1, 3] {
            let (x, y, _) = Self.problem(n: 1500, d: 70, q: q, noise: 0.5, seed: 17)
            for intercept in [false, true] {
                let c = try RidgeRegression(alpha: 0.5, fitIntercept: intercept, solver: .cholesky).fit(x, y)
                let s = try RidgeRegression(alpha: 0.5, fitIntercept: intercept, solver: .svd).fit(x, y)
                expectClose(c.weights, s.weights, rtol: 1e-10, atol: 1e-11, "q \(q) intercept \(intercept)")
                expectClose(c.intercept, s.intercept, rtol: 1e-10, atol: 1e-11)
            }
        }
    }

    @Test func nonFiniteDataAreFoundByEverySolver() throws {
        let (x, y, _) = Self.problem(n: 600, d: 40, q: 1, noise: 0.1, seed: 18)
        for solver in RidgeRegression.Solver.allCases {
            for intercept in [false, true] {
                var bad = x
                bad[517, 33] = -.infinity
                #expect(throws: BaselineError.nonFinite(signal: "ridge features", row: 517, column: 33)) {
                    try RidgeRegression(alpha: 1, fitIntercept: intercept, solver: solver).fit(bad, y)
                }
                var badY = y
                badY[2, 0] = .nan
                #expect(throws: BaselineError.nonFinite(signal: "ridge targets", row: 2, column: 0)) {
                    try RidgeRegression(alpha: 1, fitIntercept: intercept, solver: solver).fit(x, badY)
                }
            }
        }
        // Finite but too large to square: reported, not returned as garbage.
        let huge = 1e200 * x
        #expect(throws: BaselineError.self) { try RidgeRegression(alpha: 1, fitIntercept: false, solver: .cholesky).fit(huge, y) }
    }
}
