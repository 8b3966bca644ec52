// FFTPlan.swift — one FFTW plan (Float or Double, single or batched) owned by a class.
//
// FFTW's transforms are UNNORMALISED: with ω = e^{-2πi/n},
//   forward  X[k] = Σ_{j<n} x[j] ω^{jk}
//   backward x[j] = Σ_{k<n} X[k] ω^{-jk}
// so backward(forward(x)) = n·x. An `FFTPlan` computes exactly FFTW's sums; the convenience
// functions `rfft`/`irfft`/`fft`/`ifft` (FFT.swift) follow numpy and scale the inverse by 1/n.

import Numerics

/// Which transform a plan computes.
public enum FFTKind: Sendable, Hashable, CaseIterable {
    /// Real input, half spectrum out (`r2c`): `n` reals → `n/2 + 1` complex values `X[0…n/2]`.
    /// The other half follows from Hermitian symmetry, `X[n−k] = conj(X[k])`.
    case realForward
    /// Half spectrum in, real output (`c2r`), unnormalised backward sum. Destroys its input.
    /// The imaginary parts of `X[0]` (and of `X[n/2]` when n is even) are ignored.
    case realInverse
    /// Complex forward transform (`e^{-2πi jk/n}`).
    case complexForward
    /// Complex backward transform (`e^{+2πi jk/n}`), unnormalised.
    case complexInverse

    var transform: FFTWTransform {
        switch self {
        case .realForward: return .realToComplex
        case .realInverse: return .complexToReal
        case .complexForward: return .complex(forward: true)
        case .complexInverse: return .complex(forward: false)
        }
    }
}

/// How hard FFTW's planner searches: `FFTW_ESTIMATE` (heuristic, microseconds, the default),
/// `FFTW_MEASURE` (times candidate algorithms; can take seconds for large n), `FFTW_PATIENT`.
public enum FFTPlanningRigor: Sendable, Hashable, CaseIterable {
    case estimate, measure, patient
}

/// An FFTW plan for `batch` transforms of length `length`, destroyed when the object goes away.
///
/// Memory layout of a batch (contiguous, unit stride, transform `b` after transform `b − 1`):
/// - real data: `batch × length` values, transform `b` at `b·length ..< (b+1)·length`;
/// - half spectra: `batch × (length/2 + 1)` complex values, transform `b` at `b·(length/2+1) …`;
/// - complex data: `batch × length` complex values.
///
/// A plan is immutable after `init` and executes with FFTW's new-array functions, so one plan
/// may run on different arrays from several threads at once. Planning and destruction take the
/// global planner lock. Plans are made on private aligned arrays (FFTW_MEASURE overwrites those,
/// never the caller's) and freed after planning; arrays passed to the execute methods that are
/// not 16-byte aligned are copied through aligned scratch (from `ScratchPool`). Use `FFTPlanCache` to avoid
/// re-planning.
public final class FFTPlan<Scalar: FFTScalar>: @unchecked Sendable {
    // @unchecked: the only stored state is immutable; FFTW's new-array execute is thread-safe.
    public let kind: FFTKind
    /// Transform length n.
    public let length: Int
    /// Number of transforms per execution.
    public let batch: Int
    public let rigor: FFTPlanningRigor
    let plan: OpaquePointer

    /// Plans `batch` transforms of length `length` (both ≥ 1).
    /// - Complexity: `.estimate` is microseconds; `.measure` runs and times trial transforms.
    public init(_ kind: FFTKind, length: Int, batch: Int = 1, rigor: FFTPlanningRigor = .estimate) {
        precondition(length >= 1 && batch >= 1, "FFTPlan: length \(length) and batch \(batch) must be ≥ 1") // invariant: callers check sizes
        Scalar.checkLayout()
        self.kind = kind
        self.length = length
        self.batch = batch
        self.rigor = rigor
        let (inCount, outCount) = FFTPlan.realCounts(kind, length: length, batch: batch)
        let input = AlignedBuffer<Scalar>(count: inCount), output = AlignedBuffer<Scalar>(count: outCount)
        plan = FFTW.makePlan(kind.transform, precision: Scalar.fftPrecision, n: length, howmany: batch,
                             input: input.raw, output: output.raw, flags: FFTW.flags(rigor))
    }

    deinit { FFTW.destroy(plan, precision: Scalar.fftPrecision) }

    /// Number of complex values in one half spectrum: `length/2 + 1`.
    public var halfSpectrumLength: Int { length / 2 + 1 }

    /// Scalars (not complex values) in the input and output of one execution.
    static func realCounts(_ kind: FFTKind, length n: Int, batch: Int) -> (Int, Int) {
        let half = 2 * (n / 2 + 1) * batch, real = n * batch, complex = 2 * n * batch
        switch kind {
        case .realForward: return (real, half)
        case .realInverse: return (half, real)
        case .complexForward, .complexInverse: return (complex, complex)
        }
    }

    /// Runs the plan on `input` (scalar count `inCount`) into `output`, through aligned scratch
    /// when either array is misaligned. The arrays must not overlap.
    @inline(__always)
    func run(_ input: UnsafeMutableRawPointer, _ output: UnsafeMutableRawPointer) {
        let precision = Scalar.fftPrecision
        let (inCount, outCount) = FFTPlan.realCounts(kind, length: length, batch: batch)
        let stride = MemoryLayout<Scalar>.stride
        precondition(input + inCount * stride <= output || output + outCount * stride <= input, // invariant: API misuse
                     "FFTPlan: input and output overlap (plans are out of place)")
        if FFTW.isAligned(input, precision: precision) && FFTW.isAligned(output, precision: precision) {
            FFTW.execute(plan, kind.transform, precision: precision, input: input, output: output)
            return
        }
        // Slow path: arrays at an offset FFTW's SIMD plan cannot read (e.g. a channel slice of
        // odd length); copy through fftw_malloc scratch.
        let sizes = [inCount * stride, outCount * stride]
        ScratchPool.withScratch(bytes: ScratchPool.totalBytes(sizes)) { raw in
            let region = ScratchPool.regions(raw, sizes)
            region[0].copyMemory(from: input, byteCount: sizes[0])
            FFTW.execute(plan, kind.transform, precision: precision, input: region[0], output: region[1])
            output.copyMemory(from: region[1], byteCount: sizes[1])
        }
    }
}

extension FFTPlan {
    /// Real forward transform (`.realForward`): `batch × length` reals → `batch × (length/2+1)`
    /// complex values, unnormalised. The input is not modified.
    /// - Complexity: O(batch · n log n) for any n (FFTW handles prime lengths by Rader/Bluestein).
    public func forward(real input: UnsafeBufferPointer<Scalar>, into output: UnsafeMutableBufferPointer<Complex<Scalar>>) {
        precondition(kind == .realForward, "FFTPlan: forward(real:) on a \(kind) plan") // invariant: API misuse
        precondition(input.count == batch * length && output.count == batch * halfSpectrumLength, // invariant: API misuse
                     "FFTPlan: counts \(input.count) → \(output.count), expected \(batch * length) → \(batch * halfSpectrumLength)")
        guard let i = input.baseAddress, let o = output.baseAddress else { return }
        run(UnsafeMutableRawPointer(mutating: i), UnsafeMutableRawPointer(o))
    }

    /// Real inverse transform (`.realInverse`): `batch × (length/2+1)` complex values →
    /// `batch × length` reals, unnormalised (`n·x` after a forward). DESTROYS `input`.
    public func inverse(halfSpectrum input: UnsafeMutableBufferPointer<Complex<Scalar>>, into output: UnsafeMutableBufferPointer<Scalar>) {
        precondition(kind == .realInverse, "FFTPlan: inverse(halfSpectrum:) on a \(kind) plan") // invariant: API misuse
        precondition(input.count == batch * halfSpectrumLength && output.count == batch * length, // invariant: API misuse
                     "FFTPlan: counts \(input.count) → \(output.count), expected \(batch * halfSpectrumLength) → \(batch * length)")
        guard let i = input.baseAddress, let o = output.baseAddress else { return }
        run(UnsafeMutableRawPointer(i), UnsafeMutableRawPointer(o))
    }

    /// Complex transform (`.complexForward` or `.complexInverse`), `batch × length` values,
    /// unnormalised. The input is not modified; input and output must not overlap.
    public func transform(_ input: UnsafeBufferPointer<Complex<Scalar>>, into output: UnsafeMutableBufferPointer<Complex<Scalar>>) {
        precondition(kind == .complexForward || kind == .complexInverse, "FFTPlan: transform(_:into:) on a \(kind) plan") // invariant: API misuse
        precondition(input.count == batch * length && output.count == batch * length, // invariant: API misuse
                     "FFTPlan: counts \(input.count) → \(output.count), expected \(batch * length)")
        guard let i = input.baseAddress, let o = output.baseAddress else { return }
        run(UnsafeMutableRawPointer(mutating: i), UnsafeMutableRawPointer(o))
    }
}
