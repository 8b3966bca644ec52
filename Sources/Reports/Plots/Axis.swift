// Axis.swift — axis specification and the data → pixel mapping.
//
// Linear:  p = p₀ + (v − lo) / (hi − lo) · (p₁ − p₀)
// Log10:   p = p₀ + (log₁₀ v − log₁₀ lo) / (log₁₀ hi − log₁₀ lo) · (p₁ − p₀), defined for v > 0.
// For a y axis p₀ is the bottom of the plot area and p₁ the top, so larger values are higher.

import Foundation

/// How data values are spaced along an axis.
public enum AxisScale: String, Hashable, Sendable {
    case linear
    /// Base-10 logarithmic; values ≤ 0 cannot be shown and break lines like NaN.
    case log10
}

/// What the user asks of an axis: label, scale and optionally a fixed range or tick step.
public struct Axis: Hashable, Sendable {
    public var label: String?
    public var scale: AxisScale
    /// A fixed domain; `nil` chooses one from the data (linear: extended to the nearest ticks;
    /// log: extended to whole decades when the data span at least two).
    public var range: ClosedRange<Double>?
    /// A fixed major tick step for a linear axis (e.g. 45 for phase in degrees); `nil` picks
    /// a 1-2-5 step.
    public var tickStep: Double?

    public init(_ label: String? = nil, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil,
                tickStep: Double? = nil) {
        precondition(range.map { $0.lowerBound < $0.upperBound && $0.lowerBound.isFinite && $0.upperBound.isFinite } ?? true, // invariant: programmer misuse
                     "axis range must be finite and non-empty")
        precondition(scale == .linear || (range?.lowerBound ?? 1) > 0, "a log axis range must be positive") // invariant: programmer misuse
        precondition(tickStep.map { $0 > 0 && $0.isFinite } ?? true, "tickStep must be positive") // invariant: programmer misuse
        self.label = label
        self.scale = scale
        self.range = range
        self.tickStep = tickStep
    }

    public static func linear(_ label: String? = nil, range: ClosedRange<Double>? = nil, tickStep: Double? = nil) -> Axis {
        Axis(label, scale: .linear, range: range, tickStep: tickStep)
    }
    public static func log(_ label: String? = nil, range: ClosedRange<Double>? = nil) -> Axis {
        Axis(label, scale: .log10, range: range)
    }
}

/// The mapping of one axis from data values to pixels.
public struct ScaleMap: Hashable, Sendable {
    public let scale: AxisScale
    /// Data domain shown on the axis (positive for log10).
    public let domain: ClosedRange<Double>
    /// Pixel coordinate of `domain.lowerBound`.
    public let start: Double
    /// Pixel coordinate of `domain.upperBound`.
    public let end: Double

    public init(scale: AxisScale, domain: ClosedRange<Double>, start: Double, end: Double) {
        precondition(domain.lowerBound < domain.upperBound, "empty axis domain") // invariant: the renderers widen degenerate domains
        precondition(scale == .linear || domain.lowerBound > 0, "log axis domain must be positive") // invariant: as above
        self.scale = scale
        self.domain = domain
        self.start = start
        self.end = end
    }

    /// The value in the axis' working coordinate (identity or log₁₀), `nil` if not representable.
    public func transformed(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        switch scale {
        case .linear: return v
        case .log10: return v > 0 ? Foundation.log10(v) : nil
        }
    }

    /// Pixel coordinate of data value `v`; `nil` for NaN, infinities and (log axes) v ≤ 0.
    /// Values outside the domain map outside `start...end` (callers clip).
    public func pixel(_ v: Double) -> Double? {
        guard let t = transformed(v) else { return nil }
        let lo = transformed(domain.lowerBound)!, hi = transformed(domain.upperBound)!
        return start + (t - lo) / (hi - lo) * (end - start)
    }
}
