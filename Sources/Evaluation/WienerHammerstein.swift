// WienerHammerstein.swift — linear filter → static nonlinearity → linear filter.
//
//     v[t] = (G1 u)[t],   w[t] = f(v[t]),   y[t] = (G2 w)[t]
//
// the block structure of the Wiener–Hammerstein benchmark (Schoukens, Suykens & Ljung,
// "Wiener-Hammerstein benchmark", SYSID 2009). Defaults: G1 a resonant second-order section
// with poles 0.9·e^{±iπ/8} and unit DC gain, f(v) = tanh(v), G2 a first-order low-pass with pole
// 0.7 and unit DC gain. SISO.

import LinearAlgebra
import Numerics

/// A memoryless nonlinearity f.
public enum StaticNonlinearity: Sendable, Equatable {
    /// f(v) = tanh(g·v) / g (slope 1 at 0), g > 0.
    case tanh(gain: Double)
    /// f(v) = v + c·v³.
    case cubic(Double)
    /// f(v) = clamp(v, −L, L).
    case saturation(limit: Double)
    /// f(v) = sign(v)·max(|v| − w, 0).
    case deadZone(width: Double)

    public func callAsFunction(_ v: Double) -> Double {
        switch self {
        case let .tanh(g): return Double.tanh(g * v) / g
        case let .cubic(c): return v + c * v * v * v
        case let .saturation(l): return min(max(v, -l), l)
        case let .deadZone(w): return v > w ? v - w : (v < -w ? v + w : 0)
        }
    }
}

/// The Wiener–Hammerstein system G2 ∘ f ∘ G1.
public struct WienerHammerstein: SystemSimulator {
    public var first: DigitalFilter
    public var nonlinearity: StaticNonlinearity
    public var second: DigitalFilter
    public var sampleTime: Double?

    public init(first: DigitalFilter = .resonator(radius: 0.9, angle: Double.pi / 8),
                nonlinearity: StaticNonlinearity = .tanh(gain: 1),
                second: DigitalFilter = .firstOrderLowpass(pole: 0.7), sampleTime: Double? = nil) {
        self.first = first
        self.nonlinearity = nonlinearity
        self.second = second
        self.sampleTime = sampleTime
    }

    public var inputCount: Int { 1 }
    public var outputCount: Int { 1 }

    /// - Complexity: O(L).
    public func simulate(_ input: Matrix) -> Matrix {
        precondition(input.cols == 1, "Wiener–Hammerstein is SISO") // invariant: programmer misuse
        let w = first.apply(input.elements).map { nonlinearity($0) }
        return .column(second.apply(w))
    }
}
