// ModalRecurrence.swift — the state recursion in A's eigenbasis.
//
// With A = V Λ V⁻¹ and z = V⁻¹ x:   z[k+1] = Λ z[k] + B̃ u[k],   y[k] = Re(C̃ z[k]) + D u[k],
// B̃ = V⁻¹ B, C̃ = C V. A real A has eigenvalues in conjugate pairs whose modes are conjugate,
// so only modes with Im λ ≥ 0 are run and a complex mode's output weight is doubled
// (Re(c z) + Re(c̄ z̄) = 2 Re(c z)). Per step: one complex multiply-add per mode, O(n (m + p)).
//
// Needs a diagonalisable A with a well-conditioned V: the rounding error grows like cond(V)·ε.
// `modalForm` throws `.unsupported` when cond₁(V) exceeds `maxCondition`.

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
    /// 1-norm condition number estimate of the eigenvector matrix V (LAPACK zgecon).
    public let condition: Double
    public let inputCount: Int, outputCount: Int
    public var modeCount: Int { eigenvalues.count }
    /// Eigenvectors of the retained modes (n × Q) and the LU of the full V, for state transforms.
    let keptVectors: ComplexMatrix
    let factor: ComplexLUFactorization
    /// Positions of the retained modes among all n eigenvalues.
    let kept: [Int]

    /// Modal coordinates z = V⁻¹ x of the retained modes.
    public func coordinates(of x: [Double]) throws(StateSpaceError) -> [Complex<Double>] {
        let z = try la { try factor.solve(ComplexMatrix(Matrix.column(x))) }
        return kept.map { z[$0, 0] }
    }

    /// The real state x = V z with the conjugate modes implied: x = Σ_q w_q Re(v_q z_q).
    public func state(from z: [Complex<Double>]) -> [Double] {
        let n = keptVectors.rows
        var x = [Double](repeating: 0, count: n)
        for (k, zk) in z.enumerated() {
            let w = eigenvalues[k].imaginary > 0 ? 2.0 : 1.0
            for r in 0..<n {
                let v = keptVectors[r, k]
                x[r] += w * (v.real * zk.real - v.imaginary * zk.imaginary)
            }
        }
        return x
    }
}

extension DiscreteLTI {
    /// The largest eigenvector condition number the modal paths accept (rounding ~ cond · ε).
    public static let maxModalCondition = 1e8

    /// Diagonalises A (eigen-decomposition), folds conjugate pairs, and checks conditioning.
    /// - Throws: `.unsupported` when cond₁(V) > `maxCondition` (defective or nearly defective A).
    public func modalForm(maxCondition: Double = DiscreteLTI.maxModalCondition) throws(StateSpaceError) -> ModalForm {
        try ModalForm(a: a, b: b, c: c, maxCondition: maxCondition)
    }
}

extension ModalForm {
    init(a: Matrix, b: Matrix, c: Matrix, maxCondition: Double) throws(StateSpaceError) {
        let n = a.rows, m = b.cols, p = c.rows
        let e = try la { try a.eigen() }
        let v = e.vectors
        // cond₁(V) estimated from its LU factors (zgecon, O(n²) after the factorisation that
        // V⁻¹B needs anyway); a singular V (defective A) has no modal form at all.
        let lu: ComplexLUFactorization
        do throws(LinearAlgebraError) { lu = try v.lu() } catch {
            throw .unsupported("A is defective (its eigenvector matrix is singular); use the recurrent mode")
        }
        let rcond = try la { try lu.reciprocalCondition() }
        let cond = rcond > 0 ? 1 / rcond : .infinity
        guard cond <= maxCondition else {
            throw .unsupported("A is defective or nearly so (eigenvector condition number ≈ \(cond) > \(maxCondition)); use the recurrent mode")
        }
        let bt = try la { try lu.solve(ComplexMatrix(b)) }       // V⁻¹ B  (n × m)
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
        var kv = ComplexMatrix(rows: n, cols: qn)
        for (k, q) in keep.enumerated() { for r in 0..<n { kv[r, k] = v[r, q] } }
        keptVectors = kv
        factor = lu
        kept = keep
        condition = cond
        inputCount = m
        outputCount = p
    }
}

struct ModalRecurrence {
    let system: DiscreteLTI
    init(_ sys: DiscreteLTI) { system = sys }

    /// Runs z[k+1] = λ z[k] + b̃ u[k] per mode, four modes per SIMD vector (split real and
    /// imaginary parts), with the outputs y[k] = Σ_q Re(c̃_q z_q[k]) + D u[k] fused in the same pass.
    /// - Complexity: O(L Q (m + p)) with Q ≈ n/2 modes, plus the O(n³) diagonalisation.
    func run(_ u: Matrix, x0: [Double]) throws(StateSpaceError) -> SimulationResult {
        let f = try system.modalForm()
        let q = f.modeCount, m = f.inputCount, p = f.outputCount, steps = u.rows
        let blocks = (q + 3) / 4
        let z0 = try f.coordinates(of: x0)
        // Mode-major SIMD4 tables, padded with zero modes.
        func pack(_ value: (Int) -> Double) -> [SIMD4<Double>] {
            (0..<blocks).map { b in SIMD4((0..<4).map { r in 4 * b + r < q ? value(4 * b + r) : 0 }) }
        }
        // Raw buffers: the scan touches only these (no array bounds checks or CoW in the loop).
        func buffer(_ v: [SIMD4<Double>]) -> UnsafeMutableBufferPointer<SIMD4<Double>> {
            let buf = UnsafeMutableBufferPointer<SIMD4<Double>>.allocate(capacity: Swift.max(v.count, 1))
            _ = buf.initialize(from: v)
            return buf
        }
        let zr = buffer(pack { z0[$0].real }), zi = buffer(pack { z0[$0].imaginary })
        let lr = buffer(pack { f.eigenvalues[$0].real }), li = buffer(pack { f.eigenvalues[$0].imaginary })
        let br = buffer((0..<m).flatMap { i in pack { f.bTilde[$0 * m + i].real } })        // (m, blocks)
        let bi = buffer((0..<m).flatMap { i in pack { f.bTilde[$0 * m + i].imaginary } })
        let cr = buffer((0..<p).flatMap { o in pack { f.cTilde[o * q + $0].real } })        // (p, blocks)
        let ci = buffer((0..<p).flatMap { o in pack { f.cTilde[o * q + $0].imaginary } })
        let acc = buffer([SIMD4<Double>](repeating: .zero, count: Swift.max(p, 1)))
        defer { for b in [zr, zi, lr, li, br, bi, cr, ci, acc] { b.deallocate() } }
        let d = system.d.elements
        var y = Matrix(rows: steps, cols: p)
        u.elements.withUnsafeBufferPointer { pu in
            y.elements.withUnsafeMutableBufferPointer { py in
                for t in 0..<steps {
                    let ut = pu.baseAddress! + t * m
                    for o in 0..<p { acc[o] = .zero }
                    for b in 0..<blocks {
                        let a = zr[b], c = zi[b]
                        for o in 0..<p { acc[o] += cr[o * blocks + b] * a - ci[o * blocks + b] * c }
                        var dr = lr[b] * a - li[b] * c, di = lr[b] * c + li[b] * a
                        for i in 0..<m {
                            let ui = SIMD4(repeating: ut[i])
                            dr += br[i * blocks + b] * ui
                            di += bi[i * blocks + b] * ui
                        }
                        zr[b] = dr
                        zi[b] = di
                    }
                    for o in 0..<p {
                        var s = acc[o].sum()
                        for i in 0..<m { s += d[o * m + i] * ut[i] }
                        py[t * p + o] = s
                    }
                }
            }
        }
        let xf = f.state(from: (0..<q).map { Complex(zr[$0 / 4][$0 % 4], zi[$0 / 4][$0 % 4]) })
        return SimulationResult(outputs: y, finalState: xf)
    }
}
