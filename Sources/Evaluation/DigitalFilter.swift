// DigitalFilter.swift — a rational digital filter b(z)/a(z), used to colour noise and as the
// linear blocks of the Wiener–Hammerstein generator.
//
//     a0·y[t] = Σ_{i=0..nb-1} b_i·x[t−i] − Σ_{j=1..na-1} a_j·y[t−j],   zero initial conditions,
//
// run in transposed direct form II (the form of scipy.signal.lfilter), coefficients normalised
// so a0 = 1. This is a difference equation on a scalar signal, not the state-space machinery
// of the StateSpace module.

/// A SISO IIR/FIR filter with numerator `b` and denominator `a` (a[0] = 1 after normalising).
public struct DigitalFilter: Sendable, Equatable {
    public let b: [Double]
    public let a: [Double]

    /// - Precondition: `a[0] ≠ 0`, both non-empty (coefficients come from code, not users).
    public init(b: [Double], a: [Double] = [1]) {
        precondition(!b.isEmpty && !a.isEmpty && a[0] != 0, "filter needs non-empty b, a with a[0] ≠ 0") // invariant: programmer misuse
        self.b = b.map { $0 / a[0] }
        self.a = a.map { $0 / a[0] }
    }

    /// Filters `x` from zero initial conditions (transposed direct form II, n − 1 delays).
    /// - Complexity: O(L · max(nb, na)).
    public func apply(_ x: [Double]) -> [Double] {
        let n = max(b.count, a.count)
        let bb = b + Array(repeating: 0, count: n - b.count)
        let aa = a + Array(repeating: 0, count: n - a.count)
        var z = [Double](repeating: 0, count: max(n - 1, 0))
        var y = [Double](repeating: 0, count: x.count)
        for t in 0..<x.count {
            let xt = x[t]
            let yt = bb[0] * xt + (n > 1 ? z[0] : 0)
            if n > 1 {
                for i in 1..<(n - 1) { z[i - 1] = bb[i] * xt - aa[i] * yt + z[i] }
                z[n - 2] = bb[n - 1] * xt - aa[n - 1] * yt
            }
            y[t] = yt
        }
        return y
    }

    /// Reference path: the difference equation evaluated term by term from the stored past of x
    /// and y. Same result as `apply` up to rounding.
    /// - Complexity: O(L · (nb + na)).
    public func applyDirect(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for t in 0..<x.count {
            var acc = 0.0
            for i in 0..<b.count where t - i >= 0 { acc += b[i] * x[t - i] }
            for j in 1..<max(a.count, 1) where j < a.count && t - j >= 0 { acc -= a[j] * y[t - j] }
            y[t] = acc
        }
        return y
    }

    /// The filter's gain at DC: Σb / Σa.
    public var dcGain: Double { b.reduce(0, +) / a.reduce(0, +) }

    /// Second-order Butterworth low-pass by the bilinear transform with pre-warping, cutoff
    /// `cutoff` as a fraction of the Nyquist frequency (0 < cutoff < 1). With K = tan(π·cutoff/2):
    /// b = [K², 2K², K²]/D, a = [1, 2(K² − 1)/D, (1 − √2K + K²)/D], D = 1 + √2K + K².
    public static func butterworthLowpass2(cutoff: Double) -> DigitalFilter {
        precondition(cutoff > 0 && cutoff < 1, "cutoff must lie in (0, 1) of Nyquist") // invariant: validated by the parser
        let k = Double.tan(Double.pi * cutoff / 2), r2 = Double(2).squareRoot()
        let d = 1 + r2 * k + k * k
        return DigitalFilter(b: [k * k / d, 2 * k * k / d, k * k / d], a: [1, 2 * (k * k - 1) / d, (1 - r2 * k + k * k) / d])
    }

    /// A resonant second-order section with poles r·e^{±iθ}, a zero at z = −1 and unit DC gain:
    /// a = [1, −2r cos θ, r²], b = (Σa / 2)·[1, 1].
    public static func resonator(radius r: Double, angle theta: Double) -> DigitalFilter {
        precondition(r >= 0 && r < 1, "pole radius must lie in [0, 1) for stability") // invariant: validated by the parser
        let a = [1, -2 * r * Double.cos(theta), r * r]
        let g = a.reduce(0, +) / 2
        return DigitalFilter(b: [g, g], a: a)
    }

    /// A first-order low-pass with pole `p` and unit DC gain: y[t] = p·y[t−1] + (1 − p)·x[t].
    public static func firstOrderLowpass(pole p: Double) -> DigitalFilter {
        precondition(p > -1 && p < 1, "pole must lie in (−1, 1) for stability") // invariant: validated by the parser
        return DigitalFilter(b: [1 - p], a: [1, -p])
    }
}
