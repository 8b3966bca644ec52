// LinePlot.swift — named curves over linear or log10 axes, as an SVG document.
//
// Each series is one <path class="series"> (see Series.swift for how NaN breaks it and how it is
// clipped); markers, if any, are a second <path class="markers"> per series, thinned to at most
// about 40 per series so dense curves stay readable. Empty data draws empty axes with a note.

/// Something that renders to a standalone SVG document.
public protocol SVGRenderable {
    /// The complete SVG document.
    func svg() -> String
}

extension SVGRenderable {
    /// Writes `svg()` to `path` atomically (see `AtomicFile`).
    public func write(to path: String) throws(AtomicFileError) {
        try AtomicFile.write(svg(), to: path)
    }
}

/// A line plot: series over an x and a y axis, with title, grid and legend.
public struct LinePlot: SVGRenderable, Hashable, Sendable {
    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var legend: LegendPlacement
    public var showsGrid: Bool
    public var size: PlotSize

    public init(title: String? = nil, xAxis: Axis = Axis(), yAxis: Axis = Axis(), series: [Series] = [],
                legend: LegendPlacement = .automatic, showsGrid: Bool = true, size: PlotSize = .standard) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.legend = legend
        self.showsGrid = showsGrid
        self.size = size
    }

    var figure: Figure {
        Figure(title: title, xAxis: xAxis,
               panels: [Subplot(yAxis: yAxis, series: series, legend: legend, showsGrid: showsGrid)], size: size)
    }

    /// Plot area, data → pixel maps, ticks and legend frame.
    public func layout() -> PanelLayout { figure.layout()[0] }

    public func svg() -> String { figure.svg() }
}

/// The panel content of line series (shared by `LinePlot` and `Figure`).
func lineContent(_ series: [Series], xScale: AxisScale, yAxis: Axis, title: String?,
                 legend: LegendPlacement, showsGrid: Bool) -> PanelContent {
    var xs: [Double] = [], ys: [Double] = []
    let xProbe = ScaleMap(scale: xScale, domain: 1...10, start: 0, end: 1)
    let yProbe = ScaleMap(scale: yAxis.scale, domain: 1...10, start: 0, end: 1)
    for s in series {
        for (x, y) in zip(s.x, s.y) where xProbe.transformed(x) != nil && yProbe.transformed(y) != nil {
            xs.append(x)
            ys.append(y)
        }
    }
    let styles = series.enumerated().map { i, s in
        (color: s.color ?? PlotColor.automatic(i), dash: s.dash ?? LineDash.automatic(i))
    }
    let entries = zip(series, styles).map { s, st in
        LegendEntry(name: s.name, color: st.color, sample: .line(dash: st.dash, width: s.lineWidth, marker: s.marker))
    }
    let hasSeries = !series.isEmpty
    return PanelContent(
        yAxis: yAxis, title: title, legend: legend, showsGrid: showsGrid, xValues: xs, yValues: ys,
        legendEntries: entries,
        obstacles: { xMap, yMap, _ in
            var points: [PlotPoint] = []
            for s in series {
                let px = LinePath.pixels(s.x, s.y, xMap, yMap)
                for (a, b) in zip(px, px.dropFirst()) {
                    guard let a else { continue }
                    points.append(a)
                    // Sample long segments so a line crossing a corner counts as covering it.
                    if let b { for t in [0.25, 0.5, 0.75] { points.append(PlotPoint(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))) } }
                }
                if let last = px.last, let last { points.append(last) }
            }
            return points
        },
        draw: { svg, xMap, yMap, area in
            for (s, st) in zip(series, styles) {
                let px = LinePath.pixels(s.x, s.y, xMap, yMap)
                let d = LinePath.data(px, clip: area)
                var path = "<path class=\"series\" data-name=\"\(SVG.escape(s.name))\" d=\"\(d)\" fill=\"none\" stroke=\"\(st.color)\" stroke-width=\"\(SVG.number(s.lineWidth))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
                if let a = st.dash.dashArray(width: s.lineWidth) { path += " stroke-dasharray=\"\(a)\"" }
                svg.raw(path + "/>")
                if s.marker != .none {
                    let visible = px.compactMap { $0 }.filter { area.contains($0) }
                    let every = max(1, Int((Double(visible.count) / 40).rounded(.up)))
                    let shown = visible.enumerated().filter { $0.offset % every == 0 }.map(\.element)
                    drawMarkers(into: &svg, s.marker, color: st.color, at: shown, radius: 1.6 + s.lineWidth, cssClass: "markers")
                }
            }
        },
        emptyNote: hasSeries ? "no finite data" : "no data")
}
