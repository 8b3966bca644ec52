// CausalConvolver.swift — a reusable FFT causal convolution for one fixed shape (Double).
//
// Plans and aligned buffers are made once in `init` (optionally with FFTW_MEASURE), so a call
// does exactly this and nothing else (no allocation, no planning):
//   1. copy the kernel into the real buffer and zero-pad it to n; forward r2c → K̂
//   2. copy the signal into the real buffer and zero-pad it to n;  forward r2c → X̂
//   3. X̂ ← X̂ · K̂ (complex product, n/2 + 1 values)
//   4. inverse c2r X̂ → real buffer
//   5. y[t] = real[t] / n for t < L (scale and copy out)
// with n the smallest 2^a·3^b·5^c·7^d ≥ L + K' − 1, K' = min(K, L), so nothing wraps around.
// This is the workload the peers' `fft_conv` benchmark times (its FFTW reference uses n = the next
// power of two ≥ 2L − 1, the same n when L is a power of two).

import Numerics

/// Causal convolution `y[t] = Σ_{j=0}^{min(t, K−1)} k[j] x[t−j]` for signals of one length L and
/// kernels of one length K, with plans and buffers made once.
///
/// Not thread-safe: one convolver per thread (its buffers are reused by every call). Plans come
/// from `FFTPlanCache.shared`, so making many convolvers of one shape plans only once.
public final class CausalConvolver {
    /// Signal length L (also the output length).
    public let length: Int
    /// Kernel length K accepted by `convolve` (taps past L are ignored).
    public let kernelLength: Int
    /// FFT length n (0 when L = 0 or K = 0: nothing to transform).
    public let fftLength: Int
    public let rigor: FFTPlanningRigor
    private let taps: Int
    private let real: AlignedBuffer<Double>
    private let signalSpectrum: AlignedBuffer<Complex<Double>>
    private let kernelSpectrum: AlignedBuffer<Complex<Double>>
    private let forwardPlan: FFTPlan<Double>?
    private let inversePlan: FFTPlan<Double>?

    /// Prepares plans and buffers for signals of length `length` ≥ 0 and kernels of length
    /// `kernelLength` ≥ 0 (default: `length`). `rigor: .measure` plans with FFTW_MEASURE (slower
    /// to make, usually faster to run; it never touches caller data).
    /// - Complexity: planning, O(n) memory (one real and two half-complex buffers of length n).
    public init(length: Int, kernelLength: Int? = nil, rigor: FFTPlanningRigor = .estimate) {
        let K = kernelLength ?? length
        precondition(length >= 0 && K >= 0, "CausalConvolver: lengths \(length), \(K) must be ≥ 0") // invariant: API misuse
        self.length = length
        self.kernelLength = K
        self.rigor = rigor
        taps = min(K, length)
        let n = taps == 0 ? 0 : fastFFTLength(atLeast: length + taps - 1)
        fftLength = n
        real = AlignedBuffer(count: n)
        signalSpectrum = AlignedBuffer(count: n == 0 ? 0 : n / 2 + 1)
        kernelSpectrum = AlignedBuffer(count: n == 0 ? 0 : n / 2 + 1)
        if n > 0 {
            forwardPlan = FFTPlanCache.shared.plan(.realForward, length: n, rigor: rigor)
            inversePlan = FFTPlanCache.shared.plan(.realInverse, length: n, rigor: rigor)
        } else {
            forwardPlan = nil
            inversePlan = nil
        }
    }

    /// Writes `y = k * x` (first L samples) into `y`. Counts: x and y `length`, kernel `kernelLength`.
    /// `y` must not overlap the inputs.
    /// - Complexity: two forward and one inverse real FFT of length n, O(n log n); no allocation.
    public func convolve(_ x: UnsafeBufferPointer<Double>, kernel: UnsafeBufferPointer<Double>,
                         into y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == length && y.count == length && kernel.count == kernelLength, // invariant: API misuse
                     "CausalConvolver: counts x \(x.count), kernel \(kernel.count), y \(y.count); expected \(length), \(kernelLength), \(length)")
        guard let yp = y.baseAddress else { return }
        guard let forward = forwardPlan, let inverse = inversePlan, let xp = x.baseAddress, let kp = kernel.baseAddress else {
            yp.update(repeating: 0, count: length)   // K = 0: every sum is empty
            return
        }
        let n = fftLength, L = length
        let r = real.pointer
        copyZeroPadded(from: kp, count: taps, to: r, paddedCount: n)
        FFTW.execute(forward.plan, .realToComplex, precision: .double, input: real.raw, output: kernelSpectrum.raw)
        copyZeroPadded(from: xp, count: L, to: r, paddedCount: n)
        FFTW.execute(forward.plan, .realToComplex, precision: .double, input: real.raw, output: signalSpectrum.raw)
        combineSpectra(.multiply, signalSpectrum.pointer, kernelSpectrum.pointer, into: signalSpectrum.pointer, count: n / 2 + 1)
        FFTW.execute(inverse.plan, .complexToReal, precision: .double, input: signalSpectrum.raw, output: real.raw)
        scaledCopy(from: r, to: yp, count: L, scale: 1 / Double(n))
    }

    /// Array convenience: returns `k * x` (allocates the result).
    public func convolve(_ x: [Double], kernel: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: x.count) { y, initialized in
            x.withUnsafeBufferPointer { xs in
                kernel.withUnsafeBufferPointer { ks in convolve(xs, kernel: ks, into: y) }
            }
            initialized = x.count
        }
    }
}
