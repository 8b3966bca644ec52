// ScatterPlot.swift — labelled points, e.g. a metric against a cost (parameters, seconds).
//
// Each group (a model family, say) is one <path class="points"> of markers in its own colour and
// marker shape. Point labels are placed greedily, in order: the first of eight positions around
// the point (right, left, above, below, then the diagonals) whose box stays inside the plot area
// and touches no marker and no earlier label; if none is free, the position with the fewest
// collisions. Points that cannot be shown (NaN, ≤ 0 on a log axis) are skipped.

/// One point of a scatter plot.
public struct ScatterPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var label: String?
    public init(x: Double, y: Double, label: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
    }
}

/// Points drawn alike and named once in the legend.
public struct ScatterGroup: Hashable, Sendable {
    public var name: String
    public var points: [ScatterPoint]
    public var color: PlotColor?
    public var marker: Marker?
    public init(_ name: String, points: [ScatterPoint], color: PlotColor? = nil, marker: Marker? = nil) {
        self.name = name
        self.points = points
        self.color = color
        self.marker = marker
    }
}

/// A scatter plot with optional point labels.
public struct ScatterPlot: SVGRenderable, Hashable, Sendable {
    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var groups: [ScatterGroup]
    public var legend: LegendPlacement
    public var showsGrid: Bool
    public var size: PlotSize
    public var markerRadius: Double

    public init(title: String? = nil, xAxis: Axis = Axis(), yAxis: Axis = Axis(), groups: [ScatterGroup],
                legend: LegendPlacement = .automatic, showsGrid: Bool = true, size: PlotSize = .standard,
                markerRadius: Double = 5) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.groups = groups
        self.legend = legend
        self.showsGrid = showsGrid
        self.size = size
        self.markerRadius = markerRadius
    }

    static let labelFont = 11.0

    private var styles: [(color: PlotColor, marker: Marker)] {
        groups.enumerated().map { i, g in
            (g.color ?? PlotColor.automatic(i), g.marker ?? Marker.sequence[i % Marker.sequence.count])
        }
    }

    /// Visible points (pixel, label) of every group.
    private func pixels(_ xMap: ScaleMap, _ yMap: ScaleMap, _ area: PlotRect) -> [[(PlotPoint, String?)]] {
        groups.map { g in
            g.points.compactMap { p in
                guard let px = xMap.pixel(p.x), let py = yMap.pixel(p.y) else { return nil }
                let q = PlotPoint(x: px, y: py)
                return area.contains(q, tolerance: 0.5) ? (q, p.label) : nil
            }
        }
    }

    /// Greedy label placement: text anchor point, `text-anchor`, and the label's box.
    func placeLabels(_ points: [(PlotPoint, String?)], area: PlotRect) -> [(String, PlotPoint, String, PlotRect)] {
        let r = markerRadius, f = ScatterPlot.labelFont
        var occupied = points.map { PlotRect(x: $0.0.x - r, y: $0.0.y - r, width: 2 * r, height: 2 * r) }
        var placed: [(String, PlotPoint, String, PlotRect)] = []
        for (p, label) in points {
            guard let label, !label.isEmpty else { continue }
            let w = textWidth(label, size: f), h = f * 1.1
            // (anchor point, text-anchor, box origin x offset from anchor)
            let candidates: [(PlotPoint, String, Double)] = [
                (PlotPoint(x: p.x + r + 4, y: p.y + 0.36 * f), "start", 0),
                (PlotPoint(x: p.x - r - 4, y: p.y + 0.36 * f), "end", -w),
                (PlotPoint(x: p.x, y: p.y - r - 4), "middle", -w / 2),
                (PlotPoint(x: p.x, y: p.y + r + 3 + f * 0.8), "middle", -w / 2),
                (PlotPoint(x: p.x + r + 2, y: p.y - r - 2), "start", 0),
                (PlotPoint(x: p.x + r + 2, y: p.y + r + 2 + f * 0.8), "start", 0),
                (PlotPoint(x: p.x - r - 2, y: p.y - r - 2), "end", -w),
                (PlotPoint(x: p.x - r - 2, y: p.y + r + 2 + f * 0.8), "end", -w),
            ]
            var best: (Int, Int) = (.max, 0)   // (collisions, candidate)
            for (k, c) in candidates.enumerated() {
                let box = PlotRect(x: c.0.x + c.2, y: c.0.y - 0.8 * f, width: w, height: h)
                var collisions = occupied.filter { $0.intersects(box) }.count
                if box.x < area.x || box.maxX > area.maxX || box.y < area.y || box.maxY > area.maxY { collisions += 100 }
                if collisions < best.0 { best = (collisions, k) }
                if collisions == 0 { break }
            }
            let c = candidates[best.1]
            let box = PlotRect(x: c.0.x + c.2, y: c.0.y - 0.8 * f, width: w, height: h)
            occupied.append(box)
            placed.append((label, c.0, c.1, box))
        }
        return placed
    }

    var frame: PlotFrame {
        var xs: [Double] = [], ys: [Double] = []
        let xProbe = ScaleMap(scale: xAxis.scale, domain: 1...10, start: 0, end: 1)
        let yProbe = ScaleMap(scale: yAxis.scale, domain: 1...10, start: 0, end: 1)
        for g in groups {
            for p in g.points where xProbe.transformed(p.x) != nil && yProbe.transformed(p.y) != nil {
                xs.append(p.x)
                ys.append(p.y)
            }
        }
        let styles = self.styles
        let entries = zip(groups, styles).map { LegendEntry(name: $0.name, color: $1.color, sample: .marker($1.marker)) }
        let content = PanelContent(
            yAxis: yAxis, title: nil, legend: legend, showsGrid: showsGrid, xValues: xs, yValues: ys,
            legendEntries: entries,
            obstacles: { xMap, yMap, area in
                let points = pixels(xMap, yMap, area).flatMap { $0 }
                let labels = placeLabels(points, area: area).flatMap { l in
                    [PlotPoint(x: l.3.x, y: l.3.y), PlotPoint(x: l.3.maxX, y: l.3.maxY), PlotPoint(x: l.3.midX, y: l.3.midY)]
                }
                return points.map(\.0) + labels
            },
            draw: { svg, xMap, yMap, area in
                let perGroup = pixels(xMap, yMap, area)
                for (g, st) in zip(perGroup, styles) {
                    drawMarkers(into: &svg, st.marker, color: st.color, at: g.map(\.0), radius: markerRadius, cssClass: "points")
                }
                for (text, at, anchor, _) in placeLabels(perGroup.flatMap { $0 }, area: area) {
                    svg.text(text, at: at, size: ScatterPlot.labelFont, anchor: anchor, fill: "#333333")
                }
            },
            dataPadding: 0.06)
        return PlotFrame(size: size, title: title, xAxis: xAxis, panels: [content])
    }

    /// Plot area, data → pixel maps, ticks and legend frame.
    public func layout() -> PanelLayout { frame.layout()[0].0 }

    public func svg() -> String { frame.svg() }
}
