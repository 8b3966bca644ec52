// Figure.swift — vertically stacked panels sharing one x axis (e.g. a Bode plot).
//
// All panels use the same x domain and ticks (chosen from the union of their data), the same
// left edge (the widest y tick labels of any panel set it) and the same width; x tick labels and
// the x axis label appear under the bottom panel only. The i-th series of every panel gets the
// i-th palette colour, so a curve keeps its colour from panel to panel.

/// One panel of a `Figure`: a y axis and the series drawn against the shared x axis.
public struct Subplot: Hashable, Sendable {
    public var yAxis: Axis
    public var series: [Series]
    /// A short heading above the panel.
    public var title: String?
    public var legend: LegendPlacement
    public var showsGrid: Bool

    public init(yAxis: Axis = Axis(), series: [Series] = [], title: String? = nil,
                legend: LegendPlacement = .automatic, showsGrid: Bool = true) {
        self.yAxis = yAxis
        self.series = series
        self.title = title
        self.legend = legend
        self.showsGrid = showsGrid
    }
}

/// Panels stacked top to bottom over a shared x axis.
public struct Figure: SVGRenderable, Hashable, Sendable {
    public var title: String?
    public var xAxis: Axis
    public var panels: [Subplot]
    public var size: PlotSize

    public init(title: String? = nil, xAxis: Axis = Axis(), panels: [Subplot], size: PlotSize? = nil) {
        precondition(!panels.isEmpty, "a figure needs at least one panel") // invariant: programmer misuse
        self.title = title
        self.xAxis = xAxis
        self.panels = panels
        self.size = size ?? PlotSize(width: 640, height: 80 + 260 * Double(panels.count))
    }

    var frame: PlotFrame {
        PlotFrame(size: size, title: title, xAxis: xAxis, panels: panels.map {
            lineContent($0.series, xScale: xAxis.scale, yAxis: $0.yAxis, title: $0.title,
                        legend: $0.legend, showsGrid: $0.showsGrid)
        })
    }

    /// Geometry of each panel, top to bottom.
    public func layout() -> [PanelLayout] { frame.layout().map(\.0) }

    public func svg() -> String { frame.svg() }
}

/// One curve of a Bode plot: frequencies and the response at them.
public struct BodeCurve: Hashable, Sendable {
    public var name: String
    /// Angular frequencies ω (rad/s, or rad/sample for discrete systems), positive.
    public var frequencies: [Double]
    /// 20·log₁₀|H(jω)| in dB.
    public var magnitudeDB: [Double]
    /// arg H(jω) in degrees (unwrapped by the caller if desired).
    public var phaseDegrees: [Double]
    public var color: PlotColor?
    public var dash: LineDash?

    public init(_ name: String, frequencies: [Double], magnitudeDB: [Double], phaseDegrees: [Double],
                color: PlotColor? = nil, dash: LineDash? = nil) {
        precondition(frequencies.count == magnitudeDB.count && frequencies.count == phaseDegrees.count, // invariant: programmer misuse
                     "Bode curve '\(name)': frequency, magnitude and phase counts differ")
        self.name = name
        self.frequencies = frequencies
        self.magnitudeDB = magnitudeDB
        self.phaseDegrees = phaseDegrees
        self.color = color
        self.dash = dash
    }
}

extension Figure {
    /// A Bode plot: magnitude (dB) over log ω on top, phase (degrees) over log ω below, with
    /// phase ticks every 45° or 90° (whichever gives at most about eight), legend on the top panel.
    public static func bode(_ curves: [BodeCurve], title: String? = nil,
                            frequencyLabel: String = "frequency ω (rad/s)", size: PlotSize? = nil) -> Figure {
        let finitePhase = curves.flatMap(\.phaseDegrees).filter(\.isFinite)
        let span = (finitePhase.max() ?? 0) - (finitePhase.min() ?? 0)
        let phaseStep: Double? = span <= 10 ? nil : span <= 360 ? 45 : span <= 720 ? 90 : nil
        let magnitude = curves.map {
            Series($0.name, x: $0.frequencies, y: $0.magnitudeDB, color: $0.color, dash: $0.dash)
        }
        let phase = curves.map {
            Series($0.name, x: $0.frequencies, y: $0.phaseDegrees, color: $0.color, dash: $0.dash)
        }
        return Figure(title: title, xAxis: .log(frequencyLabel), panels: [
            Subplot(yAxis: .linear("magnitude (dB)"), series: magnitude, legend: curves.count > 1 ? .automatic : .hidden),
            Subplot(yAxis: .linear("phase (°)", tickStep: phaseStep), series: phase, legend: .hidden),
        ], size: size ?? PlotSize(width: 640, height: 520))
    }
}
