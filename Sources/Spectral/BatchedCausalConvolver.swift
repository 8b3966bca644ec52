// BatchedCausalConvolver.swift — reusable batched FFT causal convolution with its backward pass,
// Float or Double: the convolution mode of an S4D-style layer.
//
// Shapes (all row-major, time last):
//   input  x  (B, H, L)   batch element b, channel h, time t at (b·H + h)·L + t
//   kernel k  (H, K)      one kernel per channel, shared across the batch
//   output y  (B, H, L)   y[b,h,t] = Σ_{j=0}^{min(t, K−1)} k[h,j] x[b,h,t−j]
// With B = 1 this is a per-channel batch; with H = 1 it is one kernel shared by B channels.
//
// forward: H kernel FFTs and B·H signal FFTs (two batched FFTW calls), B·H spectrum products,
// one batched inverse. The spectra X̂ (B·H) and K̂ (H) stay in the workspace for backward:
//   gx[b,h] = first L of IFFT(conj(K̂[h]) · Ĝ[b,h])         (∂ℓ/∂x)
//   gk[h]   = first K' of IFFT(Σ_b conj(X̂[b,h]) · Ĝ[b,h])   (∂ℓ/∂k, summed over the batch)
// with Ĝ the FFT of the zero-padded output gradient. Because n ≥ L + K' − 1 these circular
// correlations equal the linear ones (see CausalConvolution+Adjoint.swift). Gu et al.,
// "On the Parameterization and Initialization of Diagonal State Space Models" (S4D), compute the
// same convolution with an FFT of length 2L.

import Numerics

/// Batched causal convolution for a fixed (B, H, L, K) with preallocated workspaces: after `init`,
/// `forward` and `backward` neither allocate nor plan.
///
/// Not thread-safe (the workspaces are reused); use one per thread. Plans come from
/// `FFTPlanCache.shared`.
public final class BatchedCausalConvolver<Scalar: FFTScalar> {
    /// B: batch elements.
    public let batch: Int
    /// H: channels, each with its own kernel.
    public let channels: Int
    /// L: sequence length.
    public let length: Int
    /// K: kernel length (taps past L are ignored: their gradient is 0).
    public let kernelLength: Int
    /// n: FFT length, the smallest 2^a·3^b·5^c·7^d ≥ L + min(K, L) − 1 (0 if there is nothing to do).
    public let fftLength: Int
    /// `true` once `forward` has stored the spectra `backward` needs.
    public private(set) var hasSpectra = false

    private let taps: Int
    private let rows: Int
    private let real: AlignedBuffer<Scalar>                      // (B·H, n)
    private let inputSpectra: AlignedBuffer<Complex<Scalar>>     // (B·H, n/2+1)  X̂
    private let kernelSpectra: AlignedBuffer<Complex<Scalar>>    // (H, n/2+1)    K̂
    private let work: AlignedBuffer<Complex<Scalar>>             // (B·H, n/2+1)  Ŷ, then Ĝ
    private let kernelGradientSpectra: AlignedBuffer<Complex<Scalar>>  // (H, n/2+1)
    private let plans: (rows: FFTPlan<Scalar>, kernels: FFTPlan<Scalar>, inverseRows: FFTPlan<Scalar>, inverseKernels: FFTPlan<Scalar>)?

    /// Prepares plans and workspaces for input (batch, channels, length) and kernels
    /// (channels, kernelLength) (default kernelLength = length).
    /// - Complexity: planning; memory ≈ (3·B·H + 2·H)·n scalars.
    public init(batch: Int, channels: Int, length: Int, kernelLength: Int? = nil, rigor: FFTPlanningRigor = .estimate) {
        let K = kernelLength ?? length
        precondition(batch >= 0 && channels >= 0 && length >= 0 && K >= 0,
                     "BatchedCausalConvolver: shape (\(batch), \(channels), \(length)), K \(K) must be ≥ 0") // invariant: API misuse
        Scalar.checkLayout()
        self.batch = batch
        self.channels = channels
        self.length = length
        self.kernelLength = K
        taps = min(K, length)
        rows = batch * channels
        let active = taps > 0 && rows > 0
        let n = active ? fastFFTLength(atLeast: length + taps - 1) : 0
        let half = active ? n / 2 + 1 : 0
        fftLength = n
        real = AlignedBuffer(count: rows * n)
        inputSpectra = AlignedBuffer(count: rows * half)
        kernelSpectra = AlignedBuffer(count: channels * half)
        work = AlignedBuffer(count: rows * half)
        kernelGradientSpectra = AlignedBuffer(count: channels * half)
        if active {
            let cache = FFTPlanCache.shared
            plans = (cache.plan(.realForward, length: n, batch: rows, rigor: rigor),
                     cache.plan(.realForward, length: n, batch: channels, rigor: rigor),
                     cache.plan(.realInverse, length: n, batch: rows, rigor: rigor),
                     cache.plan(.realInverse, length: n, batch: channels, rigor: rigor))
        } else {
            plans = nil
        }
    }

    /// y = k * x per (batch element, channel). Counts: x and y B·H·L, kernels H·K.
    /// Keeps X̂ and K̂ for `backward`.
    /// - Complexity: (B·H + H) forward and B·H inverse real FFTs of length n, B·H·(n/2+1) products.
    public func forward(_ x: UnsafeBufferPointer<Scalar>, kernels k: UnsafeBufferPointer<Scalar>,
                        into y: UnsafeMutableBufferPointer<Scalar>) {
        precondition(x.count == rows * length && y.count == rows * length && k.count == channels * kernelLength,
                     "BatchedCausalConvolver.forward: counts x \(x.count), kernels \(k.count), y \(y.count) do not fit (B \(batch), H \(channels), L \(length), K \(kernelLength))") // invariant: API misuse
        guard let plans, let xp = x.baseAddress, let kp = k.baseAddress, let yp = y.baseAddress else {
            if let yp = y.baseAddress { zeroFill(yp, count: y.count) }
            hasSpectra = true
            return
        }
        let n = fftLength, half = n / 2 + 1, L = length, K = kernelLength, H = channels
        let r = real.pointer, xf = inputSpectra.pointer, kf = kernelSpectra.pointer, wf = work.pointer

        for h in 0..<H { copyZeroPadded(from: kp + h * K, count: taps, to: r + h * n, paddedCount: n) }       // (H, n)
        FFTW.execute(plans.kernels.plan, .realToComplex, precision: Scalar.fftPrecision, input: real.raw, output: kernelSpectra.raw)
        for row in 0..<rows { copyZeroPadded(from: xp + row * L, count: L, to: r + row * n, paddedCount: n) }   // (B·H, n)
        FFTW.execute(plans.rows.plan, .realToComplex, precision: Scalar.fftPrecision, input: real.raw, output: inputSpectra.raw)
        for row in 0..<rows {
            combineSpectra(.multiply, xf + row * half, kf + (row % H) * half, into: wf + row * half, count: half)
        }
        FFTW.execute(plans.inverseRows.plan, .complexToReal, precision: Scalar.fftPrecision, input: work.raw, output: real.raw)
        for row in 0..<rows { scaledCopy(from: r + row * n, to: yp + row * L, count: L, scale: 1 / Double(n)) }
        hasSpectra = true
    }

    /// Backward pass of the last `forward`: from gy = ∂ℓ/∂y (B·H·L) writes gx = ∂ℓ/∂x (B·H·L) and
    /// gk = ∂ℓ/∂k (H·K, summed over the batch; overwritten, not accumulated). May be called
    /// repeatedly for the same forward.
    /// - Complexity: B·H forward and B·H + H inverse real FFTs, 2·B·H·(n/2+1) products.
    public func backward(outputGradient gy: UnsafeBufferPointer<Scalar>, inputGradient gx: UnsafeMutableBufferPointer<Scalar>,
                         kernelGradient gk: UnsafeMutableBufferPointer<Scalar>) {
        precondition(hasSpectra, "BatchedCausalConvolver.backward before forward") // invariant: API misuse
        precondition(gy.count == rows * length && gx.count == rows * length && gk.count == channels * kernelLength,
                     "BatchedCausalConvolver.backward: counts gy \(gy.count), gx \(gx.count), gk \(gk.count) do not fit (B \(batch), H \(channels), L \(length), K \(kernelLength))") // invariant: API misuse
        guard let plans, let gyp = gy.baseAddress, let gxp = gx.baseAddress, let gkp = gk.baseAddress else {
            if let p = gx.baseAddress { zeroFill(p, count: gx.count) }
            if let p = gk.baseAddress { zeroFill(p, count: gk.count) }
            return
        }
        let n = fftLength, half = n / 2 + 1, L = length, K = kernelLength, H = channels
        let r = real.pointer, xf = inputSpectra.pointer, kf = kernelSpectra.pointer, wf = work.pointer
        let gkf = kernelGradientSpectra.pointer

        for row in 0..<rows { copyZeroPadded(from: gyp + row * L, count: L, to: r + row * n, paddedCount: n) }
        FFTW.execute(plans.rows.plan, .realToComplex, precision: Scalar.fftPrecision, input: real.raw, output: work.raw)   // Ĝ
        for row in 0..<rows {   // Σ_b conj(X̂[b,h]) Ĝ[b,h]
            combineSpectra(row < H ? .conjugateMultiply : .conjugateMultiplyAdd, xf + row * half, wf + row * half,
                           into: gkf + (row % H) * half, count: half)
        }
        for row in 0..<rows {   // conj(K̂[h]) Ĝ[b,h], in place
            combineSpectra(.conjugateMultiply, kf + (row % H) * half, wf + row * half, into: wf + row * half, count: half)
        }
        FFTW.execute(plans.inverseRows.plan, .complexToReal, precision: Scalar.fftPrecision, input: work.raw, output: real.raw)
        for row in 0..<rows { scaledCopy(from: r + row * n, to: gxp + row * L, count: L, scale: 1 / Double(n)) }
        FFTW.execute(plans.inverseKernels.plan, .complexToReal, precision: Scalar.fftPrecision,
                     input: kernelGradientSpectra.raw, output: real.raw)
        for h in 0..<H {
            scaledCopy(from: r + h * n, to: gkp + h * K, count: taps, scale: 1 / Double(n))
            zeroFill(gkp + h * K + taps, count: K - taps)
        }
    }
}

extension BatchedCausalConvolver {
    /// Array convenience for `forward` (allocates the result).
    public func forward(_ x: [Scalar], kernels: [Scalar]) -> [Scalar] {
        var y = [Scalar](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in
            kernels.withUnsafeBufferPointer { ks in
                y.withUnsafeMutableBufferPointer { forward(xs, kernels: ks, into: $0) }
            }
        }
        return y
    }

    /// Array convenience for `backward` (allocates the results).
    public func backward(outputGradient gy: [Scalar]) -> (input: [Scalar], kernels: [Scalar]) {
        var gx = [Scalar](repeating: 0, count: gy.count)
        var gk = [Scalar](repeating: 0, count: channels * kernelLength)
        gy.withUnsafeBufferPointer { g in
            gx.withUnsafeMutableBufferPointer { gxs in
                gk.withUnsafeMutableBufferPointer { backward(outputGradient: g, inputGradient: gxs, kernelGradient: $0) }
            }
        }
        return (gx, gk)
    }
}
