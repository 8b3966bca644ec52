// FFT.swift — numpy-style FFT convenience functions on arrays, Float and Double.
//
// Normalisation follows numpy.fft (norm="backward"): the forward transforms are the plain sums
//   rfft/fft:   X[k] = Σ_{j<n} x[j] e^{-2πi jk/n}
// and the inverses carry the 1/n,
//   irfft/ifft: x[j] = (1/n) Σ_{k<n} X[k] e^{+2πi jk/n},
// so irfft(rfft(x), n) = x. (FFTW itself, and `FFTPlan`, leave the inverse unscaled.)
//
// Plans come from `FFTPlanCache.shared`, so repeated calls with the same shape never re-plan.
// Batched ("rowLength:") variants transform the rows of a row-major (rows, n) array in one
// FFTW call.

import Numerics

/// Real forward FFT of `x` (n = x.count ≥ 1): the half spectrum `X[0 … n/2]`, n/2 + 1 values.
/// - Complexity: O(n log n).
public func rfft<S: FFTScalar>(_ x: [S]) -> [Complex<S>] {
    rfft(x, rowLength: x.count)
}

/// Real forward FFT of each row of a row-major (rows, n) array: (rows, n/2 + 1) out.
/// - Complexity: O(rows · n log n).
public func rfft<S: FFTScalar>(_ x: [S], rowLength n: Int) -> [Complex<S>] {
    precondition(n >= 1 && x.count % n == 0, "rfft: \(x.count) values are not rows of length \(n) ≥ 1") // invariant: API misuse
    let rows = x.count / n, half = n / 2 + 1
    guard rows > 0 else { return [] }
    let plan: FFTPlan<S> = FFTPlanCache.shared.plan(.realForward, length: n, batch: rows)
    return [Complex<S>](unsafeUninitializedCapacity: rows * half) { out, initialized in
        x.withUnsafeBufferPointer { plan.forward(real: $0, into: out) }
        initialized = rows * half
    }
}

/// Inverse of `rfft` (numpy's `irfft`): real output of length `n` (default 2(m − 1) for m input
/// values), scaled by 1/n. Uses the first n/2 + 1 values of `spectrum`, zero-padding if there
/// are fewer; the imaginary parts of `X[0]` and (n even) `X[n/2]` are ignored, as in numpy.
/// - Complexity: O(n log n).
public func irfft<S: FFTScalar>(_ spectrum: [Complex<S>], n: Int? = nil) -> [S] {
    let length = n ?? 2 * (spectrum.count - 1)
    precondition(length >= 1, "irfft: output length \(length) must be ≥ 1") // invariant: API misuse
    let half = length / 2 + 1
    var padded = [Complex<S>](repeating: .zero, count: half)
    for i in 0..<min(half, spectrum.count) { padded[i] = spectrum[i] }
    return irfft(padded, rowLength: length)
}

/// Inverse real FFT of each row: (rows, n/2 + 1) half spectra → (rows, n) reals, scaled by 1/n.
/// - Complexity: O(rows · n log n).
public func irfft<S: FFTScalar>(_ spectra: [Complex<S>], rowLength n: Int) -> [S] {
    let half = n / 2 + 1
    precondition(n >= 1 && spectra.count % half == 0, "irfft: \(spectra.count) values are not rows of \(half) (n = \(n))") // invariant: API misuse
    let rows = spectra.count / half
    guard rows > 0 else { return [] }
    let plan: FFTPlan<S> = FFTPlanCache.shared.plan(.realInverse, length: n, batch: rows)
    var work = spectra   // c2r destroys its input: transform a copy
    return [S](unsafeUninitializedCapacity: rows * n) { out, initialized in
        work.withUnsafeMutableBufferPointer { plan.inverse(halfSpectrum: $0, into: out) }
        scaledCopy(from: out.baseAddress!, to: out.baseAddress!, count: rows * n, scale: 1 / Double(n))
        initialized = rows * n
    }
}

/// Complex forward FFT (numpy's `fft`, unscaled).
/// - Complexity: O(n log n).
public func fft<S: FFTScalar>(_ x: [Complex<S>]) -> [Complex<S>] {
    complexTransform(x, rowLength: x.count, kind: .complexForward)
}

/// Complex forward FFT of each row of a row-major (rows, n) array.
public func fft<S: FFTScalar>(_ x: [Complex<S>], rowLength n: Int) -> [Complex<S>] {
    complexTransform(x, rowLength: n, kind: .complexForward)
}

/// Complex inverse FFT (numpy's `ifft`), scaled by 1/n, so `ifft(fft(x)) = x`.
/// - Complexity: O(n log n).
public func ifft<S: FFTScalar>(_ x: [Complex<S>]) -> [Complex<S>] {
    complexTransform(x, rowLength: x.count, kind: .complexInverse)
}

/// Complex inverse FFT of each row, scaled by 1/n.
public func ifft<S: FFTScalar>(_ x: [Complex<S>], rowLength n: Int) -> [Complex<S>] {
    complexTransform(x, rowLength: n, kind: .complexInverse)
}

private func complexTransform<S: FFTScalar>(_ x: [Complex<S>], rowLength n: Int, kind: FFTKind) -> [Complex<S>] {
    precondition(n >= 1 && x.count % n == 0, "fft: \(x.count) values are not rows of length \(n) ≥ 1") // invariant: API misuse
    let rows = x.count / n
    guard rows > 0 else { return [] }
    let plan: FFTPlan<S> = FFTPlanCache.shared.plan(kind, length: n, batch: rows)
    return [Complex<S>](unsafeUninitializedCapacity: rows * n) { out, initialized in
        x.withUnsafeBufferPointer { plan.transform($0, into: out) }
        if kind == .complexInverse {
            out.withMemoryRebound(to: S.self) { reals in
                scaledCopy(from: reals.baseAddress!, to: reals.baseAddress!, count: 2 * rows * n, scale: 1 / Double(n))
            }
        }
        initialized = rows * n
    }
}
