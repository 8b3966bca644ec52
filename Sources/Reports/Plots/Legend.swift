// Legend.swift — legend boxes and where to put them.
//
// `.automatic` tries the four inside corners of the plot area and takes the one that covers the
// fewest data points (ties prefer top-right, top-left, bottom-right, bottom-left); if every corner
// covers data and the legend is narrower than a quarter of the plot, it moves to the right of
// the plot area, which shrinks to make room.

/// Where a plot's legend goes.
public enum LegendPlacement: String, Hashable, Sendable {
    case automatic
    case topRight, topLeft, bottomRight, bottomLeft
    /// Outside the plot area, on the right.
    case outsideRight
    case hidden
}

/// One legend row: a sample of the series' look and its name.
struct LegendEntry {
    enum Sample {
        case line(dash: LineDash, width: Double, marker: Marker)
        case marker(Marker)
        case box
    }
    var name: String
    var color: PlotColor
    var sample: Sample
}

struct Legend {
    static let fontSize = 12.0
    static let rowHeight = 18.0
    static let padding = 7.0
    static let sampleWidth = 28.0

    var entries: [LegendEntry]

    var size: (width: Double, height: Double) {
        let textW = entries.map { textWidth($0.name, size: Legend.fontSize) }.max() ?? 0
        return (2 * Legend.padding + Legend.sampleWidth + 6 + textW, 2 * Legend.padding + Double(entries.count) * Legend.rowHeight - 4)
    }

    /// The legend frame for an inside corner of `area`.
    func frame(_ placement: LegendPlacement, in area: PlotRect) -> PlotRect {
        let (w, h) = size
        let inset = 8.0
        switch placement {
        case .topLeft: return PlotRect(x: area.x + inset, y: area.y + inset, width: w, height: h)
        case .bottomRight: return PlotRect(x: area.maxX - inset - w, y: area.maxY - inset - h, width: w, height: h)
        case .bottomLeft: return PlotRect(x: area.x + inset, y: area.maxY - inset - h, width: w, height: h)
        case .outsideRight: return PlotRect(x: area.maxX + 12, y: area.y, width: w, height: h)
        default: return PlotRect(x: area.maxX - inset - w, y: area.y + inset, width: w, height: h)
        }
    }

    /// The inside corner covering the fewest of `obstacles`, with that count.
    func bestCorner(in area: PlotRect, obstacles: [PlotPoint]) -> (LegendPlacement, Int) {
        var best: (LegendPlacement, Int) = (.topRight, .max)
        for corner in [LegendPlacement.topRight, .topLeft, .bottomRight, .bottomLeft] {
            let r = frame(corner, in: area).insetBy(-3)
            let covered = obstacles.reduce(0) { $0 + (r.contains($1) ? 1 : 0) }
            if covered < best.1 { best = (corner, covered) }
        }
        return best
    }

    func draw(into svg: inout SVGBuilder, frame: PlotRect) {
        svg.raw("<g class=\"legend\">")
        svg.rect(frame, fill: "#ffffff", stroke: "#bbbbbb", strokeWidth: 0.8, extra: ["fill-opacity": "0.9", "rx": "3"])
        for (i, e) in entries.enumerated() {
            let cy = frame.y + Legend.padding + (Double(i) + 0.5) * Legend.rowHeight - 2
            let x0 = frame.x + Legend.padding, x1 = x0 + Legend.sampleWidth
            switch e.sample {
            case let .line(dash, width, marker):
                var s = "<path d=\"M\(SVG.number(x0)) \(SVG.number(cy))H\(SVG.number(x1))\" fill=\"none\" stroke=\"\(e.color)\" stroke-width=\"\(SVG.number(width))\" stroke-linecap=\"round\""
                if let a = dash.dashArray(width: width) { s += " stroke-dasharray=\"\(a)\"" }
                svg.raw(s + "/>")
                if marker != .none { drawMarkers(into: &svg, marker, color: e.color, at: [PlotPoint(x: (x0 + x1) / 2, y: cy)], radius: 3.5) }
            case let .marker(marker):
                drawMarkers(into: &svg, marker, color: e.color, at: [PlotPoint(x: (x0 + x1) / 2, y: cy)], radius: 4)
            case .box:
                svg.rect(PlotRect(x: x0 + 6, y: cy - 6, width: Legend.sampleWidth - 12, height: 12), fill: e.color.hex)
            }
            svg.text(e.name, at: PlotPoint(x: x1 + 6, y: cy + 0.36 * Legend.fontSize), size: Legend.fontSize)
        }
        svg.raw("</g>")
    }
}

/// All markers of one series as one path (filled, or stroked for cross/plus).
func drawMarkers(into svg: inout SVGBuilder, _ marker: Marker, color: PlotColor, at points: [PlotPoint],
                 radius: Double, cssClass: String? = nil) {
    guard marker != .none, !points.isEmpty else { return }
    let d = points.map { marker.path(at: $0, radius: radius) }.joined()
    let cls = cssClass.map { " class=\"\($0)\"" } ?? ""
    if marker.isStroked {
        svg.raw("<path\(cls) d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" stroke-linecap=\"round\"/>")
    } else {
        svg.raw("<path\(cls) d=\"\(d)\" fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>")
    }
}
