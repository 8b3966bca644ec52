// Series.swift — a named curve of a line plot and how it becomes SVG path data.
//
// A series is drawn as ONE <path class="series"> whose subpaths are the visible stretches of the
// curve: a point that cannot be shown (NaN, ±inf, ≤ 0 on a log axis) ends the stretch, and
// segments are clipped to the plot area (Liang–Barsky), so no coordinate leaves it. An isolated
// visible point becomes a zero-length subpath that the round line cap draws as a dot. Points
// closer than 0.3 px to the previously emitted one are skipped (invisible, but they bloat files).

/// A named (x, y) curve with its style; `nil` style fields take the palette defaults.
public struct Series: Hashable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var color: PlotColor?
    public var dash: LineDash?
    public var marker: Marker
    public var lineWidth: Double

    public init(_ name: String, x: [Double], y: [Double], color: PlotColor? = nil, dash: LineDash? = nil,
                marker: Marker = .none, lineWidth: Double = 2) {
        precondition(x.count == y.count, "series '\(name)': \(x.count) x values but \(y.count) y values") // invariant: programmer misuse
        precondition(lineWidth > 0, "lineWidth must be positive") // invariant: programmer misuse
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.dash = dash
        self.marker = marker
        self.lineWidth = lineWidth
    }

    /// A series over x = 0, 1, 2, …
    public init(_ name: String, y: [Double], color: PlotColor? = nil, dash: LineDash? = nil,
                marker: Marker = .none, lineWidth: Double = 2) {
        self.init(name, x: y.indices.map(Double.init), y: y, color: color, dash: dash, marker: marker, lineWidth: lineWidth)
    }
}

enum LinePath {
    /// Pixel positions of the points of `xs, ys`; `nil` where a point cannot be shown.
    static func pixels(_ xs: [Double], _ ys: [Double], _ xMap: ScaleMap, _ yMap: ScaleMap) -> [PlotPoint?] {
        zip(xs, ys).map { x, y in
            guard let px = xMap.pixel(x), let py = yMap.pixel(y) else { return nil }
            return PlotPoint(x: px, y: py)
        }
    }

    /// SVG path data through `points`, broken at `nil`s and clipped to `clip`.
    /// - Complexity: O(points).
    static func data(_ points: [PlotPoint?], clip: PlotRect) -> String {
        var d = ""
        var last: PlotPoint? = nil        // last emitted point of the open subpath
        var previous: PlotPoint? = nil    // previous input point (if showable)
        var runLength = 0
        func move(_ p: PlotPoint) { d += "M\(SVG.number(p.x)) \(SVG.number(p.y))"; last = p }
        func lineTo(_ p: PlotPoint, force: Bool) {
            if let l = last, !force, abs(l.x - p.x) < 0.3, abs(l.y - p.y) < 0.3 { return }
            d += "L\(SVG.number(p.x)) \(SVG.number(p.y))"
            last = p
        }
        func endRun() {
            if runLength == 1, let p = previous, clip.contains(p) { d += "M\(SVG.number(p.x)) \(SVG.number(p.y))h0" }
            runLength = 0
            last = nil
        }
        for (i, point) in points.enumerated() {
            guard let p = point else { endRun(); previous = nil; continue }
            runLength += 1
            if let q = previous, let (a, b) = clipSegment(q, p, to: clip) {
                if last == nil || a != q { move(a) }
                let nextVisible = i + 1 < points.count && points[i + 1] != nil
                lineTo(b, force: b != p || !nextVisible)
                if b != p { last = nil }   // the segment left the plot area
            }
            previous = p
        }
        endRun()
        return d
    }

    /// The part of segment a→b inside `r` (Liang–Barsky), or `nil` if none.
    static func clipSegment(_ a: PlotPoint, _ b: PlotPoint, to r: PlotRect) -> (PlotPoint, PlotPoint)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - r.x), (dx, r.maxX - a.x), (-dy, a.y - r.y), (dy, r.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { if t > t1 { return nil }; if t > t0 { t0 = t } } else { if t < t0 { return nil }; if t < t1 { t1 = t } }
            }
        }
        let start = t0 == 0 ? a : PlotPoint(x: a.x + t0 * dx, y: a.y + t0 * dy)
        let end = t1 == 1 ? b : PlotPoint(x: a.x + t1 * dx, y: a.y + t1 * dy)
        return (start, end)
    }
}
