// TimeMajorConvolver.swift — batched causal FFT convolution of time-major (batch, time,
// channels) sequences, one kernel per channel: the convolution mode of the S4D layer.
//
// Shapes (row-major):
//   input  x  (B, L, H)   y[b,t,h] = Σ_{j=0}^{t} k[h,j] x[b,t−j,h]
//   kernel k  (H, L)
//   output y  (B, L, H)
// and the adjoints
//   gx[b,s,h] = Σ_{t≥s} k[h,t−s] gy[b,t,h]                      (∂ℓ/∂x)
//   gk[h,j]   = Σ_b Σ_{t≥j} gy[b,t,h] x[b,t−j,h]                  (∂ℓ/∂k)
// by transforms of length n ≥ 2L − 1, so circular products equal linear ones (Gu, Gupta, Goel,
// Ré, "On the Parameterization and Initialization of Diagonal State Space Models", compute the
// same convolution with FFTs of length 2L).
//
// Two sequences per complex transform. The kernel is real and shared by the batch, so for two
// batch elements b, b' of one channel, z = x_b + i x_b' gives k * z = (k * x_b) + i (k * x_b'):
//   y_b + i y_b'   = IFFT(K̂ · FFT(z))                     (K̂ = FFT of k, full length n)
//   gx_b + i gx_b' = IFFT(conj(K̂) · FFT(gy_b + i gy_b'))
// and for the kernel gradient, with Ẑx = FFT(x_b + i x_b'), Ẑg = FFT(gy_b + i gy_b'),
//   Re IFFT(conj(Ẑx) · Ẑg)[j] = Σ_t gy_b[t] x_b[t−j] + gy_b'[t] x_b'[t−j],
// so gk[h] = Re IFFT(Σ_pairs conj(Ẑx) Ẑg)[0 ..< L]. One complex transform of length n does the
// work of two real ones at about the cost of one (measured: 1.1 µs against 1.0 + 1.6 µs for an
// r2c + c2r pair at n = 2048 in Float), and no spectrum needs unpacking. An odd last batch
// element goes alone (imaginary part zero).
//
// Half-length transforms. With n = 2m (m ≥ L the smallest 2^a·3^b·5^c·7^d) and z[t] = 0 for
// t ≥ L, the even and odd frequencies of the length-n transform are length-m transforms, and
// only the first L ≤ m outputs of the inverse are needed (ω = e^(−2πi/n), FFTW's signs):
//   Ẑ[2j]   = FFT_m(z)[j]            Ẑ[2j+1] = FFT_m(ω^t z[t])[j]
//   w[t]    = IFFT_m(Ŵ[2·])[t] + ω^(−t) IFFT_m(Ŵ[2·+1])[t],   t < m
// Every spectrum (K̂, Ẑ, the products, the kernel-gradient sums) is kept in this (even, odd)
// order; the products are element-wise, so the order never needs undoing. The zero half of
// the padded input is never transformed, the twiddles ω^t ride along with the gather and the
// scatter, and FFTW's estimated plans for length m were measured faster than for 2m (at
// L = 4096: four length-4096 transforms 13.4 µs against two length-8192 ones 22.6 µs).
//
// Why a second convolver beside Spectral's `BatchedCausalConvolver` (channel-major (B, H, L),
// which the reference path of `S4D` drives through whole-tensor transposes): that one runs each
// stage over the whole batch — transpose, pad, B·H forward FFTs, products, B·H inverse FFTs,
// crop, transpose back — and each stage streams B·H·n scalars (32 MB at B = H = 32, L = 4096)
// through main memory. Here the work runs tile by tile: a tile is W = 8 channels of a pair of
// batch elements, and all its stages — gather the two (L, W) blocks into W zero-padded complex
// rows (8 × 8 register transposes), W forward FFTs, the products, W inverse FFTs, scatter back —
// run on a few hundred kilobytes that stay in cache. The forward keeps no spectra: the backward
// recomputes Ẑx from x (one more FFT per pair of rows, cheaper than storing them). The 1/n of
// the inverse transforms is folded into K̂ (exact when n is a power of two).
//
// The plain reference is `TimeMajorConvolver.directForward`/`directBackward` (O(B·H·L²) loops,
// TimeMajorConvolver+Reference.swift); the tests compare the two.

import LinearAlgebra
import Numerics
import Spectral

/// Batched causal convolution on time-major (B, L, H) data with one length-L kernel per
/// channel, two sequences per complex FFT, tile by tile in cache (see TimeMajorConvolver.swift).
/// After `init`, `setKernels`, `forward` and `backward` neither allocate nor plan.
///
/// Lanes: the per-pair calls (`forwardPair`, `backwardPair`) take a lane, a set of tile scratch
/// and kernel-gradient sums of its own (`reserveLanes`), so pairs may run concurrently on
/// different lanes while sharing the kernel spectra; one lane is one thread at a time. Everything
/// else (`setKernels`, `forward`, `backward`, `kernelGradient`, `reserveLanes`) is not
/// thread-safe. Plans come from `FFTPlanCache.shared` (executing them is thread-safe).
public final class TimeMajorConvolver<Scalar: NeuralScalar & FFTScalar> {
    /// B, L, H.
    public let batch: Int, length: Int, channels: Int
    /// n = 2m: the circular length of the convolution, m ≥ L the smallest 2^a·3^b·5^c·7^d (the
    /// length of the transforms run); 0 when there is nothing to do.
    public let fftLength: Int
    /// W: channels per tile.
    public static var tileWidth: Int { 8 }
    /// `true` once `setKernels` has run.
    public private(set) var hasKernels = false

    private let plans: Plans?
    // Complex rows of length m, interleaved (re, im); a channel's spectrum is two rows (even, odd).
    private var lanes: [Lane]                            // lane 0 always; more from `reserveLanes`
    private let kernelSpectra: Workspace<Scalar>         // (H, 2, m): K̂ / n
    private let kernelRows: Workspace<Scalar>            // (H, 2, m)
    private let twiddles: Workspace<Scalar>              // (2, L): Re ω^t, then Im ω^t

    /// One thread's scratch and its share of the kernel-gradient sums.
    private final class Lane {
        let rows: Workspace<Scalar>                  // (W, 2, m): one tile's padded inputs / inverse outputs
        let spectra: Workspace<Scalar>               // (W, 2, m): Ẑ or Ẑg of a tile
        let inputSpectra: Workspace<Scalar>          // (W, 2, m): Ẑx of a tile (backward)
        let kernelGradientSpectra: Workspace<Scalar> // (H, 2, m): Σ over the lane's pairs of conj(Ẑx) Ẑg

        init(tile: Int, channels: Int) {
            rows = Workspace(count: tile); spectra = Workspace(count: tile); inputSpectra = Workspace(count: tile)
            kernelGradientSpectra = Workspace(count: channels)
        }
    }

    private struct Plans {
        var forward: FFTPlan<Scalar>, inverse: FFTPlan<Scalar>                  // 2W rows
        var restForward: FFTPlan<Scalar>?, restInverse: FFTPlan<Scalar>?        // 2 (H mod W) rows, when W ∤ H
        var kernelForward: FFTPlan<Scalar>, kernelInverse: FFTPlan<Scalar>      // 2H rows

        func tile(_ w: Int, _ full: Int) -> (FFTPlan<Scalar>, FFTPlan<Scalar>) {
            w == full ? (forward, inverse) : (restForward!, restInverse!)
        }
    }

    /// Prepares plans, twiddles and workspaces for (batch, length, channels) inputs.
    /// - Complexity: planning (FFTW_ESTIMATE); memory ≈ 2·(3W + 3H)·n scalars.
    public init(batch: Int, length: Int, channels: Int) {
        precondition(batch >= 0 && length >= 0 && channels >= 0, "TimeMajorConvolver: shape (\(batch), \(length), \(channels)) must be ≥ 0") // invariant: API misuse
        self.batch = batch
        self.length = length
        self.channels = channels
        let active = batch > 0 && length > 0 && channels > 0
        let m = active ? fastFFTLength(atLeast: length) : 0, n = 2 * m
        fftLength = n
        let w = Swift.min(Self.tileWidth, channels)
        lanes = [Lane(tile: 2 * w * n, channels: 2 * channels * n)]
        kernelSpectra = Workspace(count: 2 * channels * n)
        kernelRows = Workspace(count: 2 * channels * n)
        twiddles = Workspace(count: active ? 2 * length : 0)
        guard active else { plans = nil; return }
        for t in 0..<length {                                   // ω^t = e^(−2πi t/n), rounded once from Double
            let angle = -2 * Double.pi * Double(t) / Double(n)
            twiddles.pointer[t] = Scalar(Double.cos(angle))
            twiddles.pointer[length + t] = Scalar(Double.sin(angle))
        }
        let cache = FFTPlanCache.shared, rest = channels % w
        plans = Plans(forward: cache.plan(.complexForward, length: m, batch: 2 * w),
                      inverse: cache.plan(.complexInverse, length: m, batch: 2 * w),
                      restForward: rest > 0 ? cache.plan(.complexForward, length: m, batch: 2 * rest) : nil,
                      restInverse: rest > 0 ? cache.plan(.complexInverse, length: m, batch: 2 * rest) : nil,
                      kernelForward: cache.plan(.complexForward, length: m, batch: 2 * channels),
                      kernelInverse: cache.plan(.complexInverse, length: m, batch: 2 * channels))
    }

    /// Lanes ready for `forwardPair`/`backwardPair` (at least 1).
    public var laneCount: Int { lanes.count }

    /// Makes at least `count` lanes (each ≈ 2·(3W + H)·n scalars); never removes any.
    func reserveLanes(_ count: Int) {
        let w = Swift.min(Self.tileWidth, channels)
        while lanes.count < count { lanes.append(Lane(tile: 2 * w * fftLength, channels: 2 * channels * fftLength)) }
    }

    /// Transforms the kernels k (H, L) and keeps K̂/n for `forward` and `backward`.
    /// - Complexity: 2H complex FFTs of length m = n/2.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func setKernels(_ k: UnsafeBufferPointer<Scalar>) {
        precondition(k.count == channels * length, "TimeMajorConvolver.setKernels: \(k.count) taps for (\(channels), \(length))") // invariant: API misuse
        hasKernels = true
        guard let plans, let kp = k.baseAddress else { return }
        let n = fftLength, m = n / 2, L = length, r = kernelRows.pointer, scale = 1 / Scalar(n)
        let cr = twiddles.pointer, ci = twiddles.pointer + L
        r.update(repeating: 0, count: kernelRows.count)
        for h in 0..<channels {
            let src = kp + h * L, even = r + 4 * h * m, odd = even + 2 * m
            for t in 0..<L {
                let v = scale * src[t]
                even[2 * t] = v
                odd[2 * t] = v * cr[t]
                odd[2 * t + 1] = v * ci[t]
            }
        }
        plans.kernelForward.transform(kernelRows.complex, into: kernelSpectra.mutableComplex)
    }

    /// y = k * x per (batch element, channel) on (B, L, H) buffers; `x` and `y` must not overlap.
    /// - Complexity: 2·B·H complex FFTs of length m = n/2 (four per pair of sequences) and
    ///   B·H·m complex products, in tiles.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: UnsafeBufferPointer<Scalar>, into y: UnsafeMutableBufferPointer<Scalar>) {
        precondition(hasKernels, "TimeMajorConvolver.forward before setKernels") // invariant: API misuse
        let count = batch * length * channels
        precondition(x.count == count && y.count == count, "TimeMajorConvolver.forward: counts x \(x.count), y \(y.count) for (\(batch), \(length), \(channels))") // invariant: API misuse
        guard plans != nil, let xp = x.baseAddress, let yp = y.baseAddress else { return }
        let block = length * channels
        for b in stride(from: 0, to: batch, by: 2) {
            let paired = b + 1 < batch
            forwardPair(xp + b * block, paired ? xp + (b + 1) * block : nil, into: yp + b * block, paired ? yp + (b + 1) * block : nil)
        }
    }

    /// Backward pass for the kernels of the last `setKernels`: from gy = ∂ℓ/∂y and the forward
    /// input x (B, L, H) writes gx = ∂ℓ/∂x (B, L, H) and gk = ∂ℓ/∂k (H, L), both overwritten.
    /// `gx` must not overlap `gy` or `x`.
    /// - Complexity: 3·B·H + 2H complex FFTs of length m = n/2 and 2·B·H·m complex products,
    ///   in tiles.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(outputGradient gy: UnsafeBufferPointer<Scalar>, input x: UnsafeBufferPointer<Scalar>,
                         inputGradient gx: UnsafeMutableBufferPointer<Scalar>, kernelGradient gk: UnsafeMutableBufferPointer<Scalar>) {
        precondition(hasKernels, "TimeMajorConvolver.backward before setKernels") // invariant: API misuse
        let count = batch * length * channels
        precondition(gy.count == count && x.count == count && gx.count == count && gk.count == channels * length, // invariant: API misuse
                     "TimeMajorConvolver.backward: counts gy \(gy.count), x \(x.count), gx \(gx.count), gk \(gk.count) for (\(batch), \(length), \(channels))")
        guard plans != nil, let gyp = gy.baseAddress, let xp = x.baseAddress, let gxp = gx.baseAddress else {
            if let p = gk.baseAddress { p.update(repeating: 0, count: gk.count) }
            return
        }
        let block = length * channels
        for b in stride(from: 0, to: batch, by: 2) {
            let paired = b + 1 < batch, o0 = b * block, o1 = (b + 1) * block
            backwardPair(outputGradient: gyp + o0, paired ? gyp + o1 : nil, input: xp + o0, paired ? xp + o1 : nil,
                         inputGradient: gxp + o0, paired ? gxp + o1 : nil, first: b == 0)
        }
        kernelGradient(into: gk)
    }

    // MARK: One pair of sequences at a time (the S4D layer and the fused SSM block drive these)

    /// `forward` for one pair of (L, H) sequences: y0 = k * x0 and, when given, y1 = k * x1 (a
    /// lone sequence has `x1`, `y1` nil). The outputs must not overlap the inputs.
    /// - Complexity: 4·H complex FFTs of length m and 2·H·m complex products.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forwardPair(_ x0: UnsafePointer<Scalar>, _ x1: UnsafePointer<Scalar>?,
                     into y0: UnsafeMutablePointer<Scalar>, _ y1: UnsafeMutablePointer<Scalar>?, lane: Int = 0) {
        precondition(hasKernels, "TimeMajorConvolver.forwardPair before setKernels") // invariant: API misuse
        guard let plans else { return }
        let L = length, H = channels, n = fftLength, W = Swift.min(Self.tileWidth, H)
        let scratch = lanes[lane], rows = scratch.rows, spectra = scratch.spectra
        let r = rows.pointer, s = spectra.pointer, kf = kernelSpectra.pointer, tw = UnsafePointer(twiddles.pointer)
        for h0 in stride(from: 0, to: H, by: W) {
            let w = Swift.min(W, H - h0)
            let (fft, ifft) = plans.tile(w, W)
            TileKernels.gather(x0 + h0, x1.map { $0 + h0 }, stride: H, length: L, width: w, twiddles: tw, into: r, rowLength: n / 2)
            fft.transform(rows.complex(count: w * n), into: spectra.mutableComplex(count: w * n))
            TileKernels.multiply(s, by: kf + 2 * h0 * n, count: w * n)
            ifft.transform(spectra.complex(count: w * n), into: rows.mutableComplex(count: w * n))
            TileKernels.scatter(r, rowLength: n / 2, length: L, width: w, twiddles: tw, into: y0 + h0, y1.map { $0 + h0 }, stride: H)
        }
    }

    /// `backward` for one pair: ∂ℓ/∂x of the pair into gx0 (and gx1), and the pair's share of
    /// ∂ℓ/∂k into the lane's kernel-gradient spectra — assigned when `first` (the lane's first
    /// pair), else accumulated. After the last pair, `kernelGradient(into:lanes:)` turns the sums
    /// into ∂ℓ/∂k.
    /// - Complexity: 6·H complex FFTs of length m and 4·H·m complex products.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backwardPair(outputGradient g0: UnsafePointer<Scalar>, _ g1: UnsafePointer<Scalar>?,
                      input x0: UnsafePointer<Scalar>, _ x1: UnsafePointer<Scalar>?,
                      inputGradient gx0: UnsafeMutablePointer<Scalar>, _ gx1: UnsafeMutablePointer<Scalar>?, first: Bool, lane: Int = 0) {
        precondition(hasKernels, "TimeMajorConvolver.backwardPair before setKernels") // invariant: API misuse
        guard let plans else { return }
        let L = length, H = channels, n = fftLength, m = n / 2, W = Swift.min(Self.tileWidth, H)
        let scratch = lanes[lane], rows = scratch.rows, spectra = scratch.spectra, inputSpectra = scratch.inputSpectra
        let r = rows.pointer, s = spectra.pointer, xs = inputSpectra.pointer, tw = UnsafePointer(twiddles.pointer)
        let kf = kernelSpectra.pointer, gkf = scratch.kernelGradientSpectra.pointer
        for h0 in stride(from: 0, to: H, by: W) {
            let w = Swift.min(W, H - h0)
            let (fft, ifft) = plans.tile(w, W)
            TileKernels.gather(x0 + h0, x1.map { $0 + h0 }, stride: H, length: L, width: w, twiddles: tw, into: r, rowLength: m)
            fft.transform(rows.complex(count: w * n), into: inputSpectra.mutableComplex(count: w * n))     // Ẑx
            TileKernels.gather(g0 + h0, g1.map { $0 + h0 }, stride: H, length: L, width: w, twiddles: tw, into: r, rowLength: m)
            fft.transform(rows.complex(count: w * n), into: spectra.mutableComplex(count: w * n))          // Ẑg
            // Σ conj(Ẑx) Ẑg into the kernel gradient spectra; Ẑg ← conj(K̂/n) Ẑg in place.
            TileKernels.correlate(xs, s, kernel: kf + 2 * h0 * n, accumulating: !first, into: gkf + 2 * h0 * n, count: w * n)
            ifft.transform(spectra.complex(count: w * n), into: rows.mutableComplex(count: w * n))
            TileKernels.scatter(r, rowLength: m, length: L, width: w, twiddles: tw, into: gx0 + h0, gx1.map { $0 + h0 }, stride: H)
        }
    }

    /// ∂ℓ/∂k (H, L) from the kernel-gradient spectra the pairs accumulated on lanes
    /// 0 ..< `lanes` (every one of them must have run at least one pair): lane 0's sums plus
    /// lane 1's, then lane 2's, … (a fixed order), then gk[h][t] = Re(even[t] + ω^(−t) odd[t]) / n
    /// of their inverse transform.
    /// - Complexity: 2H complex FFTs of length m, and (lanes − 1)·2·H·n additions.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func kernelGradient(into gk: UnsafeMutableBufferPointer<Scalar>, lanes used: Int = 1) {
        precondition(used >= 1 && used <= lanes.count, "TimeMajorConvolver.kernelGradient: \(used) lanes of \(lanes.count)") // invariant: API misuse
        precondition(gk.count == channels * length, "TimeMajorConvolver.kernelGradient: \(gk.count) taps for (\(channels), \(length))") // invariant: API misuse
        guard let plans, let gkp = gk.baseAddress else {
            if let p = gk.baseAddress { p.update(repeating: 0, count: gk.count) }
            return
        }
        let L = length, H = channels, n = fftLength, m = n / 2
        let sums = lanes[0].kernelGradientSpectra
        for lane in lanes[1..<used] {
            let src = lane.kernelGradientSpectra.pointer, dst = sums.pointer
            for i in 0..<sums.count { dst[i] += src[i] }
        }
        plans.kernelInverse.transform(sums.complex, into: kernelRows.mutableComplex)
        let kr = kernelRows.pointer, scale = 1 / Scalar(n), cr = twiddles.pointer, ci = twiddles.pointer + L
        for h in 0..<H {
            let even = kr + 4 * h * m, odd = even + 2 * m, dst = gkp + h * L
            for t in 0..<L { dst[t] = scale * (even[2 * t] + cr[t] * odd[2 * t] + ci[t] * odd[2 * t + 1]) }
        }
    }
}

extension TimeMajorConvolver {
    /// Array convenience for `setKernels` + `forward` (allocates the result).
    public func forward(_ x: [Scalar], kernels: [Scalar]) -> [Scalar] {
        kernels.withUnsafeBufferPointer { setKernels($0) }
        var y = [Scalar](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { forward(xs, into: $0) } }
        return y
    }

    /// Array convenience for `backward` (allocates the results).
    public func backward(outputGradient gy: [Scalar], input x: [Scalar]) -> (input: [Scalar], kernels: [Scalar]) {
        var gx = [Scalar](repeating: 0, count: x.count)
        var gk = [Scalar](repeating: 0, count: channels * length)
        gy.withUnsafeBufferPointer { g in
            x.withUnsafeBufferPointer { xs in
                gx.withUnsafeMutableBufferPointer { gxs in
                    gk.withUnsafeMutableBufferPointer { backward(outputGradient: g, input: xs, inputGradient: gxs, kernelGradient: $0) }
                }
            }
        }
        return (gx, gk)
    }
}

/// A zero-initialised, 64-byte aligned scalar array (FFTW's SIMD plans need 16-byte alignment),
/// freed on deinit. Complex values are stored interleaved (re, im), the layout of
/// `Complex<Scalar>` and of FFTW's complex type.
final class Workspace<Scalar: FFTScalar> {
    let pointer: UnsafeMutablePointer<Scalar>
    let count: Int

    init(count: Int) {
        precondition(count >= 0) // invariant: callers pass sizes they computed
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, count) * MemoryLayout<Scalar>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Scalar.self, capacity: Swift.max(1, count))
        pointer.initialize(repeating: 0, count: Swift.max(1, count))
    }

    deinit { pointer.deallocate() }

    /// All of it as scalars.
    var mutableBuffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    private var complexPointer: UnsafeMutablePointer<Complex<Scalar>> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Complex<Scalar>.self)
    }

    /// The first `count` complex values (2·count scalars).
    func complex(count: Int) -> UnsafeBufferPointer<Complex<Scalar>> { UnsafeBufferPointer(start: complexPointer, count: count) }
    func mutableComplex(count: Int) -> UnsafeMutableBufferPointer<Complex<Scalar>> { UnsafeMutableBufferPointer(start: complexPointer, count: count) }
    /// All of it as complex values.
    var complex: UnsafeBufferPointer<Complex<Scalar>> { complex(count: count / 2) }
    var mutableComplex: UnsafeMutableBufferPointer<Complex<Scalar>> { mutableComplex(count: count / 2) }
}
