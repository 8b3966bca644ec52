// PlotFrame.swift — layout and drawing shared by every x–y plot: one or more vertically stacked
// panels over a common x axis, with grid, ticks, labels, titles and legends.
//
// Layout, in order: vertical margins (title, x tick labels, x label) fix each panel's height;
// the y ticks follow from the heights; the widest y tick label fixes the left margin (the same
// for all panels, so they align); the x ticks follow from the remaining width; legends are
// placed last, and a legend that must go outside widens the right margin (then x is redone).

import Foundation

/// The resolved geometry of one panel: where the plot area is and how data maps into it.
public struct PanelLayout: Hashable, Sendable {
    public var plotArea: PlotRect
    public var x: ScaleMap
    public var y: ScaleMap
    public var xTicks: [Tick]
    public var yTicks: [Tick]
    /// The legend box, if the panel shows one.
    public var legendFrame: PlotRect?
}

/// Overall size of a plot in px.
public struct PlotSize: Hashable, Sendable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) {
        precondition(width >= 120 && height >= 80, "plot size must be at least 120×80 px") // invariant: programmer misuse
        self.width = width
        self.height = height
    }
    public static let standard = PlotSize(width: 640, height: 400)
}

/// What one panel shows, independent of the plot type.
struct PanelContent {
    var yAxis: Axis
    var title: String?
    var legend: LegendPlacement
    var showsGrid: Bool
    /// Points that set the automatic domains (already paired: both coordinates showable).
    var xValues: [Double]
    var yValues: [Double]
    var legendEntries: [LegendEntry]
    /// Pixel points the legend should avoid.
    var obstacles: (ScaleMap, ScaleMap, PlotRect) -> [PlotPoint]
    /// Draws the data into the plot area.
    var draw: (inout SVGBuilder, ScaleMap, ScaleMap, PlotRect) -> Void
    /// Shown in the middle of the plot area when `xValues` is empty.
    var emptyNote = "no data"
    /// If set, automatic domains are the data range padded by this fraction (see `TickChooser`).
    var dataPadding: Double? = nil
}

struct PlotFrame {
    static let tickFont = 12.0, labelFont = 13.5, titleFont = 15.0, panelTitleFont = 13.0
    static let tickLength = 5.0, panelGap = 16.0

    static let categoryLabelAngle = 35.0   // degrees, for category labels too wide for their slot

    var size: PlotSize
    var title: String?
    var xAxis: Axis
    var panels: [PanelContent]
    /// Category names of a categorical x axis (bar charts): category i spans x ∈ [i, i + 1].
    var xCategories: [String]? = nil

    /// Whether category labels are drawn rotated (decided on an estimate of the plot width).
    var rotatesCategoryLabels: Bool {
        guard let c = xCategories, !c.isEmpty else { return false }
        let slot = (size.width - 90) / Double(c.count)
        return c.contains { textWidth($0, size: PlotFrame.tickFont) > slot - 8 }
    }

    /// Category labels as drawn: rotated labels are cut (with "…") so that they use at most
    /// 35 % of the height below the axis.
    var categoryLabels: [String] {
        guard let c = xCategories else { return [] }
        guard rotatesCategoryLabels else { return c }
        let a = PlotFrame.categoryLabelAngle * .pi / 180
        let maxWidth = (0.35 * size.height - PlotFrame.tickFont * cos(a)) / sin(a)
        return c.map { label in
            var s = label
            while s.count > 1 && textWidth(s, size: PlotFrame.tickFont) > maxWidth {
                s.removeLast(s.hasSuffix("…") ? 2 : 1)
                s += "…"
            }
            return s
        }
    }

    /// Height of the band of x tick labels below the axis.
    var xLabelBand: Double {
        guard rotatesCategoryLabels else { return PlotFrame.tickFont }
        let a = PlotFrame.categoryLabelAngle * .pi / 180
        let w = categoryLabels.map { textWidth($0, size: PlotFrame.tickFont) }.max() ?? 0
        return w * sin(a) + PlotFrame.tickFont * cos(a)
    }

    /// Room a rotated first category label needs left of the plot area.
    func rotatedLabelOverhang(left: Double) -> Double {
        guard rotatesCategoryLabels, let first = categoryLabels.first else { return 0 }
        let a = PlotFrame.categoryLabelAngle * .pi / 180
        let slot = (size.width - left - 14) / Double(categoryLabels.count)
        return textWidth(first, size: PlotFrame.tickFont) * cos(a) + PlotFrame.tickFont * sin(a) + 8 - slot / 2
    }

    /// The x axis: categorical slots, or ticks chosen for the data.
    func resolveX(values: [Double], length: Double) -> ResolvedAxis {
        if let c = xCategories {
            let ticks = categoryLabels.enumerated().map { Tick(value: Double($0.offset) + 0.5, label: TickLabel(text: $0.element)) }
            return ResolvedAxis(domain: 0...Double(max(1, c.count)), ticks: ticks)
        }
        return TickChooser.resolve(xAxis, values: values, length: length, spacing: 90,
                                   padding: panels.compactMap(\.dataPadding).max(), extent: { $0.width(size: PlotFrame.tickFont) })
    }

    /// Geometry of every panel, and where each legend goes.
    func layout() -> [(PanelLayout, LegendPlacement?)] {
        let F = PlotFrame.self
        let top = 10 + (title.map { $0.isEmpty ? 0 : F.titleFont + 12 } ?? 0)
        let bottom = 10 + F.tickLength + 4 + xLabelBand + (xAxis.label == nil ? 0 : F.labelFont + 9)
        let titles = panels.map { $0.title == nil ? 0 : F.panelTitleFont + 8 }
        let gaps = F.panelGap * Double(max(0, panels.count - 1))
        let panelHeight = max(20, ((size.height - top - bottom - gaps - titles.reduce(0, +)) / Double(max(1, panels.count))).rounded(.down))

        let yResolved = panels.map { p in
            TickChooser.resolve(p.yAxis, values: p.yValues, length: panelHeight, spacing: 38, padding: p.dataPadding,
                                extent: { _ in F.tickFont * 1.25 })
        }
        let widestY = yResolved.flatMap { $0.ticks.compactMap { $0.label?.width(size: F.tickFont) } }.max() ?? 0
        let hasYLabel = panels.contains { $0.yAxis.label != nil }
        let axisLeft = 8 + (hasYLabel ? F.labelFont + 8 : 0) + widestY + F.tickLength + 5
        let left = max(axisLeft, rotatedLabelOverhang(left: axisLeft)).rounded(.up)

        let allX = panels.flatMap(\.xValues)
        func resolveXWithMargin(right: Double) -> (ResolvedAxis, Double) {
            var r = right
            var x = self.resolveX(values: allX, length: size.width - left - r)
            let last = x.ticks.last { $0.isMajor }
            let overhang = rotatesCategoryLabels ? 0 : (last?.label?.width(size: F.tickFont) ?? 0) / 2 + 4
            if overhang > r {
                r = overhang.rounded(.up)
                x = self.resolveX(values: allX, length: size.width - left - r)
            }
            return (x, r)
        }

        func build(right: Double) -> [PanelLayout] {
            let (x, r) = resolveXWithMargin(right: right)
            var layouts: [PanelLayout] = []
            var y = top
            for (i, p) in panels.enumerated() {
                y += titles[i]
                let area = PlotRect(x: left, y: y, width: max(20, size.width - left - r), height: panelHeight)
                let xMap = ScaleMap(scale: xAxis.scale, domain: x.domain, start: area.x, end: area.maxX)
                let yMap = ScaleMap(scale: p.yAxis.scale, domain: yResolved[i].domain, start: area.maxY, end: area.y)
                layouts.append(PanelLayout(plotArea: area, x: xMap, y: yMap, xTicks: x.ticks,
                                           yTicks: yResolved[i].ticks, legendFrame: nil))
                y += panelHeight + F.panelGap
            }
            return layouts
        }

        var layouts = build(right: 14)
        func legend(_ i: Int) -> Legend? {
            panels[i].legend == .hidden || panels[i].legendEntries.isEmpty ? nil : Legend(entries: panels[i].legendEntries)
        }
        func placement(_ i: Int, _ l: PanelLayout) -> (LegendPlacement, Int) {
            let p = panels[i].legend
            guard p == .automatic, let lg = legend(i) else { return (p, 0) }
            return lg.bestCorner(in: l.plotArea, obstacles: panels[i].obstacles(l.x, l.y, l.plotArea))
        }
        // Legends that cannot go inside without covering data go outside (unless too wide).
        var outside = [Bool](repeating: false, count: panels.count)
        var outsideWidth = 0.0
        for i in panels.indices {
            guard let lg = legend(i) else { continue }
            let (p, covered) = placement(i, layouts[i])
            if p == .outsideRight || (covered > 0 && lg.size.width < 0.25 * size.width) {
                outside[i] = true
                outsideWidth = max(outsideWidth, lg.size.width + 20)
            }
        }
        if outsideWidth > 0 { layouts = build(right: 14 + outsideWidth) }
        return layouts.enumerated().map { i, l in
            guard let lg = legend(i) else { return (l, nil) }
            let p = outside[i] ? .outsideRight : placement(i, l).0
            var withFrame = l
            withFrame.legendFrame = lg.frame(p, in: l.plotArea)
            return (withFrame, p)
        }
    }

    func svg() -> String {
        let F = PlotFrame.self
        var svg = SVGBuilder(width: size.width, height: size.height)
        let layouts = layout()
        for (i, (l, _)) in layouts.enumerated() {
            let p = panels[i]
            let area = l.plotArea
            let isBottom = i == panels.count - 1
            if p.showsGrid { drawGrid(into: &svg, l) }
            let clipID = svg.uniqueID("clip")
            svg.raw("<clipPath id=\"\(clipID)\"><rect x=\"\(SVG.number(area.x - 6))\" y=\"\(SVG.number(area.y - 6))\" width=\"\(SVG.number(area.width + 12))\" height=\"\(SVG.number(area.height + 12))\"/></clipPath>")
            svg.raw("<g clip-path=\"url(#\(clipID))\">")
            p.draw(&svg, l.x, l.y, area)
            svg.raw("</g>")
            svg.rect(area, fill: "none", stroke: "#444444", strokeWidth: 1,
                     extra: ["class": "plot-area", "shape-rendering": "crispEdges"])
            drawTicks(into: &svg, l, xLabels: isBottom)
            if let label = p.yAxis.label {
                svg.text(label, at: PlotPoint(x: 8 + F.labelFont * 0.8, y: area.midY), size: F.labelFont,
                         anchor: "middle", rotate: -90)
            }
            if let t = p.title {
                svg.text(t, at: PlotPoint(x: area.x, y: area.y - 7), size: F.panelTitleFont, weight: "bold")
            }
            if p.xValues.isEmpty {
                svg.text(p.emptyNote, at: PlotPoint(x: area.midX, y: area.midY), size: F.labelFont,
                         anchor: "middle", fill: "#777777", italic: true)
            }
            if let frame = l.legendFrame { Legend(entries: p.legendEntries).draw(into: &svg, frame: frame) }
        }
        if let first = layouts.first?.0, let last = layouts.last?.0 {
            if let t = title, !t.isEmpty {
                svg.text(t, at: PlotPoint(x: first.plotArea.midX, y: 10 + F.titleFont), size: F.titleFont,
                         anchor: "middle", weight: "bold")
            }
            if let label = xAxis.label {
                svg.text(label, at: PlotPoint(x: last.plotArea.midX, y: size.height - 10), size: F.labelFont, anchor: "middle")
            }
        }
        return svg.document(title: title)
    }

    private func drawGrid(into svg: inout SVGBuilder, _ l: PanelLayout) {
        let a = l.plotArea
        for t in l.xTicks where xCategories == nil {
            guard let px = l.x.pixel(t.value), px > a.x + 0.5, px < a.maxX - 0.5 else { continue }
            let c = crisp(px)
            svg.line(PlotPoint(x: c, y: a.y), PlotPoint(x: c, y: a.maxY), stroke: t.isMajor ? "#dddddd" : "#f0f0f0")
        }
        for t in l.yTicks {
            guard let py = l.y.pixel(t.value), py > a.y + 0.5, py < a.maxY - 0.5 else { continue }
            let c = crisp(py)
            svg.line(PlotPoint(x: a.x, y: c), PlotPoint(x: a.maxX, y: c), stroke: t.isMajor ? "#dddddd" : "#f0f0f0")
        }
    }

    private func drawTicks(into svg: inout SVGBuilder, _ l: PanelLayout, xLabels: Bool) {
        let F = PlotFrame.self
        let a = l.plotArea
        for t in l.xTicks {
            guard let px = l.x.pixel(t.value), px >= a.x - 0.5, px <= a.maxX + 0.5 else { continue }
            let len = t.isMajor ? F.tickLength : F.tickLength * 0.6
            svg.line(PlotPoint(x: crisp(px), y: a.maxY), PlotPoint(x: crisp(px), y: a.maxY + len), stroke: "#444444")
            guard xLabels, let label = t.label else { continue }
            if rotatesCategoryLabels {
                svg.text(label.text, at: PlotPoint(x: px + 3, y: a.maxY + F.tickLength + 4 + F.tickFont * 0.6),
                         size: F.tickFont, anchor: "end", rotate: -F.categoryLabelAngle)
            } else {
                svg.text(label.text, at: PlotPoint(x: px, y: a.maxY + F.tickLength + 4 + F.tickFont * 0.95),
                         size: F.tickFont, anchor: "middle", superscript: label.superscript)
            }
        }
        for t in l.yTicks {
            guard let py = l.y.pixel(t.value), py >= a.y - 0.5, py <= a.maxY + 0.5 else { continue }
            let len = t.isMajor ? F.tickLength : F.tickLength * 0.6
            svg.line(PlotPoint(x: a.x - len, y: crisp(py)), PlotPoint(x: a.x, y: crisp(py)), stroke: "#444444")
            if let label = t.label {
                svg.text(label.text, at: PlotPoint(x: a.x - F.tickLength - 4, y: py + F.tickFont * 0.36),
                         size: F.tickFont, anchor: "end", superscript: label.superscript)
            }
        }
    }
}

/// `v` moved to the middle of its pixel so 1 px lines are sharp.
func crisp(_ v: Double) -> Double { v.rounded(.down) + 0.5 }
