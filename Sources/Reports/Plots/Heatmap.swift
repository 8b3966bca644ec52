// Heatmap.swift — a matrix of values as coloured cells with a colour bar (e.g. error over a
// sweep of state size × sequence length).
//
// Colours come from viridis (van der Walt & Smith, matplotlib's default colour map), which is
// perceptually uniform, prints legibly in grey and stays ordered under colour-vision deficiency.
// A value v maps to t = (f(v) − f(lo)) / (f(hi) − f(lo)) with f the identity or log₁₀, and t to
// the colour interpolated between nine viridis samples. NaN (and, on a log scale, v ≤ 0) cells
// are light grey and labelled "–". Each cell is a <rect class="cell">.

import Foundation

/// A heatmap with row and column labels, optional cell values and a colour bar.
public struct Heatmap: SVGRenderable, Hashable, Sendable {
    public var title: String?
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[i][j]` is the cell in row i (top to bottom), column j (left to right).
    public var values: [[Double]]
    public var rowAxisLabel: String?
    public var columnAxisLabel: String?
    /// Label of the colour bar.
    public var valueLabel: String?
    /// Colour scale of the values: linear or log10.
    public var scale: AxisScale
    /// Write each value in its cell (3 significant digits).
    public var showsValues: Bool
    public var size: PlotSize

    public init(title: String? = nil, rowLabels: [String], columnLabels: [String], values: [[Double]],
                rowAxisLabel: String? = nil, columnAxisLabel: String? = nil, valueLabel: String? = nil,
                scale: AxisScale = .linear, showsValues: Bool = true, size: PlotSize = .standard) {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count }, // invariant: programmer misuse
                     "heatmap values must be \(rowLabels.count) rows × \(columnLabels.count) columns")
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowAxisLabel = rowAxisLabel
        self.columnAxisLabel = columnAxisLabel
        self.valueLabel = valueLabel
        self.scale = scale
        self.showsValues = showsValues
        self.size = size
    }

    /// Nine samples of viridis, from t = 0 to t = 1.
    static let viridis: [(Double, Double, Double)] = [
        (0x44, 0x01, 0x54), (0x47, 0x2c, 0x7a), (0x3b, 0x51, 0x8b), (0x2c, 0x71, 0x8e), (0x21, 0x90, 0x8d),
        (0x27, 0xad, 0x81), (0x5c, 0xc8, 0x63), (0xaa, 0xdc, 0x32), (0xfd, 0xe7, 0x25),
    ]

    /// The viridis colour at `t` ∈ [0, 1] (clamped) and whether text on it should be dark.
    public static func color(at t: Double) -> (color: PlotColor, darkText: Bool) {
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(viridis.count - 1)
        let i = min(Int(u), viridis.count - 2), f = u - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        let rgb = [a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1), a.2 + f * (b.2 - a.2)].map { Int($0.rounded()) }
        let hex = "#" + rgb.map { String(format: "%02x", $0) }.joined()
        let luminance = (0.2126 * Double(rgb[0]) + 0.7152 * Double(rgb[1]) + 0.0722 * Double(rgb[2])) / 255
        return (PlotColor(hex: hex), luminance > 0.5)
    }

    public func svg() -> String {
        let tick = PlotFrame.tickFont, labelFont = PlotFrame.labelFont
        var svg = SVGBuilder(width: size.width, height: size.height)
        let probe = ScaleMap(scale: scale, domain: 1...10, start: 0, end: 1)
        let shown = values.flatMap { $0 }.filter { probe.transformed($0) != nil }

        // Colour-bar axis (ticks along the bar's height).
        let top = 10 + (title == nil ? 0 : PlotFrame.titleFont + 12)
        let rotate = columnLabels.contains { textWidth($0, size: tick) > (size.width - 200) / Double(max(1, columnLabels.count)) - 6 }
        let columnBand = rotate ? (columnLabels.map { textWidth($0, size: tick) }.max() ?? 0) * 0.58 + tick : tick
        let bottom = 10 + 6 + min(columnBand, 0.35 * size.height) + (columnAxisLabel == nil ? 0 : labelFont + 9)
        let height = max(20, size.height - top - bottom)
        let bar = TickChooser.resolve(Axis(scale: scale), values: shown, length: height, spacing: 38, padding: 0,
                                      extent: { _ in tick * 1.25 })
        let barLabelWidth = bar.ticks.compactMap { $0.label?.width(size: tick) }.max() ?? 0
        let right = 14 + 16 + 6 + barLabelWidth + (valueLabel == nil ? 0 : labelFont + 10)
        let left = 8 + (rowAxisLabel == nil ? 0 : labelFont + 8) + (rowLabels.map { textWidth($0, size: tick) }.max() ?? 0) + 6
        let area = PlotRect(x: left.rounded(.up), y: top, width: max(20, size.width - left - right - 12).rounded(.down), height: height)
        let colorMap = ScaleMap(scale: scale, domain: bar.domain, start: 0, end: 1)

        // Cells.
        let rows = max(1, rowLabels.count), cols = max(1, columnLabels.count)
        let cw = area.width / Double(cols), ch = area.height / Double(rows)
        let valueFont = min(tick, ch * 0.45, cw / 4.2)
        for (i, row) in values.enumerated() {
            for (j, v) in row.enumerated() {
                let cell = PlotRect(x: area.x + Double(j) * cw, y: area.y + Double(i) * ch, width: cw, height: ch)
                if let t = colorMap.pixel(v) {
                    let (c, dark) = Heatmap.color(at: t)
                    svg.rect(cell, fill: c.hex, stroke: "#ffffff", strokeWidth: 1, extra: ["class": "cell"])
                    if showsValues && valueFont >= 7 {
                        svg.text(NumberFormatting.significant(v, digits: 3).description, at: PlotPoint(x: cell.midX, y: cell.midY + 0.36 * valueFont),
                                 size: valueFont, anchor: "middle", fill: dark ? "#111111" : "#ffffff")
                    }
                } else {
                    svg.rect(cell, fill: "#e8e8e8", stroke: "#ffffff", strokeWidth: 1, extra: ["class": "cell"])
                    if showsValues && valueFont >= 7 {
                        svg.text("–", at: PlotPoint(x: cell.midX, y: cell.midY + 0.36 * valueFont), size: valueFont, anchor: "middle", fill: "#777777")
                    }
                }
            }
        }
        if shown.isEmpty {
            svg.text("no data", at: PlotPoint(x: area.midX, y: area.midY), size: labelFont, anchor: "middle", fill: "#777777", italic: true)
        }
        // Row and column labels.
        for (i, name) in rowLabels.enumerated() {
            svg.text(name, at: PlotPoint(x: area.x - 6, y: area.y + (Double(i) + 0.5) * ch + 0.36 * tick), size: tick, anchor: "end")
        }
        for (j, name) in columnLabels.enumerated() {
            let x = area.x + (Double(j) + 0.5) * cw
            if rotate {
                svg.text(name, at: PlotPoint(x: x + 3, y: area.maxY + 6 + tick * 0.6), size: tick, anchor: "end", rotate: -35)
            } else {
                svg.text(name, at: PlotPoint(x: x, y: area.maxY + 6 + tick * 0.95), size: tick, anchor: "middle")
            }
        }
        if let label = rowAxisLabel {
            svg.text(label, at: PlotPoint(x: 8 + labelFont * 0.8, y: area.midY), size: labelFont, anchor: "middle", rotate: -90)
        }
        if let label = columnAxisLabel {
            svg.text(label, at: PlotPoint(x: area.midX, y: size.height - 10), size: labelFont, anchor: "middle")
        }
        if let t = title {
            svg.text(t, at: PlotPoint(x: area.midX, y: 10 + PlotFrame.titleFont), size: PlotFrame.titleFont, anchor: "middle", weight: "bold")
        }
        drawColorBar(into: &svg, PlotRect(x: area.maxX + 12, y: area.y, width: 16, height: area.height), bar)
        return svg.document(title: title)
    }

    private func drawColorBar(into svg: inout SVGBuilder, _ r: PlotRect, _ bar: ResolvedAxis) {
        let id = svg.uniqueID("viridis")
        var stops = ""
        for k in 0...8 {
            let t = Double(k) / 8
            stops += "<stop offset=\"\(SVG.number(t))\" stop-color=\"\(Heatmap.color(at: t).color)\"/>"
        }
        // The gradient runs bottom (t = 0) to top (t = 1).
        svg.raw("<linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(stops)</linearGradient>")
        svg.rect(r, fill: "url(#\(id))", stroke: "#444444", strokeWidth: 0.8, extra: ["class": "color-bar"])
        let map = ScaleMap(scale: scale, domain: bar.domain, start: r.maxY, end: r.y)
        for t in bar.ticks {
            guard let py = map.pixel(t.value), py >= r.y - 0.5, py <= r.maxY + 0.5 else { continue }
            let len = t.isMajor ? 4.0 : 2.5
            svg.line(PlotPoint(x: r.maxX, y: crisp(py)), PlotPoint(x: r.maxX + len, y: crisp(py)), stroke: "#444444")
            if let label = t.label {
                svg.text(label.text, at: PlotPoint(x: r.maxX + 6, y: py + 0.36 * PlotFrame.tickFont), size: PlotFrame.tickFont,
                         superscript: label.superscript)
            }
        }
        if let label = valueLabel {
            let widest = bar.ticks.compactMap { $0.label?.width(size: PlotFrame.tickFont) }.max() ?? 0
            svg.text(label, at: PlotPoint(x: r.maxX + 10 + widest + PlotFrame.labelFont, y: r.midY), size: PlotFrame.labelFont,
                     anchor: "middle", rotate: -90)
        }
    }
}
