// Analysis.swift — controllability, observability, Gramians, Hankel singular values.
//
//   controllability matrix  [B, AB, …, A^(n−1)B]      observability  [C; CA; …; CA^(n−1)]
//   continuous Gramians     A Wc + Wc Aᵀ + B Bᵀ = 0,   Aᵀ Wo + Wo A + Cᵀ C = 0
//   discrete Gramians       A Wc Aᵀ − Wc + B Bᵀ = 0,   Aᵀ Wo A − Wo + Cᵀ C = 0
//   Hankel singular values  σ_i = √λ_i(Wc Wo), computed as the singular values of Loᵀ Lc
//                           with Wc = Lc Lcᵀ, Wo = Lo Loᵀ (square-root factors).

import LinearAlgebra

/// Which Gramian.
public enum GramianKind: Sendable { case controllability, observability }

extension LTISystem {
    /// [B, AB, …, A^(n−1)B] (n × n·m).
    public func controllabilityMatrix() -> Matrix {
        var blocks: [Matrix] = []
        var x = b
        for k in 0..<stateCount {
            blocks.append(x)
            if k + 1 < stateCount { x = a * x }
        }
        return blocks.isEmpty ? Matrix(rows: 0, cols: 0) : Matrix.hcat(blocks)
    }

    /// [C; CA; …; CA^(n−1)] (n·p × n).
    public func observabilityMatrix() -> Matrix {
        var blocks: [Matrix] = []
        var x = c
        for k in 0..<stateCount {
            blocks.append(x)
            if k + 1 < stateCount { x = x * a }
        }
        return blocks.isEmpty ? Matrix(rows: 0, cols: 0) : Matrix.vcat(blocks)
    }

    /// Numerical rank of the controllability matrix (SVD, numpy's default tolerance).
    public func controllabilityRank() throws(StateSpaceError) -> Int { try la { try controllabilityMatrix().rank() } }
    /// Numerical rank of the observability matrix.
    public func observabilityRank() throws(StateSpaceError) -> Int { try la { try observabilityMatrix().rank() } }
    /// Full controllability rank n.
    public func isControllable() throws(StateSpaceError) -> Bool { try controllabilityRank() == stateCount }
    /// Full observability rank n.
    public func isObservable() throws(StateSpaceError) -> Bool { try observabilityRank() == stateCount }
}

/// A symmetric positive semidefinite matrix's square-root factor L with W = L Lᵀ
/// (from the symmetric eigendecomposition, clipping tiny negative eigenvalues to zero, so it
/// also works for singular Gramians where Cholesky would fail).
func psdFactor(_ w: Matrix) throws(StateSpaceError) -> Matrix {
    let e = try la { try w.symmetrized.symmetricEigen() }
    var l = e.vectors
    for j in 0..<l.cols {
        let s = Swift.max(e.values[j], 0).squareRoot()
        for i in 0..<l.rows { l[i, j] *= s }
    }
    return l
}

extension ContinuousLTI {
    /// The Gramian of a stable system.
    /// - Throws: `.unstable` unless every pole has negative real part.
    public func gramian(_ kind: GramianKind) throws(StateSpaceError) -> Matrix {
        guard try isStable() else { throw .unstable("Gramians need a stable system (max real part of poles \(try maxRealPart()) ≥ 0)") }
        switch kind {
        case .controllability: return try la { try Matrix.lyapunovContinuous(a, Matrix.product(b, .none, b, .transpose)) }
        case .observability: return try la { try Matrix.lyapunovContinuous(a.transposed, Matrix.product(c, .transpose, c, .none)) }
        }
    }

    /// Hankel singular values, descending.
    public func hankelSingularValues() throws(StateSpaceError) -> [Double] {
        try hankelValues(gramian(.controllability), gramian(.observability))
    }
}

extension DiscreteLTI {
    /// The Gramian of a stable system.
    /// - Throws: `.unstable` unless ρ(A) < 1.
    public func gramian(_ kind: GramianKind) throws(StateSpaceError) -> Matrix {
        guard try isStable() else { throw .unstable("Gramians need a stable system (spectral radius \(try spectralRadius()) ≥ 1)") }
        switch kind {
        case .controllability: return try la { try Matrix.lyapunovDiscrete(a, Matrix.product(b, .none, b, .transpose)) }
        case .observability: return try la { try Matrix.lyapunovDiscrete(a.transposed, Matrix.product(c, .transpose, c, .none)) }
        }
    }

    /// Hankel singular values, descending.
    public func hankelSingularValues() throws(StateSpaceError) -> [Double] {
        try hankelValues(gramian(.controllability), gramian(.observability))
    }
}

func hankelValues(_ wc: Matrix, _ wo: Matrix) throws(StateSpaceError) -> [Double] {
    let lc = try psdFactor(wc), lo = try psdFactor(wo)
    return try la { try Matrix.product(lo, .transpose, lc, .none).singularValues() }
}
