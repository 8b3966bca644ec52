// PeerData.swift — the deterministic data of ../shared/peers/README.md, reproduced exactly.
//
//   U(seed, n, lo, hi): SplitMix64 uniforms (LinearAlgebra.SplitMix64 is bit-identical)
//   make_system(N, m, p): s = 1_000_000 N + 1000 m + p; r_i = 0.9 + 0.099·U(s+1, N/2, 0, 1);
//     θ_i = π U(s+2, N/2, 0, 1); A = Q blockdiag(r_i R(θ_i)) Qᵀ, Q = H(U(s+3, N)) H(U(s+4, N));
//     B = U(s+5, N m) (N × m); C = U(s+6, p N) (p × N) / √N; D = 0.

import LinearAlgebra
import Numerics
import StateSpace

public enum PeerData {
    /// The peers' `U(seed, n, lo, hi)`.
    public static func uniform(_ seed: UInt64, _ n: Int, _ lo: Double = -1, _ hi: Double = 1) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return rng.uniforms(n, lo, hi)
    }

    static func householder(_ v: [Double]) -> Matrix {
        let n = v.count
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var h = Matrix.identity(n)
        for i in 0..<n { for j in 0..<n { h[i, j] -= (2 / vv) * v[i] * v[j] } }
        return h
    }

    /// The peers' `make_system(N, m, p)` (N even), with dt = 1.
    public static func system(n: Int, m: Int, p: Int) throws -> DiscreteLTI {
        precondition(n % 2 == 0 && n > 0, "make_system needs an even N") // invariant: benchmark shapes are fixed
        let s = UInt64(1_000_000 * n + 1000 * m + p)
        let h = n / 2
        let r = uniform(s + 1, h, 0, 1).map { $0 * (0.999 - 0.9) + 0.9 }
        let th = uniform(s + 2, h, 0, 1).map { $0 * Double.pi }
        var dblk = Matrix(rows: n, cols: n)
        for i in 0..<h {
            let c = Double.cos(th[i]), sn = Double.sin(th[i])
            dblk[2 * i, 2 * i] = r[i] * c; dblk[2 * i, 2 * i + 1] = -r[i] * sn
            dblk[2 * i + 1, 2 * i] = r[i] * sn; dblk[2 * i + 1, 2 * i + 1] = r[i] * c
        }
        let q = householder(uniform(s + 3, n)) * householder(uniform(s + 4, n))
        let a = q * dblk * q.transposed
        let b = Matrix(rows: n, cols: m, elements: uniform(s + 5, n * m))
        let c = (1 / Double(n).squareRoot()) * Matrix(rows: p, cols: n, elements: uniform(s + 6, p * n))
        return try DiscreteLTI(a: a, b: b, c: c, d: Matrix(rows: p, cols: m), dt: 1)
    }

    /// The scan input `u = U(7, L·m)` reshaped (L, m).
    public static func scanInput(steps: Int, inputs m: Int) -> Matrix {
        Matrix(rows: steps, cols: m, elements: uniform(7, steps * m))
    }
}
