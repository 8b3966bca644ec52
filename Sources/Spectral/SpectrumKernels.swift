// SpectrumKernels.swift — the element-wise loops of frequency-domain convolution.
//
// Each generic entry point dispatches once on `FFTScalar.fftPrecision` and runs a loop over
// plain `Double`/`Float` pointers (re, im interleaved, the layout of `Complex<T>` and of
// `fftw_complex`), so the loop is specialised even when the generic caller is not.

import Numerics

/// How two spectra `a`, `b` combine into `c` (element-wise; `c` may be `a` or `b`).
enum SpectrumProduct {
    /// c = a·b (convolution).
    case multiply
    /// c += a·b (MIMO accumulation over inputs).
    case multiplyAdd
    /// c = conj(a)·b (correlation: the adjoint of convolution by `a`).
    case conjugateMultiply
    /// c += conj(a)·b (correlation accumulated over a batch).
    case conjugateMultiplyAdd
}

/// Combines `count` complex values of `a` and `b` into `c` as `op` says.
/// - Complexity: O(count), memory-bound.
func combineSpectra<S: FFTScalar>(_ op: SpectrumProduct, _ a: UnsafePointer<Complex<S>>, _ b: UnsafePointer<Complex<S>>,
                                  into c: UnsafeMutablePointer<Complex<S>>, count: Int) {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), rc = UnsafeMutableRawPointer(c)
    switch S.fftPrecision {
    case .double:
        combine(op, ra.assumingMemoryBound(to: Double.self), rb.assumingMemoryBound(to: Double.self),
                rc.assumingMemoryBound(to: Double.self), count)
    case .single:
        combine(op, ra.assumingMemoryBound(to: Float.self), rb.assumingMemoryBound(to: Float.self),
                rc.assumingMemoryBound(to: Float.self), count)
    }
}

@inline(__always)
private func combine<T: BinaryFloatingPoint>(_ op: SpectrumProduct, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                                             _ c: UnsafeMutablePointer<T>, _ count: Int) {
    switch op {
    case .multiply:
        for i in 0..<count {
            let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
            c[2 * i] = ar * br - ai * bi
            c[2 * i + 1] = ar * bi + ai * br
        }
    case .multiplyAdd:
        for i in 0..<count {
            let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
            c[2 * i] += ar * br - ai * bi
            c[2 * i + 1] += ar * bi + ai * br
        }
    case .conjugateMultiply:
        for i in 0..<count {
            let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
            c[2 * i] = ar * br + ai * bi
            c[2 * i + 1] = ar * bi - ai * br
        }
    case .conjugateMultiplyAdd:
        for i in 0..<count {
            let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
            c[2 * i] += ar * br + ai * bi
            c[2 * i + 1] += ar * bi - ai * br
        }
    }
}

/// `dst[i] = scale · src[i]` for `i < count` (the 1/n of an inverse FFT, applied on copy-out).
func scaledCopy<S: FFTScalar>(from src: UnsafePointer<S>, to dst: UnsafeMutablePointer<S>, count: Int, scale: Double) {
    let rs = UnsafeRawPointer(src), rd = UnsafeMutableRawPointer(dst)
    switch S.fftPrecision {
    case .double:
        let s = rs.assumingMemoryBound(to: Double.self), d = rd.assumingMemoryBound(to: Double.self)
        for i in 0..<count { d[i] = scale * s[i] }
    case .single:
        let s = rs.assumingMemoryBound(to: Float.self), d = rd.assumingMemoryBound(to: Float.self)
        let f = Float(scale)
        for i in 0..<count { d[i] = f * s[i] }
    }
}

/// `dst[i] = scale · src[count − 1 − i]`: a scaled, time-reversed copy (used by the adjoints).
func scaledReversedCopy<S: FFTScalar>(from src: UnsafePointer<S>, to dst: UnsafeMutablePointer<S>, count: Int, scale: Double) {
    let rs = UnsafeRawPointer(src), rd = UnsafeMutableRawPointer(dst)
    switch S.fftPrecision {
    case .double:
        let s = rs.assumingMemoryBound(to: Double.self), d = rd.assumingMemoryBound(to: Double.self)
        for i in 0..<count { d[i] = scale * s[count - 1 - i] }
    case .single:
        let s = rs.assumingMemoryBound(to: Float.self), d = rd.assumingMemoryBound(to: Float.self)
        let f = Float(scale)
        for i in 0..<count { d[i] = f * s[count - 1 - i] }
    }
}

/// Copies `count` values of `src` to `dst` and zeroes `dst[count ..< paddedCount]`:
/// one row of zero-padded FFT input.
@inline(__always)
func copyZeroPadded<S: FFTScalar>(from src: UnsafePointer<S>, count: Int, to dst: UnsafeMutablePointer<S>, paddedCount: Int) {
    if count > 0 { UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * MemoryLayout<S>.stride) }
    zeroFill(dst + count, count: paddedCount - count)
}

/// Zeroes `count` scalars at `dst` (a memset; typed, so the memory stays bound to `S`).
@inline(__always)
func zeroFill<S: FFTScalar>(_ dst: UnsafeMutablePointer<S>, count: Int) {
    guard count > 0 else { return }
    let raw = UnsafeMutableRawPointer(dst)
    switch S.fftPrecision {
    case .double: raw.assumingMemoryBound(to: Double.self).update(repeating: 0, count: count)
    case .single: raw.assumingMemoryBound(to: Float.self).update(repeating: 0, count: count)
    }
}
