// MatrixFunctions.swift — matrix exponential, square root and logarithm.
//
// expm: Higham, "The scaling and squaring method for the matrix exponential revisited"
//       (SIAM J. Matrix Anal. Appl. 26(4), 2005): Padé degree 3/5/7/9/13 chosen from ‖A‖₁
//       against the θ_m bounds, scaling by 2^-s, then s squarings.
// sqrtm: the product form of the Denman–Beavers iteration (Higham, "Functions of Matrices",
//       2008, eq. 6.17), with determinant scaling.
// logm: inverse scaling and squaring (Kenney & Laub 1989; Higham 2008 §11.5): take square
//       roots until ‖X − I‖₁ ≤ 0.25, then the m = 8 Gauss–Legendre partial-fraction Padé
//       approximant of log(I + Y), and multiply by 2^k.

import Numerics

extension Matrix {
    /// The matrix exponential `e^A`.
    /// - Complexity: O(n³ (m + s)), with m ≤ 6 products for the Padé step and s squarings.
    public func exp() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("expm")
        try requireFinite("expm")
        let n = rows
        if n == 0 { return self }
        let id = Matrix.identity(n)
        let norm = norm1
        let thetas: [(Int, Double)] = [(3, 1.495585217958292e-2), (5, 2.539398330063230e-1),
                                       (7, 9.504178996162932e-1), (9, 2.097847961257068)]
        let a2 = self * self
        for (m, theta) in thetas where norm <= theta {
            let b = Self.padeCoefficients[m]!
            var powers = [id, a2]                          // A^0, A^2, A^4, …
            while powers.count <= m / 2 { powers.append(powers.last! * a2) }
            var uEven = Matrix(rows: n, cols: n), v = Matrix(rows: n, cols: n)
            for k in 0...(m / 2) {
                uEven += b[2 * k + 1] * powers[k]
                v += b[2 * k] * powers[k]
            }
            return try Self.padeSolve(u: self * uEven, v: v)
        }
        let theta13 = 5.371920351148152
        let s = Swift.max(0, Int((Double.log2(norm / theta13)).rounded(.up)))
        let scale = Double.pow(2, Double(-s))
        let a = scale * self
        let b = Self.padeCoefficients[13]!
        let a2s = a * a, a4 = a2s * a2s, a6 = a4 * a2s
        let u = a * (a6 * (b[13] * a6 + b[11] * a4 + b[9] * a2s) + b[7] * a6 + b[5] * a4 + b[3] * a2s + b[1] * id)
        let v = a6 * (b[12] * a6 + b[10] * a4 + b[8] * a2s) + b[6] * a6 + b[4] * a4 + b[2] * a2s + b[0] * id
        var r = try Self.padeSolve(u: u, v: v)
        for _ in 0..<s { r = r * r }
        return r
    }

    private static func padeSolve(u: Matrix, v: Matrix) throws(LinearAlgebraError) -> Matrix {
        try (v - u).solve(v + u)
    }

    private static let padeCoefficients: [Int: [Double]] = [
        3: [120, 60, 12, 1],
        5: [30240, 15120, 3360, 420, 30, 1],
        7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
        13: [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
             10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1],
    ]

    /// The principal square root (eigenvalues with positive real part).
    /// - Throws: `.notConverged` when A has eigenvalues on the closed negative real axis
    ///   (no principal real root exists) or the iteration stalls; `.singular` when A is singular.
    public func squareRoot() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("sqrtm")
        try requireFinite("sqrtm")
        let n = rows
        if n == 0 { return self }
        let id = Matrix.identity(n)
        // Product-form Denman–Beavers: M_{k+1} = (I + (μ²M + μ⁻²M⁻¹)/2)/2, X_{k+1} = μ X (I + μ⁻² M⁻¹)/2.
        var x = self, m = self
        for _ in 0..<100 {
            let det = try m.determinant()
            guard det != 0, det.isFinite else { throw .singular(operation: "sqrtm", pivot: 0) }
            let mu = Double.pow(Swift.abs(det), -1.0 / Double(2 * n))
            let minv = try m.inverse()
            let xNew = (0.5 * mu) * (x * (id + (1 / (mu * mu)) * minv))
            let mNew = 0.5 * id + 0.25 * ((mu * mu) * m + (1 / (mu * mu)) * minv)
            let delta = (xNew - x).norm1 / Swift.max(1, xNew.norm1)
            x = xNew; m = mNew
            if delta < 1e-14 && (m - id).norm1 < 1e-12 { return x }
            if !x.isFinite { break }
        }
        throw .notConverged(operation: "sqrtm", info: 0)
    }

    /// The principal matrix logarithm (real, when A has no eigenvalues on the closed negative
    /// real axis).
    /// - Throws: `.notConverged` when no real principal logarithm exists.
    public func log() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("logm")
        try requireFinite("logm")
        let n = rows
        if n == 0 { return self }
        for ev in try eigenvalues() where ev.imaginary == 0 && ev.real <= 0 {
            throw .notConverged(operation: "logm (eigenvalue \(ev.real) on the closed negative real axis)", info: 0)
        }
        let id = Matrix.identity(n)
        var x = self
        var k = 0
        while (x - id).norm1 > 0.25 {
            x = try x.squareRoot()
            k += 1
            if k > 60 { throw .notConverged(operation: "logm", info: 0) }
        }
        let y = x - id
        var l = Matrix(rows: n, cols: n)
        for (node, weight) in Self.gaussLegendre8 {
            // log(I + Y) = ∫₀¹ Y (I + t Y)⁻¹ dt.
            l += weight * (try (id + node * y).solveRight(y))
        }
        return Double.pow(2, Double(k)) * l
    }

    /// Gauss–Legendre nodes and weights on [0, 1], m = 8 (Abramowitz & Stegun table 25.4).
    private static let gaussLegendre8: [(Double, Double)] = {
        let xs = [0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363]
        let ws = [0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763]
        var out: [(Double, Double)] = []
        for (x, w) in zip(xs, ws) {
            out.append(((1 - x) / 2, w / 2))
            out.append(((1 + x) / 2, w / 2))
        }
        return out
    }()
}
