// BatchedCausalConvolver.swift — reusable batched FFT causal convolution with its backward pass,
// Float or Double: the convolution mode of an S4D-style layer.
//
// Shapes (all row-major, time last):
//   input  x  (B, H, L)   batch element b, channel h, time t at (b·H + h)·L + t
//   kernel k  (H, K)      one kernel per channel, shared across the batch
//   output y  (B, H, L)   y[b,h,t] = Σ_{j=0}^{min(t, K−1)} k[h,j] x[b,h,t−j]
// With B = 1 this is a per-channel batch; with H = 1 it is one kernel shared by B channels.
//
// forward: H kernel FFTs and B·H signal FFTs, B·H spectrum products, B·H inverse FFTs, in
// chunks of rows sized to stay in cache (one batched FFTW call per chunk). The spectra X̂ (B·H)
// and K̂ (H) stay in the workspace for backward (`convolve` is the same pass without keeping X̂):
//   gx[b,h] = first L of IFFT(conj(K̂[h]) · Ĝ[b,h])         (∂ℓ/∂x)
//   gk[h]   = first K' of IFFT(Σ_b conj(X̂[b,h]) · Ĝ[b,h])   (∂ℓ/∂k, summed over the batch)
// with Ĝ the FFT of the zero-padded output gradient. Because n ≥ L + K' − 1 these circular
// correlations equal the linear ones (see CausalConvolution+Adjoint.swift). Gu et al.,
// "On the Parameterization and Initialization of Diagonal State Space Models" (S4D), compute the
// same convolution with an FFT of length 2L.

import Numerics

/// Batched causal convolution for a fixed (B, H, L, K) with preallocated workspaces: after `init`,
/// `forward`, `convolve` and `backward` neither allocate nor plan.
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
    /// Rows (sequences) transformed per FFTW call: as many as fit a cache-sized working set
    /// (`chunkBytes`), so a large batch streams through L2 instead of through memory.
    public let rowsPerChunk: Int
    /// `true` once `forward` has stored the spectra `backward` needs.
    public private(set) var hasSpectra = false

    /// Working-set target of one chunk (real rows + their two spectra), about half of a
    /// Zen 2 core's 512 KiB L2. Measured on 64 × 2^14 Double: one batched call over all rows ran
    /// 1.5× slower than row-sized chunks.
    static var chunkBytes: Int { 256 << 10 }

    private let taps: Int
    private let rows: Int
    private let real: AlignedBuffer<Scalar>                      // (chunk, n)         scratch
    private let work: AlignedBuffer<Complex<Scalar>>             // (chunk, n/2+1)     Ŷ or Ĝ, scratch
    private let kernelWork: AlignedBuffer<Complex<Scalar>>       // (chunk, n/2+1)     K̂ scratch (convolve, B = 1)
    private let inputSpectra: AlignedBuffer<Complex<Scalar>>     // (B·H, n/2+1)       X̂, kept
    private let kernelSpectra: AlignedBuffer<Complex<Scalar>>    // (H, n/2+1)         K̂, kept
    private let kernelGradientSpectra: AlignedBuffer<Complex<Scalar>>  // (H, n/2+1)
    /// Forward (r2c) and inverse (c2r) plans by batch size: the chunk and the remainders.
    private let forwardPlans: [Int: FFTPlan<Scalar>]
    private let inversePlans: [Int: FFTPlan<Scalar>]

    /// Prepares plans and workspaces for input (batch, channels, length) and kernels
    /// (channels, kernelLength) (default kernelLength = length).
    /// - Complexity: planning; memory ≈ (B·H + 2·H)·n scalars plus a cache-sized scratch.
    public init(batch: Int, channels: Int, length: Int, kernelLength: Int? = nil, rigor: FFTPlanningRigor = .estimate) {
        let K = kernelLength ?? length
        precondition(batch >= 0 && channels >= 0 && length >= 0 && K >= 0, // invariant: API misuse
                     "BatchedCausalConvolver: shape (\(batch), \(channels), \(length)), K \(K) must be ≥ 0")
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
        let complexStride = MemoryLayout<Complex<Scalar>>.stride
        var chunk = active ? max(1, min(rows, BatchedCausalConvolver.chunkBytes / ((n + 4 * half) * MemoryLayout<Scalar>.stride))) : 0
        // Chunks start at multiples of `chunk` inside the kept spectra; keep those starts on
        // FFTW's 16-byte alignment (only Float with an odd n/2 + 1 needs an even chunk).
        if chunk < rows && (chunk * half * complexStride) % 16 != 0 { chunk = min(rows, chunk + 1) }
        rowsPerChunk = chunk
        real = AlignedBuffer(count: chunk * n)
        work = AlignedBuffer(count: chunk * half)
        kernelWork = AlignedBuffer(count: batch == 1 ? chunk * half : 0)
        inputSpectra = AlignedBuffer(count: rows * half)
        kernelSpectra = AlignedBuffer(count: channels * half)
        kernelGradientSpectra = AlignedBuffer(count: channels * half)
        var forward: [Int: FFTPlan<Scalar>] = [:], inverse: [Int: FFTPlan<Scalar>] = [:]
        if active {
            let sizes = Set([chunk, rows % chunk, min(chunk, channels), channels % chunk].filter { $0 > 0 })
            for size in sizes {
                forward[size] = FFTPlanCache.shared.plan(.realForward, length: n, batch: size, rigor: rigor)
                inverse[size] = FFTPlanCache.shared.plan(.realInverse, length: n, batch: size, rigor: rigor)
            }
        }
        forwardPlans = forward
        inversePlans = inverse
    }

    /// Runs `body(first, count)` over consecutive chunks of `total` rows.
    @inline(__always)
    private func forEachChunk(of total: Int, _ body: (Int, Int) -> Void) {
        var first = 0
        while first < total {
            let count = min(rowsPerChunk, total - first)
            body(first, count)
            first += count
        }
    }

    @inline(__always)
    private func execute(_ transform: FFTWTransform, rows count: Int, input: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer) {
        guard let plan = (transform == .realToComplex ? forwardPlans : inversePlans)[count] else {
            preconditionFailure("BatchedCausalConvolver: no plan for \(count) rows") // invariant: init plans every chunk size
        }
        precondition(FFTW.isAligned(input, precision: Scalar.fftPrecision) && FFTW.isAligned(output, precision: Scalar.fftPrecision), // invariant: init keeps chunk starts aligned
                     "BatchedCausalConvolver: chunk start off FFTW's alignment")
        FFTW.execute(plan.plan, transform, precision: Scalar.fftPrecision, input: input, output: output)
    }

    /// y = k * x per (batch element, channel), keeping X̂ and K̂ for `backward` (training).
    /// Counts: x and y B·H·L, kernels H·K.
    /// - Complexity: (B·H + H) forward and B·H inverse real FFTs of length n, B·H·(n/2+1) products.
    public func forward(_ x: UnsafeBufferPointer<Scalar>, kernels k: UnsafeBufferPointer<Scalar>,
                        into y: UnsafeMutableBufferPointer<Scalar>) {
        run(x, kernels: k, into: y, keepSpectra: true)
    }

    /// y = k * x per (batch element, channel) without keeping X̂ (inference): the signal spectra
    /// stay in the cache-sized scratch instead of going out to memory. `backward` is unavailable
    /// until the next `forward`.
    /// - Complexity: as `forward`.
    public func convolve(_ x: UnsafeBufferPointer<Scalar>, kernels k: UnsafeBufferPointer<Scalar>,
                         into y: UnsafeMutableBufferPointer<Scalar>) {
        run(x, kernels: k, into: y, keepSpectra: false)
    }

    /// The forward pass, chunk by chunk. Rows are batch-major, so the chunks covering rows
    /// 0..<H (batch element 0) meet the channels in order: their kernels are transformed right
    /// before use, while still in cache, and reused from `kernelSpectra` by later batch elements.
    private func run(_ x: UnsafeBufferPointer<Scalar>, kernels k: UnsafeBufferPointer<Scalar>,
                     into y: UnsafeMutableBufferPointer<Scalar>, keepSpectra: Bool) {
        precondition(x.count == rows * length && y.count == rows * length && k.count == channels * kernelLength, // invariant: API misuse
                     "BatchedCausalConvolver: counts x \(x.count), kernels \(k.count), y \(y.count) do not fit (B \(batch), H \(channels), L \(length), K \(kernelLength))")
        guard fftLength > 0, let xp = x.baseAddress, let kp = k.baseAddress, let yp = y.baseAddress else {
            if let yp = y.baseAddress { zeroFill(yp, count: y.count) }
            hasSpectra = keepSpectra
            return
        }
        let n = fftLength, half = n / 2 + 1, L = length, K = kernelLength, H = channels, taps = taps
        let r = real.pointer, xf = inputSpectra.pointer, kf = kernelSpectra.pointer, wf = work.pointer
        let ks = kernelWork.pointer

        forEachChunk(of: rows) { first, count in
            // K̂[h] for this chunk's channels; kept unless nothing will read it again (one batch
            // element, no backward), then it stays in cache-sized scratch like X̂.
            let kernelsInScratch = !keepSpectra && batch == 1
            if first < H {
                let kernels = min(count, H - first)
                for i in 0..<kernels { copyZeroPadded(from: kp + (first + i) * K, count: taps, to: r + i * n, paddedCount: n) }
                execute(.realToComplex, rows: kernels, input: real.raw,
                        output: UnsafeMutableRawPointer(kernelsInScratch ? ks : kf + first * half))
            }
            for i in 0..<count { copyZeroPadded(from: xp + (first + i) * L, count: L, to: r + i * n, paddedCount: n) }
            let spectra = keepSpectra ? xf + first * half : wf                   // X̂: kept, or scratch
            execute(.realToComplex, rows: count, input: real.raw, output: UnsafeMutableRawPointer(spectra))
            for i in 0..<count {                                                 // Ŷ = X̂ · K̂[h]
                let kernel = kernelsInScratch ? ks + i * half : kf + ((first + i) % H) * half
                combineSpectra(.multiply, spectra + i * half, kernel, into: wf + i * half, count: half)
            }
            execute(.complexToReal, rows: count, input: work.raw, output: real.raw)
            for i in 0..<count { scaledCopy(from: r + i * n, to: yp + (first + i) * L, count: L, scale: 1 / Double(n)) }
        }
        hasSpectra = keepSpectra
    }

    /// Backward pass of the last `forward`: from gy = ∂ℓ/∂y (B·H·L) writes gx = ∂ℓ/∂x (B·H·L) and
    /// gk = ∂ℓ/∂k (H·K, summed over the batch; overwritten, not accumulated). May be called
    /// repeatedly for the same forward.
    /// - Complexity: B·H forward and B·H + H inverse real FFTs, 2·B·H·(n/2+1) products.
    public func backward(outputGradient gy: UnsafeBufferPointer<Scalar>, inputGradient gx: UnsafeMutableBufferPointer<Scalar>,
                         kernelGradient gk: UnsafeMutableBufferPointer<Scalar>) {
        precondition(hasSpectra, "BatchedCausalConvolver.backward needs a preceding forward (not convolve)") // invariant: API misuse
        precondition(gy.count == rows * length && gx.count == rows * length && gk.count == channels * kernelLength, // invariant: API misuse
                     "BatchedCausalConvolver.backward: counts gy \(gy.count), gx \(gx.count), gk \(gk.count) do not fit (B \(batch), H \(channels), L \(length), K \(kernelLength))")
        guard fftLength > 0, let gyp = gy.baseAddress, let gxp = gx.baseAddress, let gkp = gk.baseAddress else {
            if let p = gx.baseAddress { zeroFill(p, count: gx.count) }
            if let p = gk.baseAddress { zeroFill(p, count: gk.count) }
            return
        }
        let n = fftLength, half = n / 2 + 1, L = length, K = kernelLength, H = channels, taps = taps
        let r = real.pointer, xf = inputSpectra.pointer, kf = kernelSpectra.pointer, wf = work.pointer
        let gkf = kernelGradientSpectra.pointer

        forEachChunk(of: rows) { first, count in
            for i in 0..<count { copyZeroPadded(from: gyp + (first + i) * L, count: L, to: r + i * n, paddedCount: n) }
            execute(.realToComplex, rows: count, input: real.raw, output: work.raw)                  // Ĝ
            for i in 0..<count {
                let row = first + i, g = wf + i * half
                // Σ_b conj(X̂[b,h]) Ĝ[b,h]: rows h < H start the sum, later batch elements add.
                combineSpectra(row < H ? .conjugateMultiply : .conjugateMultiplyAdd, xf + row * half, g,
                               into: gkf + (row % H) * half, count: half)
                combineSpectra(.conjugateMultiply, kf + (row % H) * half, g, into: g, count: half)  // conj(K̂[h]) Ĝ
            }
            execute(.complexToReal, rows: count, input: work.raw, output: real.raw)
            for i in 0..<count { scaledCopy(from: r + i * n, to: gxp + (first + i) * L, count: L, scale: 1 / Double(n)) }
        }
        forEachChunk(of: H) { first, count in
            execute(.complexToReal, rows: count, input: UnsafeMutableRawPointer(gkf + first * half), output: real.raw)
            for i in 0..<count {
                let out = gkp + (first + i) * K
                scaledCopy(from: r + i * n, to: out, count: taps, scale: 1 / Double(n))
                zeroFill(out + taps, count: K - taps)
            }
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

    /// Array convenience for `convolve` (allocates the result).
    public func convolve(_ x: [Scalar], kernels: [Scalar]) -> [Scalar] {
        var y = [Scalar](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in
            kernels.withUnsafeBufferPointer { ks in
                y.withUnsafeMutableBufferPointer { convolve(xs, kernels: ks, into: $0) }
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
