// VectorMath.swift — SIMD elementary functions for the point-wise layers: eˣ, tanh, σ, erf,
// erfc, and GELU (exact and tanh approximation) with their derivatives.
//
// Goals, in priority order:
//  1. Accuracy at the level of the precision's rounding over the whole range, including the
//     special values of the C library: ±0, subnormals, large |x|, ±∞ and NaN (NaN in → NaN out).
//  2. Branch-free code that runs eight Float lanes (SIMD8, AVX2 or two SSE registers) or four
//     Double lanes at a time on the baseline x86-64 target: no libm calls, no FMA (baseline
//     x86-64 has none and `addingProduct` would become a library call), and lane selects as
//     bit operations on integer masks (see VectorMath+Float.swift for why not `replacing`).
//  3. One kernel per function for both uses: a layer's forward that also needs the derivative
//     (GELU in training) gets both from one pass; value-only callers let the optimiser drop
//     the derivative.
//
// Methods:
//  * eˣ: W. J. Cody and W. Waite, "Software Manual for the Elementary Functions" (1980):
//    x = n ln 2 + r with a two-part ln 2, |r| ≤ ln 2 / 2, e^r = 1 + r + r² Q(r) with a minimax
//    Q, 2ⁿ built in the exponent field as two normal factors (gradual underflow rounds once).
//  * tanh: an odd minimax polynomial near 0, (1 − e)/(1 + e) with e = e^(−2|x|) beyond 0.625.
//  * σ: 1/(1 + e) or e/(1 + e) with e = e^(−|x|), so nothing overflows.
//  * erf/erfc: an odd minimax polynomial for |x| < ½; beyond, erfc a = e^(−a²) R(a) with R a
//    polynomial in a itself on [½, 2] (no rounded derived variable whose error R would
//    amplify) and (1/a) S(·) beyond (S = a R varies slowly, out to where erfc underflows), and
//    e^(−a²) of the exactly squared argument (Dekker's product, then the exponential of a
//    double-word argument), which keeps the relative error flat instead of growing like a².
//  * GELU: Φ(x) from erfc on the left tail (no 1 + erf cancellation), φ(x) from the same
//    exponential; the tanh form as x σ(2u), whose left tail has no cancellation either.
// Coefficients come from Tests/Fixtures/generate/vector_math_coefficients.py (Remez exchange in
// 60-digit arithmetic, then rounded to the target precision).
//
// Measured maximum error (ulp of the result) against the C library in the next precision —
// glibc's double functions for Float, its long-double (x87) functions for Double — on grids
// of ~10⁵ points from the smallest subnormal out to where each function saturates or
// underflows (VectorMathTests checks bounds with a margin over these):
//
//   function            Float    Double
//   exp                 0.95     1.0
//   tanh                1.5      1.5
//   sigmoid             2.4      2.4
//   erf                 2.4      1.6
//   erfc                4.3      3.8
//   GELU x Φ(x)         5.0      4.5
//   GELU′               2.8      3.0     (ulp of |Φ| + |x φ|: the derivative crosses 0 at −0.75)
//   GELU-tanh, ′        3.1, 2.7 3.3, 3.2 (ulp of the error an input rounding causes: on the
//                                          left tail u = √(2/π)(x + 0.044715x³) is
//                                          ill-conditioned, for libm's formula too)
// Special values: exp(−∞) = 0, exp(+∞) = +∞, tanh(±0) = ±0, erf(±∞) = ±1, σ(±∞) = 1, 0,
// GELU(−∞) = −0 (libm's x(1 + erf) gives NaN there), NaN → NaN everywhere.
//
// The plain scalar reference path (libm through swift-numerics) is `VectorMath.reference…`
// below and `ActivationKind.applyReference`/`backwardReference`; the tests compare the two.

import LinearAlgebra
import Numerics

/// Namespace of the SIMD elementary functions (file header: methods and error bounds).
public enum VectorMath {}

/// A scalar with SIMD kernels for the elementary functions: `Float` (eight lanes) and
/// `Double` (four lanes). Generic layer code calls these through `VectorMath`'s buffer loops.
public protocol VectorMathScalar: BinaryFloatingPoint, SIMDScalar, Codable {
    associatedtype Lanes: SIMD where Lanes.Scalar == Self
    static func vectorExp(_ x: Lanes) -> Lanes
    static func vectorTanh(_ x: Lanes) -> Lanes
    static func vectorSigmoid(_ x: Lanes) -> Lanes
    static func vectorErf(_ x: Lanes) -> Lanes
    static func vectorErfc(_ x: Lanes) -> Lanes
    static func vectorGELU(_ x: Lanes) -> (value: Lanes, derivative: Lanes)
    static func vectorGELUTanh(_ x: Lanes) -> (value: Lanes, derivative: Lanes)
}

extension Float: VectorMathScalar {
    public typealias Lanes = SIMD8<Float>
    @inline(__always) public static func vectorExp(_ x: Lanes) -> Lanes { VectorMath.exp(x) }
    @inline(__always) public static func vectorTanh(_ x: Lanes) -> Lanes { VectorMath.tanh(x) }
    @inline(__always) public static func vectorSigmoid(_ x: Lanes) -> Lanes { VectorMath.sigmoid(x) }
    @inline(__always) public static func vectorErf(_ x: Lanes) -> Lanes { VectorMath.erf(x) }
    @inline(__always) public static func vectorErfc(_ x: Lanes) -> Lanes { VectorMath.erfc(x) }
    @inline(__always) public static func vectorGELU(_ x: Lanes) -> (value: Lanes, derivative: Lanes) { VectorMath.gelu(x) }
    @inline(__always) public static func vectorGELUTanh(_ x: Lanes) -> (value: Lanes, derivative: Lanes) { VectorMath.geluTanh(x) }
}

extension Double: VectorMathScalar {
    public typealias Lanes = SIMD4<Double>
    @inline(__always) public static func vectorExp(_ x: Lanes) -> Lanes { VectorMath.exp(x) }
    @inline(__always) public static func vectorTanh(_ x: Lanes) -> Lanes { VectorMath.tanh(x) }
    @inline(__always) public static func vectorSigmoid(_ x: Lanes) -> Lanes { VectorMath.sigmoid(x) }
    @inline(__always) public static func vectorErf(_ x: Lanes) -> Lanes { VectorMath.erf(x) }
    @inline(__always) public static func vectorErfc(_ x: Lanes) -> Lanes { VectorMath.erfc(x) }
    @inline(__always) public static func vectorGELU(_ x: Lanes) -> (value: Lanes, derivative: Lanes) { VectorMath.gelu(x) }
    @inline(__always) public static func vectorGELUTanh(_ x: Lanes) -> (value: Lanes, derivative: Lanes) { VectorMath.geluTanh(x) }
}

// MARK: Loops over buffers

extension VectorMath {
    /// The lanes at `p[0 ..< W]`.
    @inline(__always)
    public static func load<S: VectorMathScalar>(_ p: UnsafePointer<S>) -> S.Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: S.Lanes.self)
    }

    /// `p[0 ..< W] = v`.
    @inline(__always)
    public static func store<S: VectorMathScalar>(_ v: S.Lanes, _ p: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: S.Lanes.self)
    }

    /// The first `count < W` lanes from `p`, zeros in the others.
    @inline(__always)
    public static func load<S: VectorMathScalar>(_ p: UnsafePointer<S>, count: Int) -> S.Lanes {
        var v = S.Lanes()
        for k in 0..<count { v[k] = p[k] }
        return v
    }

    /// `p[0 ..< count] = v[0 ..< count]` for `count < W`.
    @inline(__always)
    public static func store<S: VectorMathScalar>(_ v: S.Lanes, _ p: UnsafeMutablePointer<S>, count: Int) {
        for k in 0..<count { p[k] = v[k] }
    }

    // The buffer loops below are written out per function (no closure parameter): a kernel
    // passed as a closure was measured to stay an out-of-line call per lane group, with its
    // vectors split into 128-bit halves. Each loop runs the full lane groups with the kernel
    // inlined once; the last partial group is copied into a zero-padded scratch group and run
    // through the same function again (a second inlined copy for a partial group was measured
    // to derail the vector code of the main loop). So every element goes through the same
    // kernel; `x` and `y` may alias.

    /// Runs `body` on a zero-padded lane group holding the `count < W` remaining inputs (inputs
    /// at `scratch[0 ..< W]`, outputs at `scratch[W ..< 2W]` and `scratch[2W ..< 3W]`), then
    /// copies `count` results of each output back.
    @inline(__always)
    static func paddedTail<S: VectorMathScalar>(_ src: UnsafePointer<S>, count: Int,
                                                into first: UnsafeMutablePointer<S>, _ second: UnsafeMutablePointer<S>?,
                                                _ body: (UnsafeBufferPointer<S>, UnsafeMutableBufferPointer<S>, UnsafeMutableBufferPointer<S>) -> Void) {
        let w = S.Lanes.scalarCount
        withUnsafeTemporaryAllocation(of: S.self, capacity: 3 * w) { scratch in
            let base = scratch.baseAddress!
            base.initialize(repeating: 0, count: 3 * w)
            for k in 0..<count { base[k] = src[k] }
            body(UnsafeBufferPointer(start: base, count: w), UnsafeMutableBufferPointer(start: base + w, count: w),
                 UnsafeMutableBufferPointer(start: base + 2 * w, count: w))
            for k in 0..<count { first[k] = base[w + k] }
            if let second { for k in 0..<count { second[k] = base[2 * w + k] } }
        }
    }

    /// `y = eˣ` element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func exp<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorExp(load(src + i)), dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in exp(x, into: y) } }
    }

    /// `y = tanh x` element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func tanh<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorTanh(load(src + i)), dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in tanh(x, into: y) } }
    }

    /// `y = σ(x)` element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func sigmoid<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorSigmoid(load(src + i)), dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in sigmoid(x, into: y) } }
    }

    /// `y = erf x` element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func erf<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorErf(load(src + i)), dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in erf(x, into: y) } }
    }

    /// `y = erfc x` element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func erfc<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorErfc(load(src + i)), dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in erfc(x, into: y) } }
    }

    /// `y = x Φ(x)` (exact GELU) element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func gelu<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorGELU(load(src + i)).value, dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in gelu(x, into: y) } }
    }

    /// `y = x Φ(x)` and `d = Φ(x) + x φ(x)` in one pass. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func gelu<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>,
                                                 derivative d: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count && x.count == d.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress, let der = d.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n {
            let r = S.vectorGELU(load(src + i))
            store(r.value, dst + i)
            store(r.derivative, der + i)
            i += w
        }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, der + i) { gelu($0, into: $1, derivative: $2) } }
    }

    /// Tanh-approximation GELU element-wise. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func geluTanh<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(S.vectorGELUTanh(load(src + i)).value, dst + i); i += w }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, nil) { x, y, _ in geluTanh(x, into: y) } }
    }

    /// Tanh-approximation GELU and its derivative in one pass. - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func geluTanh<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>,
                                                     derivative d: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count && x.count == d.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let src = x.baseAddress, let dst = y.baseAddress, let der = d.baseAddress else { return }
        let n = x.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n {
            let r = S.vectorGELUTanh(load(src + i))
            store(r.value, dst + i)
            store(r.derivative, der + i)
            i += w
        }
        if i < n { paddedTail(src + i, count: n - i, into: dst + i, der + i) { geluTanh($0, into: $1, derivative: $2) } }
    }

    /// `dx[i] = dy[i] · GELU′(x[i])` (`dx` may alias `dy`). - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func scaleByGELUDerivative<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, _ dy: UnsafeBufferPointer<S>,
                                                                  into dx: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == dx.count && dy.count == dx.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let px = x.baseAddress, let pg = dy.baseAddress, let out = dx.baseAddress else { return }
        let n = dx.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(load(pg + i) * S.vectorGELU(load(px + i)).derivative, out + i); i += w }
        if i < n {
            // The upstream gradients ride in the second scratch group (read before written).
            let tail = n - i
            paddedTail(px + i, count: tail, into: out + i, nil) { xs, result, upstream in
                for k in 0..<tail { upstream[k] = pg[i + k] }
                scaleByGELUDerivative(xs, UnsafeBufferPointer(upstream), into: result)
            }
        }
    }

    /// `dx[i] = dy[i] · GELU-tanh′(x[i])` (`dx` may alias `dy`). - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func scaleByGELUTanhDerivative<S: VectorMathScalar>(_ x: UnsafeBufferPointer<S>, _ dy: UnsafeBufferPointer<S>,
                                                                      into dx: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == dx.count && dy.count == dx.count, "VectorMath: buffers differ in length") // invariant: caller sizes buffers
        guard let px = x.baseAddress, let pg = dy.baseAddress, let out = dx.baseAddress else { return }
        let n = dx.count, w = S.Lanes.scalarCount
        var i = 0
        while i + w <= n { store(load(pg + i) * S.vectorGELUTanh(load(px + i)).derivative, out + i); i += w }
        if i < n {
            // The upstream gradients ride in the second scratch group (read before written).
            let tail = n - i
            paddedTail(px + i, count: tail, into: out + i, nil) { xs, result, upstream in
                for k in 0..<tail { upstream[k] = pg[i + k] }
                scaleByGELUTanhDerivative(xs, UnsafeBufferPointer(upstream), into: result)
            }
        }
    }
}

// MARK: Scalar reference path (libm through swift-numerics)

extension VectorMath {
    /// Exact GELU and its derivative from the C library: `y = x (1 + erf(x/√2))/2`,
    /// `y' = (1 + erf(x/√2))/2 + x e^(−x²/2)/√(2π)` — the textbook formula the fast path replaces.
    @inlinable
    public static func referenceGELU<S: Real & BinaryFloatingPoint>(_ x: S) -> (value: S, derivative: S) {
        let cdf: S = (1 + S.erf(x / S.sqrt(2))) / 2
        let density: S = S.exp(-x * x / 2) / S.sqrt(2 * S.pi)
        return (x * cdf, cdf + x * density)
    }

    /// Tanh-approximation GELU and its derivative from the C library's `tanh`.
    @inlinable
    public static func referenceGELUTanh<S: Real & BinaryFloatingPoint>(_ x: S) -> (value: S, derivative: S) {
        let c: S = S.sqrt(2 / S.pi), a: S = 0.044715
        let x2: S = x * x
        let t: S = S.tanh(c * (x + a * x2 * x))
        let du: S = c * (1 + 3 * a * x2)
        let half: S = (1 + t) / 2
        return (x * half, half + x * (1 - t * t) * du / 2)
    }
}
