// VectorMathTests.swift — the SIMD elementary functions against the C library.
//
// Float results are compared with glibc's double-precision functions rounded once, Double
// results with glibc's long-double (x87, 64-bit significand) functions, on dense grids that
// cover every branch of the kernels (the polynomial cores, the range-reduced and asymptotic
// regions, overflow and gradual underflow) plus the special values. The tolerances are the
// error bounds documented in VectorMath.swift, written as a relative tolerance of k units of
// the precision's epsilon (one ulp is between ε/2 and ε of a normal result) and an absolute
// floor of k units of the smallest subnormal for results that underflow.

import Glibc
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// Grid points covering [-limit, limit] densely near 0 and in every binade out to `limit`.
func vectorMathGrid(limit: Double, uniform: Int = 40_000, logarithmic: Int = 40_000) -> [Double] {
    var xs = [Double]()
    for i in 0...uniform { xs.append(-limit + 2 * limit * Double(i) / Double(uniform)) }
    let lo = Glibc.log(Double.leastNonzeroMagnitude), hi = Glibc.log(limit)
    for i in 0...logarithmic {
        let m = Glibc.exp(lo + (hi - lo) * Double(i) / Double(logarithmic))
        xs.append(m)
        xs.append(-m)
    }
    return xs
}

/// Runs a Float lane kernel over `xs` (as Float), eight at a time.
func floatLanes(_ xs: [Double], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
    var out = [Float]()
    out.reserveCapacity(xs.count + 8)
    var i = 0
    while i < xs.count {
        var v = SIMD8<Float>()
        for k in 0..<8 where i + k < xs.count { v[k] = Float(xs[i + k]) }
        let y = f(v)
        for k in 0..<8 where i + k < xs.count { out.append(y[k]) }
        i += 8
    }
    return out
}

/// Runs a Double lane kernel over `xs`, four at a time.
func doubleLanes(_ xs: [Double], _ f: (SIMD4<Double>) -> SIMD4<Double>) -> [Double] {
    var out = [Double]()
    out.reserveCapacity(xs.count + 4)
    var i = 0
    while i < xs.count {
        var v = SIMD4<Double>()
        for k in 0..<4 where i + k < xs.count { v[k] = xs[i + k] }
        let y = f(v)
        for k in 0..<4 where i + k < xs.count { out.append(y[k]) }
        i += 4
    }
    return out
}

/// Checks Float results against a double-precision reference within `ulps` (finite results).
func expectFloatAccuracy(_ name: String, grid: [Double], ulps: Double, _ f: (SIMD8<Float>) -> SIMD8<Float>,
                         reference: (Double) -> Double, sourceLocation: SourceLocation = #_sourceLocation) {
    let xs = grid.map { Double(Float($0)) }
    let ys = floatLanes(xs, f)
    var got = [Double](), want = [Double]()
    for (x, y) in zip(xs, ys) {
        let r = Double(Float(reference(x)))
        guard r.isFinite else { continue }                 // overflow is checked with the special values
        got.append(Double(y))
        want.append(reference(x))
    }
    // One ulp of a normal Float result is at most 2⁻²³ relative; subnormal results have an
    // absolute ulp of 2⁻¹⁴⁹.
    expectClose(got, want, rtol: ulps * 0x1p-23, atol: ulps * 0x1p-149, "\(name) (Float)", sourceLocation: sourceLocation)
}

/// Checks Double results against a long-double reference within `ulps`.
func expectDoubleAccuracy(_ name: String, grid: [Double], ulps: Double, _ f: (SIMD4<Double>) -> SIMD4<Double>,
                          reference: (Float80) -> Float80, sourceLocation: SourceLocation = #_sourceLocation) {
    let ys = doubleLanes(grid, f)
    var got = [Double](), want = [Double]()
    for (x, y) in zip(grid, ys) {
        let r = Double(reference(Float80(x)))
        guard r.isFinite else { continue }
        got.append(y)
        want.append(r)
    }
    // The reference rounded to Double adds up to half an ulp, counted in `ulps`.
    expectClose(got, want, rtol: ulps * 0x1p-52, atol: ulps * 0x1p-1074, "\(name) (Double)", sourceLocation: sourceLocation)
}

@Suite struct VectorMathTests {
    @Test func exponential() {
        let grid = vectorMathGrid(limit: 120)
        expectFloatAccuracy("exp", grid: grid, ulps: 1.5, VectorMath.exp, reference: { Glibc.exp($0) })
        expectDoubleAccuracy("exp", grid: vectorMathGrid(limit: 760), ulps: 1.5, VectorMath.exp, reference: { Glibc.expl($0) })
    }

    @Test func hyperbolicTangent() {
        expectFloatAccuracy("tanh", grid: vectorMathGrid(limit: 30), ulps: 2, VectorMath.tanh, reference: { Glibc.tanh($0) })
        expectDoubleAccuracy("tanh", grid: vectorMathGrid(limit: 40), ulps: 2, VectorMath.tanh, reference: { Glibc.tanhl($0) })
    }

    @Test func logistic() {
        expectFloatAccuracy("sigmoid", grid: vectorMathGrid(limit: 120), ulps: 3, VectorMath.sigmoid,
                            reference: { 1 / (1 + Glibc.exp(-$0)) })
        expectDoubleAccuracy("sigmoid", grid: vectorMathGrid(limit: 760), ulps: 3, VectorMath.sigmoid,
                             reference: { 1 / (1 + Glibc.expl(-$0)) })
    }

    @Test func errorFunctions() {
        expectFloatAccuracy("erf", grid: vectorMathGrid(limit: 12), ulps: 3, VectorMath.erf, reference: { Glibc.erf($0) })
        expectFloatAccuracy("erfc", grid: vectorMathGrid(limit: 12), ulps: 5, VectorMath.erfc, reference: { Glibc.erfc($0) })
        expectDoubleAccuracy("erf", grid: vectorMathGrid(limit: 30), ulps: 3, VectorMath.erf, reference: { Glibc.erfl($0) })
        expectDoubleAccuracy("erfc", grid: vectorMathGrid(limit: 30), ulps: 5, VectorMath.erfc, reference: { Glibc.erfcl($0) })
    }

    @Test func exactGELU() {
        // Reference x Φ(x) = x erfc(−x/√2)/2 in the higher precision (no 1 + erf cancellation).
        expectFloatAccuracy("gelu", grid: vectorMathGrid(limit: 20), ulps: 6, { VectorMath.gelu($0).value },
                            reference: { $0 * Glibc.erfc(-$0 / 2.0.squareRoot()) / 2 })
        expectDoubleAccuracy("gelu", grid: vectorMathGrid(limit: 45), ulps: 6, { VectorMath.gelu($0).value },
                             reference: { $0 * Glibc.erfcl(-$0 / Float80(2).squareRoot()) / 2 })
        // The derivative Φ(x) + x φ(x) crosses zero near x = −0.75: measure its error against the
        // size of its two terms, |Φ(x)| + |x φ(x)|, the scale of the rounding errors it inherits.
        for (lanes, epsilon) in [(8, 0x1p-23), (4, 0x1p-52)] {
            let grid = vectorMathGrid(limit: lanes == 8 ? 20 : 45)
            let d = lanes == 8 ? floatLanes(grid) { VectorMath.gelu($0).derivative }.map(Double.init)
                               : doubleLanes(grid) { VectorMath.gelu($0).derivative }
            var scaled = [Double](), reference = [Double]()
            for (x, value) in zip(grid, d) {
                let xr = lanes == 8 ? Float80(Float(x)) : Float80(x)
                let cdf = Glibc.erfcl(-xr / Float80(2).squareRoot()) / 2
                let term = xr * Glibc.expl(-xr * xr / 2) / (2 * Float80.pi).squareRoot()
                let scale = Swift.max(Double(cdf + Swift.abs(term)), lanes == 8 ? Double(Float.leastNormalMagnitude) : Double.leastNormalMagnitude)
                scaled.append(value / scale)
                reference.append(Double(cdf + term) / scale)
            }
            expectClose(scaled, reference, rtol: 0, atol: 6 * epsilon, "gelu′ (\(lanes) lanes)")
        }
    }

    @Test func tanhGELU() {
        // x σ(2u) is ill-conditioned on its left tail (|x ∂y/∂x| ≫ |y|: u carries the rounding of
        // x³); measure the error against max(|y|, |x y′|), the size of the error an input
        // rounding alone causes.
        func reference(_ x: Float80) -> (value: Float80, derivative: Float80) {
            let c = (2 / Float80.pi).squareRoot(), k: Float80 = 0.044715
            let u = c * (x + k * x * x * x)
            let s = 1 / (1 + Glibc.expl(-2 * u))
            return (x * s, s + x * 2 * s * (1 - s) * c * (1 + 3 * k * x * x))
        }
        for (lanes, epsilon) in [(8, 0x1p-23), (4, 0x1p-52)] {
            let grid = vectorMathGrid(limit: lanes == 8 ? 20 : 45)
            let pairs: [(Double, Double)] = lanes == 8
                ? zip(floatLanes(grid) { VectorMath.geluTanh($0).value }, floatLanes(grid) { VectorMath.geluTanh($0).derivative }).map { (Double($0), Double($1)) }
                : zip(doubleLanes(grid) { VectorMath.geluTanh($0).value }, doubleLanes(grid) { VectorMath.geluTanh($0).derivative }).map { ($0, $1) }
            let tiny = lanes == 8 ? Double(Float.leastNormalMagnitude) : Double.leastNormalMagnitude
            var values = [Double](), valueRefs = [Double](), slopes = [Double](), slopeRefs = [Double]()
            for (x, (y, d)) in zip(grid, pairs) {
                let xr = lanes == 8 ? Float80(Float(x)) : Float80(x)
                let r = reference(xr)
                let valueScale = Swift.max(Double(Swift.abs(r.value)), Double(Swift.abs(xr * r.derivative)), tiny)
                values.append(y / valueScale)
                valueRefs.append(Double(r.value) / valueScale)
                // The derivative s + x·2s(1 − s)·u′ crosses zero near x = −0.75 and inherits the
                // conditioning of σ(2u): scale by its terms' sizes times max(1, |2u|).
                let c = (2 / Float80.pi).squareRoot()
                let u = c * (xr + 0.044715 * xr * xr * xr)
                let s = 1 / (1 + Glibc.expl(-2 * u))
                let terms = Swift.abs(s) + Swift.abs(r.derivative - s)
                let slopeScale = Swift.max(Double(terms) * Swift.max(1, Double(Swift.abs(2 * u))), tiny)
                slopes.append(d / slopeScale)
                slopeRefs.append(Double(r.derivative) / slopeScale)
            }
            expectClose(values, valueRefs, rtol: 0, atol: 6 * epsilon, "geluTanh (\(lanes) lanes)")
            expectClose(slopes, slopeRefs, rtol: 0, atol: 6 * epsilon, "geluTanh′ (\(lanes) lanes)")
        }
    }

    @Test func specialValuesFloat() {
        let x = SIMD8<Float>(0, -0.0, .infinity, -.infinity, .nan, Float.leastNonzeroMagnitude, -Float.leastNormalMagnitude, 200)
        let e = VectorMath.exp(x)
        #expect(e[0] == 1 && e[1] == 1 && e[2] == .infinity && e[3] == 0 && e[4].isNaN && e[5] == 1 && e[7] == .infinity)
        let t = VectorMath.tanh(x)
        #expect(t[0] == 0 && t[0].sign == .plus && t[1] == 0 && t[1].sign == .minus)
        #expect(t[2] == 1 && t[3] == -1 && t[4].isNaN && t[5] == Float.leastNonzeroMagnitude && t[6] == -Float.leastNormalMagnitude)
        let s = VectorMath.sigmoid(x)
        #expect(s[0] == 0.5 && s[1] == 0.5 && s[2] == 1 && s[3] == 0 && s[4].isNaN && s[7] == 1)
        let f = VectorMath.erf(x)
        #expect(f[0] == 0 && f[1].sign == .minus && f[2] == 1 && f[3] == -1 && f[4].isNaN && f[5] > 0)
        let c = VectorMath.erfc(x)
        #expect(c[0] == 1 && c[2] == 0 && c[3] == 2 && c[4].isNaN && c[7] == 0)
        let g = VectorMath.gelu(x)
        #expect(g.value[0] == 0 && g.value[2] == .infinity && g.value[3] == 0 && g.value[4].isNaN && g.value[7] == 200)
        // At −∞ the derivative is the (subnormal at most) value of the clamped tail, not exactly 0.
        #expect(g.derivative[0] == 0.5 && g.derivative[2] == 1 && g.derivative[3].magnitude < Float.leastNormalMagnitude && g.derivative[4].isNaN)
        let h = VectorMath.geluTanh(x)
        #expect(h.value[0] == 0 && h.value[2] == .infinity && h.value[3] == 0 && h.value[4].isNaN && h.value[7] == 200)
        #expect(h.derivative[0] == 0.5 && h.derivative[2] == 1 && h.derivative[3].magnitude < Float.leastNormalMagnitude && h.derivative[4].isNaN)
    }

    @Test func specialValuesDouble() {
        let a = SIMD4<Double>(0, -0.0, .infinity, -.infinity), b = SIMD4<Double>(.nan, Double.leastNonzeroMagnitude, -1e-300, 800)
        #expect(VectorMath.exp(a) == SIMD4(1, 1, .infinity, 0))
        #expect(VectorMath.exp(b)[0].isNaN && VectorMath.exp(b)[1] == 1 && VectorMath.exp(b)[3] == .infinity)
        let t = VectorMath.tanh(a)
        #expect(t[0] == 0 && t[1].sign == .minus && t[2] == 1 && t[3] == -1 && VectorMath.tanh(b)[0].isNaN)
        #expect(VectorMath.tanh(b)[1] == Double.leastNonzeroMagnitude)
        #expect(VectorMath.sigmoid(a) == SIMD4(0.5, 0.5, 1, 0) && VectorMath.sigmoid(b)[0].isNaN)
        #expect(VectorMath.erf(a) == SIMD4(0, 0, 1, -1) && VectorMath.erf(a)[1].sign == .minus && VectorMath.erf(b)[0].isNaN)
        #expect(VectorMath.erfc(a) == SIMD4(1, 1, 0, 2) && VectorMath.erfc(b)[3] == 0)
        let g = VectorMath.gelu(a)
        #expect(g.value[0] == 0 && g.value[2] == .infinity && g.value[3] == 0 && g.derivative[0] == 0.5 && g.derivative[2] == 1)
        #expect(VectorMath.gelu(b).value[0].isNaN && VectorMath.gelu(b).value[3] == 800)
        let h = VectorMath.geluTanh(a)
        #expect(h.value[2] == .infinity && h.value[3] == 0 && h.derivative[0] == 0.5 && h.derivative[2] == 1)
    }

    /// The buffer loops (full lane groups plus a zero-padded tail, in place or not) give the
    /// lane kernels' results for every element, at every length up to a few groups.
    @Test func bufferLoopsMatchLaneKernels() {
        var rng = SplitMix64(seed: 71)
        for n in 0...27 {
            let x = (0..<n).map { _ in Float(rng.uniform(-6, 6)) }
            let lanes = floatLanes(x.map(Double.init)) { VectorMath.gelu($0).value }
            let slopes = floatLanes(x.map(Double.init)) { VectorMath.gelu($0).derivative }
            var y = [Float](repeating: 0, count: n), d = y
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in d.withUnsafeMutableBufferPointer { VectorMath.gelu(px, into: py, derivative: $0) } }
            }
            expectClose(y.map(Double.init), lanes.map(Double.init), rtol: 0, atol: 0, "gelu buffer n = \(n)")
            expectClose(d.map(Double.init), slopes.map(Double.init), rtol: 0, atol: 0, "gelu′ buffer n = \(n)")
            var inPlace = x
            inPlace.withUnsafeMutableBufferPointer { p in VectorMath.exp(UnsafeBufferPointer(p), into: p) }
            let expected = floatLanes(x.map(Double.init), VectorMath.exp)
            expectClose(inPlace.map(Double.init), expected.map(Double.init), rtol: 0, atol: 0, "exp in place n = \(n)")
        }
    }
}
