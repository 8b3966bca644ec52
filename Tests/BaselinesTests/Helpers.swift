import Baselines
import LinearAlgebra
import Numerics
import StateSpace

/// The textbook ARX recursion y[k] = Σ A_i y[k−i] + Σ B_j u[k−nk−j] + e[k] (zero before k = 0),
/// written independently of the library's kernel. `e` is uniform noise of amplitude `noise`;
/// `burnIn` steps are run first and dropped, so the record starts away from rest.
func arxData(a: [Matrix], b: [Matrix], nk: Int, steps: Int, noise: Double = 0, burnIn: Int = 0,
             rng: inout SplitMix64) -> (u: Matrix, y: Matrix) {
    let p = a.first?.rows ?? b[0].rows, m = b.first?.cols ?? 0
    let total = steps + burnIn
    let u = Matrix.uniform(total, m, using: &rng)
    var y = Matrix(rows: total, cols: p)
    for k in 0..<total {
        for o in 0..<p {
            var s = noise * rng.uniform()
            for (i, ai) in a.enumerated() where k - 1 - i >= 0 {
                for o2 in 0..<p { s += ai[o, o2] * y[k - 1 - i, o2] }
            }
            for (j, bj) in b.enumerated() where k - nk - j >= 0 {
                for c in 0..<m { s += bj[o, c] * u[k - nk - j, c] }
            }
            y[k, o] = s
        }
    }
    return (u.submatrix(rows: burnIn..<total, cols: 0..<m), y.submatrix(rows: burnIn..<total, cols: 0..<p))
}

/// The reference SISO system of the ARX tests: y[k] = 1.5 y[k−1] − 0.7 y[k−2] + u[k−1] + 0.5 u[k−2]
/// (poles 0.75 ± 0.3708j, |z| = 0.837).
let sisoA = [Matrix(rowsLiteral: [[1.5]]), Matrix(rowsLiteral: [[-0.7]])]
let sisoB = [Matrix(rowsLiteral: [[1.0]]), Matrix(rowsLiteral: [[0.5]])]

/// A stable 2-output, 2-input ARX(2, 2, nk) system.
let mimoA = [Matrix(rowsLiteral: [[0.6, 0.2], [-0.1, 0.5]]), Matrix(rowsLiteral: [[-0.2, 0.05], [0.1, -0.15]])]
let mimoB = [Matrix(rowsLiteral: [[1.0, -0.4], [0.3, 0.8]]), Matrix(rowsLiteral: [[0.2, 0.1], [-0.5, 0.25]])]

/// Rows `from..<rows` of a matrix.
func tail(_ m: Matrix, from: Int) -> Matrix { m.submatrix(rows: from..<m.rows, cols: 0..<m.cols) }

/// Rows `0..<count` of a matrix.
func head(_ m: Matrix, _ count: Int) -> Matrix { m.submatrix(rows: 0..<count, cols: 0..<m.cols) }
