// BarChart.swift — grouped bars with error bars (mean ± std), e.g. models × datasets.
//
// Categories (datasets) lie along x; within each category slot, one bar per group (model) in the
// group's colour, side by side over the middle 80 % of the slot. A bar spans from the baseline
// (0 on a linear axis, clamped into the domain; the bottom of the domain on a log axis) to its
// value; its error bar spans value ± error with caps. Each bar is a <rect class="bar">, each error
// bar a <path class="error-bar">. A NaN value draws no bar (missing result).

/// One group of bars (e.g. one model): a value and an optional error per category.
public struct BarGroup: Hashable, Sendable {
    public var name: String
    public var values: [Double]
    /// Half-widths of the error bars (e.g. sample std); `nil` for none.
    public var errors: [Double]?
    public var color: PlotColor?

    public init(_ name: String, values: [Double], errors: [Double]? = nil, color: PlotColor? = nil) {
        precondition(errors.map { $0.count == values.count } ?? true, "bar group '\(name)': \(values.count) values but \(errors?.count ?? 0) errors") // invariant: programmer misuse
        self.name = name
        self.values = values
        self.errors = errors
        self.color = color
    }

    /// Bars at the means with error bars of one sample std; `nil` entries are missing results.
    /// A NaN std (n = 1) draws no error bar.
    public init(_ name: String, summaries: [MeanStd?], color: PlotColor? = nil) {
        self.init(name, values: summaries.map { $0?.mean ?? .nan },
                  errors: summaries.map { s in s.map { $0.std.isFinite ? $0.std : 0 } ?? 0 }, color: color)
    }
}

/// A grouped bar chart.
public struct BarChart: SVGRenderable, Hashable, Sendable {
    public var title: String?
    /// Label under the category names.
    public var categoryLabel: String?
    public var categories: [String]
    public var groups: [BarGroup]
    public var yAxis: Axis
    public var legend: LegendPlacement
    public var showsGrid: Bool
    public var size: PlotSize

    public init(title: String? = nil, categoryLabel: String? = nil, categories: [String], groups: [BarGroup],
                yAxis: Axis = Axis(), legend: LegendPlacement = .automatic, showsGrid: Bool = true,
                size: PlotSize = .standard) {
        precondition(groups.allSatisfy { $0.values.count == categories.count }, // invariant: programmer misuse
                     "every bar group needs one value per category (\(categories.count))")
        self.title = title
        self.categoryLabel = categoryLabel
        self.categories = categories
        self.groups = groups
        self.yAxis = yAxis
        self.legend = legend
        self.showsGrid = showsGrid
        self.size = size
    }

    /// Geometry of bar (category c, group g): its x extent in data units (slot c is [c, c + 1]).
    func barSpan(category c: Int, group g: Int) -> (Double, Double) {
        let width = 0.8 / Double(max(1, groups.count))
        let x0 = Double(c) + 0.1 + Double(g) * width
        return (x0, x0 + width)
    }

    struct BarShape {
        var rect: PlotRect
        var error: (PlotPoint, PlotPoint)?   // low and high end, at the bar's centre
        var capHalfWidth: Double
    }

    func shapes(_ xMap: ScaleMap, _ yMap: ScaleMap, _ area: PlotRect) -> [[BarShape?]] {
        let baseValue = yAxis.scale == .log10 ? yMap.domain.lowerBound
            : min(max(0, yMap.domain.lowerBound), yMap.domain.upperBound)
        let base = yMap.pixel(baseValue) ?? area.maxY
        func clampY(_ y: Double) -> Double { min(max(y, area.y), area.maxY) }
        return groups.enumerated().map { g, group in
            group.values.enumerated().map { c, v -> BarShape? in
                guard let top = yMap.pixel(v) else { return nil }
                let (a, b) = barSpan(category: c, group: g)
                let x0 = xMap.pixel(a)!, x1 = xMap.pixel(b)!
                let yTop = clampY(top), yBase = clampY(base)
                let rect = PlotRect(x: x0, y: min(yTop, yBase), width: x1 - x0, height: abs(yBase - yTop))
                var error: (PlotPoint, PlotPoint)? = nil
                if let e = group.errors?[c], e > 0, e.isFinite {
                    let lo = yMap.pixel(v - e) ?? area.maxY, hi = yMap.pixel(v + e) ?? area.y
                    error = (PlotPoint(x: rect.midX, y: clampY(lo)), PlotPoint(x: rect.midX, y: clampY(hi)))
                }
                return BarShape(rect: rect, error: error, capHalfWidth: min(6, 0.3 * rect.width))
            }
        }
    }

    var frame: PlotFrame {
        var ys: [Double] = []
        for group in groups {
            for (c, v) in group.values.enumerated() where v.isFinite {
                let e = group.errors?[c] ?? 0
                ys += e.isFinite && e > 0 ? [v, v - e, v + e] : [v]
            }
        }
        if yAxis.scale == .linear && !ys.isEmpty { ys.append(0) }
        let styles = groups.enumerated().map { i, g in g.color ?? PlotColor.automatic(i) }
        let entries = zip(groups, styles).map { LegendEntry(name: $0.name, color: $1, sample: .box) }
        let xs = ys.isEmpty ? [] : [0.5]
        let content = PanelContent(
            yAxis: yAxis, title: nil, legend: legend, showsGrid: showsGrid, xValues: xs, yValues: ys,
            legendEntries: entries,
            obstacles: { xMap, yMap, area in
                shapes(xMap, yMap, area).flatMap { $0.compactMap { $0 } }.flatMap { s -> [PlotPoint] in
                    let r = s.rect
                    var p = [0.0, 0.5, 1.0].flatMap { t in [PlotPoint(x: r.x + t * r.width, y: r.y), PlotPoint(x: r.x + t * r.width, y: r.midY)] }
                    if let e = s.error { p.append(e.1) }
                    return p
                }
            },
            draw: { svg, xMap, yMap, area in
                for (g, bars) in shapes(xMap, yMap, area).enumerated() {
                    for bar in bars.compactMap({ $0 }) {
                        svg.rect(bar.rect, fill: styles[g].hex, stroke: "#ffffff", strokeWidth: 0.6,
                                 extra: ["class": "bar", "data-group": groups[g].name])
                    }
                }
                for bars in shapes(xMap, yMap, area) {
                    for bar in bars.compactMap({ $0 }) {
                        guard let (lo, hi) = bar.error else { continue }
                        let w = bar.capHalfWidth, n = SVG.number
                        svg.raw("<path class=\"error-bar\" d=\"M\(n(lo.x)) \(n(lo.y))V\(n(hi.y))M\(n(lo.x - w)) \(n(lo.y))H\(n(lo.x + w))M\(n(hi.x - w)) \(n(hi.y))H\(n(hi.x + w))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
                    }
                }
            })
        return PlotFrame(size: size, title: title, xAxis: Axis(categoryLabel), panels: [content], xCategories: categories)
    }

    /// Plot area, data → pixel maps, ticks and legend frame.
    public func layout() -> PanelLayout { frame.layout()[0].0 }

    public func svg() -> String { frame.svg() }
}
