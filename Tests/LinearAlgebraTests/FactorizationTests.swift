import LinearAlgebra
import Numerics
import TestSupport
import Testing
import Foundation

/// Random well-conditioned test matrix: uniform entries plus a diagonal shift.
func randomMatrix(_ n: Int, _ m: Int, seed: UInt64, shift: Double = 0) -> Matrix {
    var rng = SplitMix64(seed: seed)
    var a = Matrix.uniform(n, m, using: &rng)
    for i in 0..<min(n, m) { a[i, i] += shift }
    return a
}

@Suite struct SplitMix64Tests {
    @Test func matchesPeersStream() {
        // U(7, 3) from ../shared/peers/bench_peers.py splitmix_uniform (bit-exact, hex literals).
        var rng = SplitMix64(seed: 7)
        let u = rng.uniforms(3)
        #expect(u == [-0x1.c341e1ba6cdf8p-3, -0x1.eecf0ca02f0e8p-1, 0x1.9a610202eac4ap-1])
    }

    @Test func sameSeedSameNumbers() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect(a.normals(100) == b.normals(100))
    }
}

@Suite struct SolveTests {
    @Test(arguments: [1, 3, 17, 64])
    func solveResidual(n: Int) throws {
        let a = randomMatrix(n, n, seed: UInt64(n), shift: Double(n))
        let b = randomMatrix(n, 3, seed: 100 + UInt64(n))
        let x = try a.solve(b)
        expectClose((a * x).elements, b.elements, rtol: 1e-12, atol: 1e-12)
        let inv = try a.inverse()
        expectClose((a * inv).elements, Matrix.identity(n).elements, atol: 1e-12)
    }

    @Test func singularIsTypedError() throws {
        let a = Matrix(rowsLiteral: [[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.self) { try a.solve(Matrix.identity(2)) }
        #expect(try a.determinant() == 0)
        #expect(try a.reciprocalCondition() == 0)
    }

    @Test func nonFiniteIsTypedError() {
        let a = Matrix(rowsLiteral: [[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFinite(operation: "solve")) { try a.solve(Matrix.identity(2)) }
    }

    @Test func determinantOfKnownMatrix() throws {
        let a = Matrix(rowsLiteral: [[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        expectClose(try a.determinant(), 4)
    }

    @Test func choleskyReconstructs() throws {
        let g = randomMatrix(6, 6, seed: 5)
        let spd = Matrix.product(g, .transpose, g, .none) + Matrix.identity(6)
        let l = try spd.cholesky()
        expectClose(Matrix.product(l, .none, l, .transpose), spd)
        let b = randomMatrix(6, 2, seed: 6)
        expectClose(spd * (try spd.solveSPD(b)), b)
        #expect(throws: LinearAlgebraError.self) { try (-spd).cholesky() }
    }
}

@Suite struct DecompositionTests {
    @Test(arguments: [1, 2, 5, 30])
    func eigenRelation(n: Int) throws {
        let a = randomMatrix(n, n, seed: 7 + UInt64(n))
        let e = try a.eigen()
        let av = ComplexMatrix(a) * e.vectors
        var vl = e.vectors
        for i in 0..<n { for j in 0..<n { vl[i, j] = vl[i, j] * e.values[j] } }
        expectClose(av.elements, vl.elements, atol: 1e-12)
        // Trace equals the sum of eigenvalues.
        expectClose(e.values.reduce(Complex<Double>.zero, +).real, a.trace, atol: 1e-12)
    }

    @Test func eigenvaluesOfRotation() throws {
        let r = Matrix(rowsLiteral: [[0, -2], [2, 0]])
        expectClose(sortedComplex(try r.eigenvalues()), [Complex(0, -2), Complex(0, 2)], atol: 1e-15)
        expectClose(try r.spectralRadius(), 2)
    }

    @Test func symmetricEigen() throws {
        let g = randomMatrix(8, 8, seed: 11)
        let s = g + g.transposed
        let d = try s.symmetricEigen()
        let recon = d.vectors * Matrix.diagonal(d.values) * d.vectors.transposed
        expectClose(recon, s, atol: 1e-12)
        #expect(d.values == d.values.sorted())
    }

    @Test(arguments: [(7, 4), (4, 7), (5, 5)])
    func svdReconstructs(shape: (Int, Int)) throws {
        let a = randomMatrix(shape.0, shape.1, seed: 13)
        let d = try a.svd()
        var us = d.u
        for i in 0..<us.rows { for j in 0..<us.cols { us[i, j] *= d.singularValues[j] } }
        expectClose(us * d.vt, a, atol: 1e-13)
        expectClose(try a.singularValues(), d.singularValues)
        #expect(d.singularValues == d.singularValues.sorted(by: >))
    }

    @Test func rankAndPseudoInverse() throws {
        let u = randomMatrix(6, 2, seed: 21), v = randomMatrix(2, 5, seed: 22)
        let a = u * v                       // rank 2
        #expect(try a.rank() == 2)
        let p = try a.pseudoInverse()
        expectClose(a * p * a, a, atol: 1e-12)  // Penrose condition 1
        expectClose(p * a * p, p, atol: 1e-12)  // Penrose condition 2
    }

    @Test func qrReconstructs() throws {
        let a = randomMatrix(9, 4, seed: 23)
        let f = try a.qr()
        expectClose(f.q * f.r, a, atol: 1e-13)
        expectClose(Matrix.product(f.q, .transpose, f.q, .none), Matrix.identity(4), atol: 1e-14)
        for i in 0..<f.r.rows { for j in 0..<i { #expect(f.r[i, j] == 0) } }
    }

    @Test func leastSquaresMatchesNormalEquations() throws {
        let a = randomMatrix(50, 4, seed: 31), b = randomMatrix(50, 2, seed: 32)
        let x = try a.leastSquares(b).solution
        let ne = try Matrix.product(a, .transpose, a, .none).solve(Matrix.product(a, .transpose, b, .none))
        expectClose(x, ne, rtol: 1e-10, atol: 1e-12)
        // Underdetermined: minimum-norm solution lies in the row space (= pinv solution).
        let w = randomMatrix(3, 6, seed: 33), c = randomMatrix(3, 1, seed: 34)
        expectClose(try w.leastSquares(c).solution, try w.pseudoInverse() * c, atol: 1e-12)
    }

    @Test func schurReconstructs() throws {
        let a = randomMatrix(10, 10, seed: 41)
        let s = try a.schur()
        expectClose(s.z * s.t * s.z.transposed, a, atol: 1e-12)
        for i in 2..<10 { for j in 0..<(i - 1) { #expect(abs(s.t[i, j]) == 0) } }
        expectClose(sortedComplex(s.eigenvalues), sortedComplex(try a.eigenvalues()), atol: 1e-12)
    }
}

@Suite struct MatrixEquationTests {
    @Test func sylvesterResidual() throws {
        let a = randomMatrix(5, 5, seed: 51, shift: 3), b = randomMatrix(3, 3, seed: 52, shift: 3)
        let c = randomMatrix(5, 3, seed: 53)
        let x = try solveSylvester(a, b, c)
        expectClose(a * x + x * b, c, atol: 1e-12)
    }

    @Test(arguments: [2, 6, 20])
    func continuousLyapunovResidual(n: Int) throws {
        let a = randomMatrix(n, n, seed: 61, shift: -Double(n))   // Hurwitz by diagonal dominance
        let g = randomMatrix(n, 2, seed: 62)
        let q = Matrix.product(g, .none, g, .transpose)
        let x = try Matrix.lyapunovContinuous(a, q)
        expectClose((a * x + Matrix.product(x, .none, a, .transpose) + q).elements, [Double](repeating: 0, count: n * n), atol: 1e-11)
        #expect(x == x.transposed)
    }

    @Test(arguments: [2, 6, 20])
    func discreteLyapunovResidual(n: Int) throws {
        var a = randomMatrix(n, n, seed: 71)
        a = (0.9 / (try a.spectralRadius())) * a
        let g = randomMatrix(n, 2, seed: 72)
        let q = Matrix.product(g, .none, g, .transpose)
        let x = try Matrix.lyapunovDiscrete(a, q)
        let res = a * x * a.transposed - x + q
        #expect(res.maxAbs <= 1e-10 * max(1, x.maxAbs))
    }

    @Test func discreteLyapunovNearMinusOneUsesKronecker() throws {
        let a = Matrix(rowsLiteral: [[-1 + 1e-12, 0], [0, 0.5]])
        let q = Matrix.identity(2)
        let x = try Matrix.lyapunovDiscrete(a, q)
        expectClose((a * x * a.transposed - x + q).elements, [0, 0, 0, 0], atol: 1e-6) // x₁₁ ≈ 5e11: absolute residual scales with it
    }

    @Test func lyapunovWithoutUniqueSolutionThrows() {
        let a = Matrix(rowsLiteral: [[0, 1], [0, 0]])    // λ = 0 twice: λ_i + λ_j = 0
        #expect(throws: LinearAlgebraError.self) { try Matrix.lyapunovContinuous(a, Matrix.identity(2)) }
    }
}

@Suite struct MatrixFunctionTests {
    @Test func expOfRotationGenerator() throws {
        let t = 0.7
        let a = Matrix(rowsLiteral: [[0, -t], [t, 0]])
        expectClose(try a.exp(), Matrix(rowsLiteral: [[cos(t), -sin(t)], [sin(t), cos(t)]]), atol: 1e-15)
    }

    @Test(arguments: [0.001, 0.1, 1.0, 3.0, 50.0])
    func expOfDiagonalisable(scale: Double) throws {
        // A = V diag(λ) V⁻¹ with real λ: e^A = V diag(e^λ) V⁻¹.
        let v = randomMatrix(4, 4, seed: 81, shift: 3)
        let lambda = [-1.0, -0.5, 0.25, 0.1].map { $0 * scale }
        let a = v * Matrix.diagonal(lambda) * (try v.inverse())
        let expected = v * Matrix.diagonal(lambda.map { Foundation.exp($0) }) * (try v.inverse())
        expectClose(try a.exp(), expected, rtol: 1e-11, atol: 1e-13 * expected.maxAbs) // conditioning of V costs ~2 digits
    }

    @Test func expOfNilpotent() throws {
        let a = Matrix(rowsLiteral: [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
        expectClose(try a.exp(), Matrix(rowsLiteral: [[1, 1, 0.5], [0, 1, 1], [0, 0, 1]]), atol: 1e-15)
    }

    @Test func sqrtSquares() throws {
        let g = randomMatrix(5, 5, seed: 91)
        let a = Matrix.product(g, .none, g, .transpose) + Matrix.identity(5)
        let s = try a.squareRoot()
        expectClose(s * s, a, rtol: 1e-12, atol: 1e-12)
    }

    @Test(arguments: [0.05, 0.5, 2.0])
    func logInvertsExp(scale: Double) throws {
        let a = scale * randomMatrix(6, 6, seed: 101)
        let back = try a.exp().log()
        expectClose(back, a, rtol: 1e-10, atol: 1e-11) // ~20 Denman–Beavers steps each lose a little
    }

    @Test func logOfNegativeEigenvalueThrows() {
        #expect(throws: LinearAlgebraError.self) { try Matrix.diagonal([-1, 2]).log() }
    }
}
