// FFTScalar.swift — the two precisions FFTW is linked for (libfftw3 and libfftw3f).
//
// Generic code in Spectral is written once over `FFTScalar`; every call that touches memory in
// bulk (an FFTW execute, a spectrum product, a scaled copy) dispatches on `fftPrecision` to a
// concrete Double or Float routine. So a generic entry point called unspecialised from another
// module still runs specialised inner loops.

import Numerics

/// The floating-point precision of a transform: FFTW's `fftwf_*` (single) or `fftw_*` (double).
public enum FFTPrecision: Sendable, Hashable, CustomStringConvertible {
    case single, double

    public var description: String { self == .single ? "float32" : "float64" }
}

/// A real scalar FFTW can transform: `Float` and `Double` only.
///
/// `Complex<Self>` (swift-numerics) has the layout of FFTW's interleaved complex type
/// (`{re, im}`, 16 bytes for Double, 8 for Float), so spectra are passed to FFTW by rebinding
/// the memory, never by copying. Do not conform other types: the library rebinds memory to
/// `Double`/`Float` according to `fftPrecision`.
public protocol FFTScalar: Real, BinaryFloatingPoint, Sendable {
    /// Which FFTW library transforms values of this type.
    static var fftPrecision: FFTPrecision { get }
}

extension Double: FFTScalar {
    public static var fftPrecision: FFTPrecision { .double }
}

extension Float: FFTScalar {
    public static var fftPrecision: FFTPrecision { .single }
}

extension FFTScalar {
    /// Checks that the conforming type really is the one its precision claims.
    @inline(__always)
    static func checkLayout() {
        precondition(MemoryLayout<Self>.size == (fftPrecision == .double ? 8 : 4)) // invariant: only Float and Double conform
    }
}
