// ModalRecurrence.swift — the state recursion in A's eigenbasis.
//
// With A = V Λ V⁻¹ and z = V⁻¹ x:   z[k+1] = Λ z[k] + B̃ u[k],   y[k] = Re(C̃ z[k]) + D u[k],
// B̃ = V⁻¹ B, C̃ = C V. A real A has eigenvalues in conjugate pairs whose modes are conjugate,
// so only modes with Im λ ≥ 0 are run and a complex mode's output weight is doubled
// (Re(c z) + Re(c̄ z̄) = 2 Re(c z)). Per step: one complex multiply-add per mode, O(n (m + p)).
//
// Needs a diagonalisable A with a well-conditioned V: the rounding error grows like cond(V)·ε.
// `modalForm` throws `.unsupported` when cond₂(V) exceeds `maxCondition`.

import LinearAlgebra
import Numerics

/// The diagonal (modal) form of a discrete system, with conjugate pairs folded.
public struct ModalForm: Sendable {
    /// One eigenvalue per retained mode (Im ≥ 0).
    public let eigenvalues: [Complex<Double>]
    /// B̃ rows per mode: `bTilde[q * m + i]`.
    public let bTilde: [Complex<Double>]
    /// C̃ columns per mode, already doubled for complex pairs: `cTilde[o * Q + q]`.
    public let cTilde: [Complex<Double>]
    /// 2-norm condition number of the eigenvector matrix V.
    public let condition: Double
    public let inputCount: Int, outputCount: Int
    public var modeCount: Int { eigenvalues.count }
}

extension DiscreteLTI {
    /// The largest eigenvector condition number the modal paths accept (rounding ~ cond · ε).
    public static let maxModalCondition = 1e8

    /// Diagonalises A (eigen-decomposition), folds conjugate pairs, and checks conditioning.
    /// - Throws: `.unsupported` when cond₂(V) > `maxCondition` (defective or nearly defective A).
    public func modalForm(maxCondition: Double = DiscreteLTI.maxModalCondition) throws(StateSpaceError) -> ModalForm {
        try ModalForm(a: a, b: b, c: c, maxCondition: maxCondition)
    }
}

extension ModalForm {
    init(a: Matrix, b: Matrix, c: Matrix, maxCondition: Double) throws(StateSpaceError) {
        let n = a.rows, m = b.cols, p = c.rows
        let e = try la { try a.eigen() }
        let v = e.vectors
        // cond₂(V) from the real embedding [[Re, −Im], [Im, Re]] (same singular values, doubled).
        var emb = Matrix(rows: 2 * n, cols: 2 * n)
        for i in 0..<n { for j in 0..<n {
            let z = v[i, j]
            emb[i, j] = z.real; emb[i, j + n] = -z.imaginary
            emb[i + n, j] = z.imaginary; emb[i + n, j + n] = z.real
        } }
        let s = try la { try emb.singularValues() }
        let cond = (s.last ?? 0) > 0 ? s[0] / s.last! : .infinity
        guard cond <= maxCondition else {
            throw .unsupported("A is defective or nearly so (eigenvector condition number \(cond) > \(maxCondition)); use the recurrent mode")
        }
        let bt = try la { try v.solve(ComplexMatrix(b)) }       // V⁻¹ B  (n × m)
        let ct = ComplexMatrix(c) * v                            // C V    (p × n)
        var keep: [Int] = [], weight: [Double] = []
        for (q, lam) in e.values.enumerated() where lam.imaginary >= 0 {
            keep.append(q)
            weight.append(lam.imaginary > 0 ? 2 : 1)
        }
        let qn = keep.count
        eigenvalues = keep.map { e.values[$0] }
        var bTilde = [Complex<Double>](repeating: .zero, count: qn * m)
        var cTilde = [Complex<Double>](repeating: .zero, count: p * qn)
        for (k, q) in keep.enumerated() {
            for i in 0..<m { bTilde[k * m + i] = bt[q, i] }
            for o in 0..<p { cTilde[o * qn + k] = ct[o, q] * Complex(weight[k], 0) }
        }
        self.bTilde = bTilde
        self.cTilde = cTilde
        condition = cond
        inputCount = m
        outputCount = p
    }
}

struct ModalRecurrence {
    let system: DiscreteLTI
    init(_ sys: DiscreteLTI) { system = sys }

    /// Runs z[k+1] = λ z[k] + b̃ u[k] per mode on split real/imaginary arrays.
    /// - Complexity: O(L Q (m + p)) with Q ≈ n/2 modes, plus the O(n³) diagonalisation.
    func run(_ u: Matrix, x0: [Double]) throws(StateSpaceError) -> SimulationResult {
        let f = try system.modalForm()
        let q = f.modeCount, m = f.inputCount, p = f.outputCount, steps = u.rows
        // z0 = V⁻¹ x0 for the retained modes: solve with the full eigenvector matrix.
        let e = try la { try system.a.eigen() }
        let z0all = try la { try e.vectors.solve(ComplexMatrix(Matrix.column(x0))) }
        var zr = [Double](repeating: 0, count: q), zi = [Double](repeating: 0, count: q)
        var k = 0
        for (idx, lam) in e.values.enumerated() where lam.imaginary >= 0 {
            zr[k] = z0all[idx, 0].real; zi[k] = z0all[idx, 0].imaginary; k += 1
        }
        let lr = f.eigenvalues.map(\.real), li = f.eigenvalues.map(\.imaginary)
        // Input drive per mode: (br, bi)[q][i]; output weights (cr, ci)[o][q].
        let br = f.bTilde.map(\.real), bi = f.bTilde.map(\.imaginary)
        let cr = f.cTilde.map(\.real), ci = f.cTilde.map(\.imaginary)
        var y = Matrix(rows: steps, cols: p)
        var drive = [Double](repeating: 0, count: 2 * q)
        u.elements.withUnsafeBufferPointer { pu in
            y.elements.withUnsafeMutableBufferPointer { py in
                for t in 0..<steps {
                    // y[t] = Re(C̃ z) + D u[t]
                    for o in 0..<p {
                        var s = 0.0
                        for j in 0..<q { s += cr[o * q + j] * zr[j] - ci[o * q + j] * zi[j] }
                        for i in 0..<m { s += system.d[o, i] * pu[t * m + i] }
                        py[t * p + o] = s
                    }
                    // drive = B̃ u[t]
                    for j in 0..<q {
                        var sr = 0.0, si = 0.0
                        for i in 0..<m { let ui = pu[t * m + i]; sr += br[j * m + i] * ui; si += bi[j * m + i] * ui }
                        drive[j] = sr; drive[q + j] = si
                    }
                    for j in 0..<q {
                        let a = zr[j], b = zi[j]
                        zr[j] = lr[j] * a - li[j] * b + drive[j]
                        zi[j] = lr[j] * b + li[j] * a + drive[q + j]
                    }
                }
            }
        }
        // x[L] = V z (conjugate modes implied): x = Σ_q weight_q Re(v_q z_q).
        var xf = [Double](repeating: 0, count: system.stateCount)
        k = 0
        for (idx, lam) in e.values.enumerated() where lam.imaginary >= 0 {
            let w = lam.imaginary > 0 ? 2.0 : 1.0
            for r in 0..<system.stateCount {
                let vq = e.vectors[r, idx]
                xf[r] += w * (vq.real * zr[k] - vq.imaginary * zi[k])
            }
            k += 1
        }
        return SimulationResult(outputs: y, finalState: xf)
    }
}
