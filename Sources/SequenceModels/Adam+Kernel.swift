// Adam+Kernel.swift — the per-element Adam/AdamW update as a concrete Float and Double loop.
//
// Generic code called from another module runs unspecialised (a witness call per element:
// ~700 instructions per parameter measured in an LSTM training step). `Adam.step` therefore
// dispatches once per parameter tensor through `AdamScalar.adamUpdate`, whose Float and Double
// implementations are concrete loops.

/// Coefficients of one Adam update of one parameter tensor (see `Adam` for the rule).
struct AdamCoefficients<Scalar: BinaryFloatingPoint> {
    var w: Scalar, beta2: Scalar, oneMinusBeta2: Scalar, epsilon: Scalar, denominatorScale: Scalar
    var stepSize: Scalar, l2: Scalar, shrink: Scalar
    var applyShrink: Bool, lerpLow: Bool
}

/// The Adam update loop written once and inlined into each concrete implementation.
@inline(__always)
func adamLoop<S: BinaryFloatingPoint>(_ theta: UnsafeMutablePointer<S>, _ g: UnsafePointer<S>, _ m: UnsafeMutablePointer<S>,
                                      _ v: UnsafeMutablePointer<S>, count: Int, _ c: AdamCoefficients<S>) {
    for i in 0..<count {
        if c.applyShrink { theta[i] = theta[i] * c.shrink }
        var gi = g[i]
        if c.l2 != 0 { gi = gi + c.l2 * theta[i] }
        m[i] = c.lerpLow ? m[i] + c.w * (gi - m[i]) : gi - (gi - m[i]) * (1 - c.w)
        v[i] = v[i] * c.beta2 + c.oneMinusBeta2 * gi * gi
        let denom = v[i].squareRoot() / c.denominatorScale + c.epsilon
        theta[i] = theta[i] + (-c.stepSize) * (m[i] / denom)
    }
}

/// Scalars with a concrete Adam update loop.
public protocol AdamScalar: BinaryFloatingPoint {
    /// One Adam update of `count` elements (internal coefficients; see `Adam.step`).
    static func adamUpdate(theta: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>, firstMoment: UnsafeMutablePointer<Self>,
                           secondMoment: UnsafeMutablePointer<Self>, count: Int, coefficients: UnsafeRawPointer)
}

extension Float: AdamScalar {
    public static func adamUpdate(theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
                                  secondMoment: UnsafeMutablePointer<Float>, count: Int, coefficients: UnsafeRawPointer) {
        adamLoop(theta, gradient, firstMoment, secondMoment, count: count, coefficients.load(as: AdamCoefficients<Float>.self))
    }
}

extension Double: AdamScalar {
    public static func adamUpdate(theta: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, firstMoment: UnsafeMutablePointer<Double>,
                                  secondMoment: UnsafeMutablePointer<Double>, count: Int, coefficients: UnsafeRawPointer) {
        adamLoop(theta, gradient, firstMoment, secondMoment, count: count, coefficients.load(as: AdamCoefficients<Double>.self))
    }
}
