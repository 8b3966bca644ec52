// Discretization.swift — continuous → discrete (c2d) and back (d2c), with the semantics of
// scipy.signal.cont2discrete (which follows MATLAB's c2d for zoh/foh/impulse/tustin).
//
//   zoh      [Ad Bd; 0 I] = expm([A B; 0 0]·dt);  Cd = C, Dd = D
//   foh      M = expm([A B 0; 0 0 I; 0 0 0]·[dt dt 1]) (scipy's block layout), with
//            Φ = M11, Γ1 = M12, Γ2 = M13:  Ad = Φ, Bd = Γ1 − Γ2 + Φ Γ2, Cd = C, Dd = D + C Γ2
//   impulse  Ad = expm(A dt), Bd = Ad B dt, Cd = C, Dd = C B dt
//   gbt(α)   Ad = (I − α dt A)⁻¹ (I + (1−α) dt A), Bd = (I − α dt A)⁻¹ dt B,
//            Cd = C (I − α dt A)⁻¹, Dd = D + α C Bd
//            (euler = gbt(0), backward Euler = gbt(1), bilinear/Tustin = gbt(½))
//
// d2c inverts zoh (matrix logarithm of the block matrix) and every gbt(α) member in closed form:
//   A = (α Ad + (1−α) I)⁻¹ (Ad − I) / dt,  B = (I − α dt A) Bd / dt,  C = Cd (I − α dt A),
//   D = Dd − α C Bd  (C the continuous output matrix just recovered).

import LinearAlgebra

/// How to map a continuous system to discrete time.
public enum DiscretizationMethod: Equatable, Sendable, CustomStringConvertible {
    /// Zero-order hold on the input (exact for piecewise-constant inputs).
    case zoh
    /// First-order hold (triangle hold: exact for piecewise-linear inputs).
    case foh
    /// Impulse-invariant (scipy's `impulse`).
    case impulse
    /// Tustin / bilinear transform, gbt(½).
    case bilinear
    /// Forward Euler, gbt(0).
    case euler
    /// Backward Euler (scipy's `backward_diff`), gbt(1).
    case backwardEuler
    /// Generalised bilinear transform with weight α ∈ [0, 1].
    case gbt(alpha: Double)

    /// The gbt weight of the gbt-family methods, `nil` for the hold/impulse methods.
    public var gbtAlpha: Double? {
        switch self {
        case .bilinear: return 0.5
        case .euler: return 0
        case .backwardEuler: return 1
        case let .gbt(alpha): return alpha
        case .zoh, .foh, .impulse: return nil
        }
    }

    /// The CLI spelling (`zoh`, `foh`, `impulse`, `bilinear`, `euler`, `backward-euler`, `gbt`).
    public var name: String {
        switch self {
        case .zoh: return "zoh"
        case .foh: return "foh"
        case .impulse: return "impulse"
        case .bilinear: return "bilinear"
        case .euler: return "euler"
        case .backwardEuler: return "backward-euler"
        case .gbt: return "gbt"
        }
    }

    public var description: String {
        if case let .gbt(alpha) = self { return "gbt(alpha: \(alpha))" }
        return name
    }

    /// The method names accepted by `init(name:alpha:)`.
    public static let names = ["zoh", "foh", "impulse", "bilinear", "euler", "backward-euler", "gbt"]

    /// Parses a CLI/spec method name; `alpha` is required for (and only used by) `gbt`.
    public init(name: String, alpha: Double? = nil) throws(StateSpaceError) {
        switch name {
        case "zoh": self = .zoh
        case "foh": self = .foh
        case "impulse": self = .impulse
        case "bilinear", "tustin": self = .bilinear
        case "euler", "forward-euler": self = .euler
        case "backward-euler", "backward_diff": self = .backwardEuler
        case "gbt":
            guard let alpha else { throw .invalidParameter(name: "alpha", reason: "method gbt needs --alpha in [0, 1]") }
            self = .gbt(alpha: alpha)
        default:
            throw .invalidParameter(name: "method", reason: "unknown method '\(name)'; valid: \(Self.names.joined(separator: ", "))")
        }
        if let a = gbtAlpha, !(a >= 0 && a <= 1) {
            throw .invalidParameter(name: "alpha", reason: "must be in [0, 1], got \(a)")
        }
    }
}

extension ContinuousLTI {
    /// Discretises with sample time `dt` (scipy.signal.cont2discrete semantics).
    /// - Throws: `.invalidSampleTime`, `.invalidParameter` (gbt α outside [0, 1]), or a
    ///   linear-algebra error when `I − α dt A` is singular.
    /// - Complexity: O((n + m)³) for the hold methods (one matrix exponential), O(n³) otherwise.
    public func discretized(dt: Double, method: DiscretizationMethod = .zoh) throws(StateSpaceError) -> DiscreteLTI {
        guard dt.isFinite, dt > 0 else { throw .invalidSampleTime(dt) }
        let n = stateCount, m = inputCount
        switch method {
        case .zoh:
            var em = Matrix(rows: n + m, cols: n + m)
            em.setBlock(dt * a, at: 0, 0)
            em.setBlock(dt * b, at: 0, n)
            let ms = try la { try em.exp() }
            return try DiscreteLTI(a: ms.submatrix(rows: 0..<n, cols: 0..<n), b: ms.submatrix(rows: 0..<n, cols: n..<(n + m)),
                                   c: c, d: d, dt: dt, labels: labels)
        case .foh:
            var em = Matrix(rows: n + 2 * m, cols: n + 2 * m)
            em.setBlock(dt * a, at: 0, 0)
            em.setBlock(dt * b, at: 0, n)
            em.setBlock(Matrix.identity(m), at: n, n + m)
            let ms = try la { try em.exp() }
            let phi = ms.submatrix(rows: 0..<n, cols: 0..<n)
            let g1 = ms.submatrix(rows: 0..<n, cols: n..<(n + m))
            let g2 = ms.submatrix(rows: 0..<n, cols: (n + m)..<(n + 2 * m))
            return try DiscreteLTI(a: phi, b: g1 - g2 + phi * g2, c: c, d: d + c * g2, dt: dt, labels: labels)
        case .impulse:
            let ad = try la { try (dt * a).exp() }
            let bd = dt * (ad * b)
            return try DiscreteLTI(a: ad, b: bd, c: c, d: dt * (c * b), dt: dt, labels: labels)
        case .bilinear, .euler, .backwardEuler, .gbt:
            let alpha = method.gbtAlpha!
            guard alpha >= 0 && alpha <= 1 else { throw .invalidParameter(name: "alpha", reason: "must be in [0, 1], got \(alpha)") }
            let id = Matrix.identity(n)
            let ima = id - (alpha * dt) * a
            let lu = try la { try ima.lu() }
            let ad = try la { try lu.solve(id + ((1 - alpha) * dt) * a) }
            let bd = try la { try lu.solve(dt * b) }
            // Cd = C (I − α dt A)⁻¹  ⇔  (I − α dt A)ᵀ Cdᵀ = Cᵀ.
            let cd = try la { try ima.transposed.solve(c.transposed).transposed }
            return try DiscreteLTI(a: ad, b: bd, c: cd, d: d + alpha * (c * bd), dt: dt, labels: labels)
        }
    }
}

extension DiscreteLTI {
    /// The continuous system whose discretisation by `method` with this `dt` is `self` (d2c).
    /// Supported: `.zoh` (matrix logarithm) and the gbt family (bilinear, euler, backward Euler, gbt(α)).
    /// - Throws: `.unsupported` for foh/impulse or when no real logarithm exists (an eigenvalue
    ///   of A on the closed negative real axis), `.linearAlgebra` when a needed inverse is singular.
    public func continuous(method: DiscretizationMethod = .zoh) throws(StateSpaceError) -> ContinuousLTI {
        let n = stateCount, m = inputCount
        switch method {
        case .zoh:
            var em = Matrix.identity(n + m)
            em.setBlock(a, at: 0, 0)
            em.setBlock(b, at: 0, n)
            let l: Matrix
            do throws(LinearAlgebraError) { l = try em.log() } catch {
                throw .unsupported("d2c zoh: no real matrix logarithm (\(error.description))")
            }
            let s = (1 / dt) * l
            return try ContinuousLTI(a: s.submatrix(rows: 0..<n, cols: 0..<n), b: s.submatrix(rows: 0..<n, cols: n..<(n + m)),
                                     c: c, d: d, labels: labels)
        case .bilinear, .euler, .backwardEuler, .gbt:
            let alpha = method.gbtAlpha!
            guard alpha >= 0 && alpha <= 1 else { throw .invalidParameter(name: "alpha", reason: "must be in [0, 1], got \(alpha)") }
            let id = Matrix.identity(n)
            // Ad (I − α dt A) = I + (1−α) dt A  ⇒  A = (α Ad + (1−α) I)⁻¹ (Ad − I) / dt (A and Ad commute).
            let ac = try la { try (alpha * a + (1 - alpha) * id).solve(a - id) } / dt
            let ima = id - (alpha * dt) * ac
            let bc = (ima * b) / dt
            let cc = c * ima
            return try ContinuousLTI(a: ac, b: bc, c: cc, d: d - alpha * (cc * b), labels: labels)
        case .foh, .impulse:
            throw .unsupported("d2c supports zoh and the gbt family (bilinear, euler, backward-euler, gbt), not \(method.name)")
        }
    }
}
