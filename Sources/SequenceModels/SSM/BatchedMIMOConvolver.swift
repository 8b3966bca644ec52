// BatchedMIMOConvolver.swift — batched multi-input multi-output causal convolution by FFT, with
// its adjoints, Float or Double: the convolution mode of the dense LTI layer.
//
// Shapes (row-major, time last):
//   input   u (B, m, L)      kernels h (p, m, L)      output y (B, p, L)
//   y[b][o][t] = Σ_i Σ_{j=0}^{t} h[o][i][j] u[b][i][t−j]
// With the FFT length n ≥ 2L − 1 (the smallest 7-smooth one) the circular convolution of the
// zero-padded rows equals the linear one on t < L, so with Û, Ĥ, Ĝ the real FFTs of u, h and
// the output gradient gy:
//   forward        Ŷ[b][o]  = Σ_i Ĥ[o][i] Û[b][i]                 (B·m + p·m forward, B·p inverse FFTs)
//   ∂ℓ/∂u          ĝu[b][i] = Σ_o conj(Ĥ[o][i]) Ĝ[b][o]           (correlation with h)
//   ∂ℓ/∂h          ĝh[o][i] = Σ_b conj(Û[b][i]) Ĝ[b][o]           (correlation of gy with u, summed over b)
// and the first L samples of each inverse transform (scaled 1/n). For j, t < L the wrapped
// indices of the correlations land in the zero padding (n − L + 1 ≥ L), so they are exact too.
// `reference(…)` evaluates the sums directly (O(B p m L²)) for the tests.

import Numerics
import Spectral

/// Reusable batched MIMO causal convolution for a fixed (B, m, p, L); see the file header.
/// Not thread-safe (workspaces are reused).
public final class BatchedMIMOConvolver<Scalar: FFTScalar> {
    public let batch: Int, inputs: Int, outputs: Int, length: Int
    /// n, the FFT length (0 when there is nothing to do).
    public let fftLength: Int
    private let half: Int
    private let plans: (inputs: FFTPlan<Scalar>, kernels: FFTPlan<Scalar>, outputs: FFTPlan<Scalar>,
                        inverseOutputs: FFTPlan<Scalar>, inverseInputs: FFTPlan<Scalar>, inverseKernels: FFTPlan<Scalar>)?
    private var padded: [Scalar]                         // (max rows, n)
    private var inputSpectra: [Complex<Scalar>]          // (B·m, n/2+1)  Û
    private var kernelSpectra: [Complex<Scalar>]         // (p·m, n/2+1)  Ĥ
    private var work: [Complex<Scalar>]                  // (max rows, n/2+1)
    private var gradientSpectra: [Complex<Scalar>]       // (B·p, n/2+1)  Ĝ
    /// `true` once `forward` stored the spectra `backward` needs.
    public private(set) var hasSpectra = false

    public init(batch: Int, inputs: Int, outputs: Int, length: Int) {
        precondition(batch >= 0 && inputs >= 0 && outputs >= 0 && length >= 0, "BatchedMIMOConvolver: negative size") // invariant: programmer misuse
        self.batch = batch
        self.inputs = inputs
        self.outputs = outputs
        self.length = length
        let active = batch > 0 && inputs > 0 && outputs > 0 && length > 0
        let n = active ? fastFFTLength(atLeast: 2 * length - 1) : 0
        fftLength = n
        half = active ? n / 2 + 1 : 0
        let rows = Swift.max(batch * inputs, outputs * inputs, batch * outputs)
        padded = [Scalar](repeating: 0, count: active ? rows * n : 0)
        inputSpectra = [Complex<Scalar>](repeating: .zero, count: batch * inputs * half)
        kernelSpectra = [Complex<Scalar>](repeating: .zero, count: outputs * inputs * half)
        work = [Complex<Scalar>](repeating: .zero, count: rows * half)
        gradientSpectra = [Complex<Scalar>](repeating: .zero, count: batch * outputs * half)
        if active {
            let cache = FFTPlanCache.shared
            plans = (cache.plan(.realForward, length: n, batch: batch * inputs), cache.plan(.realForward, length: n, batch: outputs * inputs),
                     cache.plan(.realForward, length: n, batch: batch * outputs), cache.plan(.realInverse, length: n, batch: batch * outputs),
                     cache.plan(.realInverse, length: n, batch: batch * inputs), cache.plan(.realInverse, length: n, batch: outputs * inputs))
        } else {
            plans = nil
        }
    }

    /// Zero-pads `rows` rows of length L from `src` into `padded` and runs `plan` into `spectra`.
    private func transform(_ src: UnsafeBufferPointer<Scalar>, rows: Int, plan: FFTPlan<Scalar>, into spectra: inout [Complex<Scalar>]) {
        let n = fftLength, L = length
        padded.withUnsafeMutableBufferPointer { pad in
            for r in 0..<rows {
                for t in 0..<L { pad[r * n + t] = src[r * L + t] }
                for t in L..<n { pad[r * n + t] = 0 }
            }
        }
        padded.withUnsafeBufferPointer { pad in
            spectra.withUnsafeMutableBufferPointer { out in
                plan.forward(real: UnsafeBufferPointer(rebasing: pad[0..<(rows * n)]), into: out)
            }
        }
    }

    /// Inverse-transforms the first `rows` spectra of `work` and writes the first L samples of
    /// each, scaled by 1/n, to `dst`.
    private func inverse(rows: Int, plan: FFTPlan<Scalar>, into dst: UnsafeMutableBufferPointer<Scalar>) {
        let n = fftLength, L = length, h = half
        work.withUnsafeMutableBufferPointer { w in
            padded.withUnsafeMutableBufferPointer { pad in
                plan.inverse(halfSpectrum: UnsafeMutableBufferPointer(rebasing: w[0..<(rows * h)]),
                             into: UnsafeMutableBufferPointer(rebasing: pad[0..<(rows * n)]))
                let scale = 1 / Scalar(n)
                for r in 0..<rows { for t in 0..<L { dst[r * L + t] = pad[r * n + t] * scale } }
            }
        }
    }

    /// y = h * u (shapes in the file header). Keeps Û and Ĥ for `backward`.
    /// - Complexity: (B·m + p·m) forward and B·p inverse real FFTs of length n, B·p·m·(n/2+1)
    ///   complex multiply-adds.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ u: UnsafeBufferPointer<Scalar>, kernels k: UnsafeBufferPointer<Scalar>, into y: UnsafeMutableBufferPointer<Scalar>) {
        let B = batch, m = inputs, p = outputs, L = length, h = half
        precondition(u.count == B * m * L && k.count == p * m * L && y.count == B * p * L, "BatchedMIMOConvolver.forward: counts u \(u.count), h \(k.count), y \(y.count) for B \(B), m \(m), p \(p), L \(L)") // invariant: programmer misuse
        hasSpectra = true
        guard let plans else {
            for i in 0..<y.count { y[i] = 0 }
            return
        }
        transform(u, rows: B * m, plan: plans.inputs, into: &inputSpectra)
        transform(k, rows: p * m, plan: plans.kernels, into: &kernelSpectra)
        inputSpectra.withUnsafeBufferPointer { us in
            kernelSpectra.withUnsafeBufferPointer { ks in
                work.withUnsafeMutableBufferPointer { w in
                    for b in 0..<B {
                        for o in 0..<p {
                            let out = (b * p + o) * h
                            for f in 0..<h { w[out + f] = .zero }
                            for i in 0..<m {
                                let ub = (b * m + i) * h, kb = (o * m + i) * h
                                for f in 0..<h { w[out + f] = w[out + f] + ks[kb + f] * us[ub + f] }
                            }
                        }
                    }
                }
            }
        }
        inverse(rows: B * p, plan: plans.inverseOutputs, into: y)
    }

    /// The adjoints of the last `forward`: from gy = ∂ℓ/∂y (B, p, L) writes ∂ℓ/∂u (B, m, L) and
    /// ∂ℓ/∂h (p, m, L, summed over the batch), overwriting both.
    /// - Complexity: B·p forward and B·m + p·m inverse FFTs, 2·B·p·m·(n/2+1) complex multiply-adds.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(outputGradient gy: UnsafeBufferPointer<Scalar>, inputGradient gu: UnsafeMutableBufferPointer<Scalar>,
                         kernelGradient gk: UnsafeMutableBufferPointer<Scalar>) {
        let B = batch, m = inputs, p = outputs, L = length, h = half
        precondition(hasSpectra, "BatchedMIMOConvolver.backward before forward") // invariant: forward/backward pairing
        precondition(gy.count == B * p * L && gu.count == B * m * L && gk.count == p * m * L, "BatchedMIMOConvolver.backward: counts gy \(gy.count), gu \(gu.count), gh \(gk.count)") // invariant: programmer misuse
        guard let plans else {
            for i in 0..<gu.count { gu[i] = 0 }
            for i in 0..<gk.count { gk[i] = 0 }
            return
        }
        transform(gy, rows: B * p, plan: plans.outputs, into: &gradientSpectra)
        // ĝu[b][i] = Σ_o conj(Ĥ[o][i]) Ĝ[b][o]
        accumulateCorrelations(outer: B, inner: m, sum: p, left: { o, i in (o * m + i) * h }, right: { b, o in (b * p + o) * h },
                               leftSpectra: kernelSpectra)
        inverse(rows: B * m, plan: plans.inverseInputs, into: gu)
        // ĝh[o][i] = Σ_b conj(Û[b][i]) Ĝ[b][o]
        accumulateCorrelations(outer: p, inner: m, sum: B, left: { b, i in (b * m + i) * h }, right: { o, b in (b * p + o) * h },
                               leftSpectra: inputSpectra)
        inverse(rows: p * m, plan: plans.inverseKernels, into: gk)
    }

    /// work[r = outer·inner + inner index] = Σ_s conj(left[s][inner]) · Ĝ[right(outer, s)], with
    /// `left(s, i)` and `right(outer, s)` the spectrum offsets.
    @inline(__always)
    private func accumulateCorrelations(outer: Int, inner: Int, sum: Int, left: (Int, Int) -> Int, right: (Int, Int) -> Int,
                                        leftSpectra: [Complex<Scalar>]) {
        let h = half
        leftSpectra.withUnsafeBufferPointer { ls in
            gradientSpectra.withUnsafeBufferPointer { gs in
                work.withUnsafeMutableBufferPointer { w in
                    for a in 0..<outer {
                        for i in 0..<inner {
                            let out = (a * inner + i) * h
                            for f in 0..<h { w[out + f] = .zero }
                            for s in 0..<sum {
                                let lb = left(s, i), gb = right(a, s)
                                for f in 0..<h { w[out + f] = w[out + f] + ls[lb + f].conjugate * gs[gb + f] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The direct sums of the file header (forward, then both adjoints for `gy`), O(B·p·m·L²).
    public static func reference(batch B: Int, inputs m: Int, outputs p: Int, length L: Int, u: [Scalar], kernels k: [Scalar],
                                 outputGradient gy: [Scalar]) -> (y: [Scalar], inputGradient: [Scalar], kernelGradient: [Scalar]) {
        var y = [Scalar](repeating: 0, count: B * p * L), gu = [Scalar](repeating: 0, count: B * m * L)
        var gk = [Scalar](repeating: 0, count: p * m * L)
        for b in 0..<B { for o in 0..<p { for i in 0..<m { for t in 0..<L { for j in 0...t {
            let kk = k[(o * m + i) * L + j], uu = u[(b * m + i) * L + t - j], g = gy[(b * p + o) * L + t]
            y[(b * p + o) * L + t] += kk * uu
            gu[(b * m + i) * L + t - j] += kk * g
            gk[(o * m + i) * L + j] += uu * g
        } } } } }
        return (y, gu, gk)
    }
}
