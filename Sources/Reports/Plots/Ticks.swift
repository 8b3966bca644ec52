// Ticks.swift — choosing axis domains and tick marks.
//
// Linear axes: major steps of 1, 2 or 5 × 10^k, the smallest such step giving at most the
// target number of ticks for the axis length; an automatic domain is extended outwards to the
// nearest ticks. Log axes: majors at decades 10^k (every s-th decade when there are too many),
// minors at 2…9 × 10^k; an axis spanning less than about two decades labels 1-2-5 × 10^k, and
// one too narrow even for that falls back to linear 1-2-5 ticks placed on the log scale.
// In every case tick labels that would overlap are thinned by taking a coarser step.

import Foundation

/// The text of a tick label: `text` then, raised, `superscript` ("10" + "−3" reads 10⁻³).
public struct TickLabel: Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var superscript: String?
    public init(text: String, superscript: String? = nil) {
        self.text = text
        self.superscript = superscript
    }
    public var description: String { superscript.map { "\(text)^\($0)" } ?? text }

    /// Width in px at font size `size` (estimate, see `textWidth`).
    func width(size: Double) -> Double {
        textWidth(text, size: size) + (superscript.map { textWidth($0, size: 0.72 * size) } ?? 0)
    }
}

/// One tick mark; major ticks carry a label.
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: TickLabel?
    public init(value: Double, label: TickLabel?) {
        self.value = value
        self.label = label
    }
    public var isMajor: Bool { label != nil }
}

/// A resolved axis: its domain and ticks.
struct ResolvedAxis {
    var domain: ClosedRange<Double>
    var ticks: [Tick]
}

enum TickChooser {
    /// Domain and ticks of `axis` for data `values` drawn over `length` px. `extent(label)` is the
    /// room a label needs along the axis (its width on an x axis, its height on a y axis).
    ///
    /// With `padding` (a fraction of the data span, in linear or log₁₀ units), an automatic domain
    /// is the padded data range itself rather than one extended to ticks: scatter plots use this
    /// so no marker sits on the frame.
    static func resolve(_ axis: Axis, values: [Double], length: Double, spacing: Double, padding: Double? = nil,
                        extent: (TickLabel) -> Double) -> ResolvedAxis {
        let usable = values.filter { $0.isFinite && (axis.scale == .linear || $0 > 0) }
        let isEmpty = usable.isEmpty
        var lo = usable.min() ?? (axis.scale == .linear ? 0 : 1)
        var hi = usable.max() ?? (axis.scale == .linear ? 1 : 10)
        var fixed = false
        if let r = axis.range { (lo, hi, fixed) = (r.lowerBound, r.upperBound, true) }
        let target = max(2, Int(length / spacing))
        switch axis.scale {
        case .linear:
            if lo == hi { let d = lo == 0 ? 1 : abs(lo) * 0.1; (lo, hi) = (lo - d, hi + d) }
            if let padding, !fixed, !isEmpty {
                let d = padding * (hi - lo)
                (lo, hi, fixed) = (lo - d, hi + d, true)
            }
            return linear(lo: lo, hi: hi, fixed: fixed, step: axis.tickStep, target: target,
                          length: length, extent: extent)
        case .log10:
            if lo == hi { (lo, hi) = (lo / 3, hi * 3) }
            if let padding, !fixed, !isEmpty {
                let f = pow(10, padding * log10(hi / lo))
                (lo, hi, fixed) = (lo / f, hi * f, true)
            }
            return logarithmic(lo: lo, hi: hi, fixed: fixed, target: target, length: length,
                               extent: extent)
        }
    }

    /// The smallest 1, 2, 5 × 10^k that is ≥ `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        let n = raw / magnitude
        let factor: Double = n <= 1 + 1e-9 ? 1 : n <= 2 + 1e-9 ? 2 : n <= 5 + 1e-9 ? 5 : 10
        return factor * magnitude
    }

    static func linear(lo: Double, hi: Double, fixed: Bool, step fixedStep: Double?, target: Int,
                       length: Double, extent: (TickLabel) -> Double) -> ResolvedAxis {
        var step = fixedStep ?? niceStep((hi - lo) / Double(target))
        while true {
            let domain = fixed ? lo...hi
                : (floor(lo / step + 1e-9) * step)...(ceil(hi / step - 1e-9) * step)
            let k0 = Int(ceil(domain.lowerBound / step - 1e-9)), k1 = Int(floor(domain.upperBound / step + 1e-9))
            let values = k1 >= k0 ? (k0...k1).map { Double($0) * step } : []
            let labels = linearLabels(values, step: step)
            let ticks = zip(values, labels).map { Tick(value: $0 == 0 ? 0 : $0, label: $1) }
            let resolved = ResolvedAxis(domain: domain, ticks: ticks)
            if values.count <= 2 || fits(resolved, length: length, scale: .linear, extent: extent) { return resolved }
            // Too crowded: the next coarser step (a fixed step is doubled).
            step = fixedStep != nil ? 2 * step : niceStep(step * 1.5)
        }
    }

    static func logarithmic(lo: Double, hi: Double, fixed: Bool, target: Int, length: Double,
                            extent: (TickLabel) -> Double) -> ResolvedAxis {
        var (a, b) = (log10(lo), log10(hi))
        if !fixed {
            if b - a >= 2 {
                (a, b) = (floor(a + 1e-9), ceil(b - 1e-9))
            } else {
                let pad = 0.03 * (b - a)
                (a, b) = (a - pad, b + pad)
            }
        }
        let domain = pow(10, a)...pow(10, b)
        let k0 = Int(ceil(a - 1e-9)), k1 = Int(floor(b + 1e-9))
        let decades = k1 >= k0 ? Array(k0...k1) : []
        let plain = decades.allSatisfy { (-2...3).contains($0) }
        // Decade majors, every `stride`-th decade.
        func decadeTicks() -> ResolvedAxis? {
            for stride in [1, 2, 3, 5, 10, 20, 50, 100] where decades.count >= 2 {
                let majors = decades.filter { $0 % stride == 0 }
                if majors.count < 2 { break }
                if majors.count > target + 1 && stride < 100 { continue }
                var ticks = majors.map { Tick(value: pow(10, Double($0)), label: decadeLabel($0, plain: plain)) }
                let minorMultipliers: [Double] = stride == 1 ? [2, 3, 4, 5, 6, 7, 8, 9] : [1]
                for k in Int(floor(a))...Int(ceil(b)) {
                    for m in minorMultipliers {
                        if m == 1 && k % stride == 0 { continue }
                        let v = m * pow(10, Double(k))
                        if v >= domain.lowerBound * (1 - 1e-12) && v <= domain.upperBound * (1 + 1e-12) {
                            ticks.append(Tick(value: v, label: nil))
                        }
                    }
                }
                ticks.sort { $0.value < $1.value }
                let resolved = ResolvedAxis(domain: domain, ticks: ticks)
                if fits(resolved, length: length, scale: .log10, extent: extent) { return resolved }
            }
            return nil
        }
        // Narrow range: label 1-2-5 × 10^k, else every m × 10^k.
        func narrowTicks() -> ResolvedAxis? {
            for labelled in [[1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]] {
                var ticks: [Tick] = []
                for k in Int(floor(a))...Int(ceil(b)) {
                    for m in 1...9 {
                        let v = Double(m) * pow(10, Double(k))
                        guard v >= domain.lowerBound * (1 - 1e-12) && v <= domain.upperBound * (1 + 1e-12) else { continue }
                        ticks.append(Tick(value: v, label: labelled.contains(Double(m)) ? scientificLabel(v, plainRange: -3...4) : nil))
                    }
                }
                let resolved = ResolvedAxis(domain: domain, ticks: ticks)
                if ticks.filter(\.isMajor).count >= 2 && fits(resolved, length: length, scale: .log10, extent: extent) {
                    return resolved
                }
            }
            return nil
        }
        // Three or more decades: decades first; otherwise 1-2-5 labels read better.
        let chosen = decades.count >= 3 ? decadeTicks() ?? narrowTicks() : narrowTicks() ?? decadeTicks()
        if let chosen { return chosen }
        let lin = linear(lo: domain.lowerBound, hi: domain.upperBound, fixed: true, step: nil, target: target,
                         length: length, extent: extent)
        return ResolvedAxis(domain: domain, ticks: lin.ticks.filter { $0.value > 0 })
    }

    /// `true` when no two adjacent labels overlap (with a 6 px gap) along an axis of `length`.
    static func fits(_ axis: ResolvedAxis, length: Double, scale: AxisScale, extent: (TickLabel) -> Double) -> Bool {
        let map = ScaleMap(scale: scale, domain: axis.domain, start: 0, end: length)
        let labelled = axis.ticks.compactMap { t in t.label.flatMap { l in map.pixel(t.value).map { ($0, extent(l)) } } }
        for (p, q) in zip(labelled, labelled.dropFirst()) where abs(q.0 - p.0) < (p.1 + q.1) / 2 + 6 {
            return false
        }
        return true
    }

    /// Labels for linear ticks `values` spaced `step`: fixed decimals (as few as represent every
    /// tick), or m×10^k when the magnitudes are ≥ 10⁵ or < 10⁻³.
    static func linearLabels(_ values: [Double], step: Double) -> [TickLabel] {
        let maxAbs = values.map(abs).max() ?? 0
        if maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3) {
            return values.map { scientificLabel($0, plainRange: nil, unitMantissa: true) }
        }
        var decimals = 0
        while decimals < 10 && values.contains(where: { v in
            let p = pow(10, Double(decimals))
            return abs((v * p).rounded() / p - v) > step * 1e-6
        }) { decimals += 1 }
        return values.map { TickLabel(text: minus(NumberFormatting.fixed($0, decimals: decimals).mantissa), superscript: nil) }
    }

    /// `10^k` as "10" + superscript k, or as a plain number ("0.01", "1000") when `plain`.
    static func decadeLabel(_ k: Int, plain: Bool) -> TickLabel {
        if plain { return TickLabel(text: NumberFormatting.fixed(pow(10, Double(k)), decimals: max(0, -k)).mantissa, superscript: nil) }
        return TickLabel(text: "10", superscript: minus(String(k)))
    }

    /// `v` as a plain number when its decade is in `plainRange`, else m×10^k; a mantissa of ±1 is
    /// dropped ("10⁵") unless `unitMantissa` (linear axes, where "1×10⁵" matches "1.5×10⁵").
    static func scientificLabel(_ v: Double, plainRange: ClosedRange<Int>?, unitMantissa: Bool = false) -> TickLabel {
        if v == 0 { return TickLabel(text: "0", superscript: nil) }
        let k = Int(floor(log10(abs(v)) + 1e-9))
        if let plainRange, plainRange.contains(k) {
            let decimals = max(0, -k + 2)
            var s = NumberFormatting.fixed(v, decimals: decimals).mantissa
            if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
            return TickLabel(text: minus(s), superscript: nil)
        }
        let m = v / pow(10, Double(k))
        var mantissa = NumberFormatting.fixed(m, decimals: 2).mantissa
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        let text = unitMantissa ? minus(mantissa) + "×10" : mantissa == "1" ? "10" : mantissa == "-1" ? "−10" : minus(mantissa) + "×10"
        return TickLabel(text: text, superscript: minus(String(k)))
    }

    /// ASCII hyphen-minus replaced by the typographic minus sign U+2212.
    static func minus(_ s: String) -> String { s.replacingOccurrences(of: "-", with: "−") }
}
