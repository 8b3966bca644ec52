import Foundation
import Reports
import TestSupport
import Testing

/// Magnitude (dB) and phase (degrees) of H(s) = 1 / (s² + 2ζs + 1) at s = jω.
private func secondOrder(_ zeta: Double, _ w: [Double]) -> BodeCurve {
    let mag = w.map { x in -10 * log10((1 - x * x) * (1 - x * x) + 4 * zeta * zeta * x * x) }
    let phase = w.map { x in -atan2(2 * zeta * x, 1 - x * x) * 180 / .pi }
    return BodeCurve("ζ = \(zeta)", frequencies: w, magnitudeDB: mag, phaseDegrees: phase)
}

@Suite struct FigureTests {
    @Test func bodePanelsShareTheFrequencyAxis() throws {
        let w = (0..<300).map { pow(10, -2 + 4 * Double($0) / 299) }
        let figure = Figure.bode([secondOrder(0.1, w), secondOrder(0.7, w)], title: "second order")
        let svg = figure.svg()
        let elements = try #require(parseSVG(svg))
        #expect(elements.withClass("series").count == 4)   // 2 curves × (magnitude, phase)
        let areas = plotAreas(elements)
        #expect(areas.count == 2)
        #expect(areas[0].x == areas[1].x && areas[0].width == areas[1].width)
        #expect(areas[0].maxY < areas[1].y)
        let layouts = figure.layout()
        #expect(layouts[0].x.domain == layouts[1].x.domain)
        expectClose(layouts[1].xTicks.filter(\.isMajor).map(\.value), [0.01, 0.1, 1, 10, 100])
        // Phase ticks at multiples of 45°, covering 0 … −180.
        let phaseTicks = layouts[1].yTicks.filter(\.isMajor).map(\.value)
        #expect(phaseTicks.allSatisfy { abs($0 / 45 - ($0 / 45).rounded()) < 1e-9 })
        #expect(layouts[1].y.domain.lowerBound <= -179 && layouts[1].y.domain.upperBound >= 0)
        // x tick labels only under the bottom panel: every "0.01" label lies below the top panel.
        let lowLabels = elements.filter { $0.name == "text" && $0.text == "0.01" }
        #expect(lowLabels.count == 1)
        #expect(lowLabels.allSatisfy { Double($0.attributes["y"] ?? "") ?? 0 > areas[1].maxY })
        // Legend only on the magnitude panel; same colour for a curve in both panels.
        #expect(layouts[0].legendFrame != nil && layouts[1].legendFrame == nil)
        let strokes = elements.withClass("series").compactMap { $0.attributes["stroke"] }
        #expect(strokes[0] == strokes[2] && strokes[1] == strokes[3] && strokes[0] != strokes[1])
    }

    @Test func stackedPanelsAlignTheirLeftEdges() throws {
        let x = (0..<20).map(Double.init)
        let figure = Figure(xAxis: .linear("k"), panels: [
            Subplot(yAxis: .linear("small"), series: [Series("a", x: x, y: x.map { $0 / 1000 })], title: "first"),
            Subplot(yAxis: .linear("large"), series: [Series("b", x: x, y: x.map { $0 * 12345 })]),
            Subplot(yAxis: .log("log"), series: [Series("c", x: x, y: x.map { exp($0) })]),
        ])
        let layouts = figure.layout()
        #expect(Set(layouts.map(\.plotArea.x)).count == 1 && Set(layouts.map(\.plotArea.width)).count == 1)
        #expect(zip(layouts, layouts.dropFirst()).allSatisfy { $0.plotArea.maxY < $1.plotArea.y })
        let elements = try #require(parseSVG(figure.svg()))
        #expect(plotAreas(elements).count == 3)
        #expect(elements.contains { $0.name == "text" && $0.text == "first" })
    }
}

@Suite struct ScatterPlotTests {
    @Test func groupsLabelsAndLogCost() throws {
        let plot = ScatterPlot(title: "RMSE vs parameters", xAxis: .log("parameters"), yAxis: .linear("RMSE"), groups: [
            ScatterGroup("SSM", points: [.init(x: 2e4, y: 0.12, label: "S4D-16"), .init(x: 8e4, y: 0.09, label: "S4D-64")]),
            ScatterGroup("RNN", points: [.init(x: 1.5e4, y: 0.2, label: "GRU"), .init(x: 6e4, y: 0.16, label: "LSTM"),
                                         .init(x: -1, y: 0.3, label: "not shown"), .init(x: 1e5, y: .nan)]),
            ScatterGroup("classical", points: [.init(x: 100, y: 0.25, label: "ridge & ARX")]),
        ])
        let elements = try #require(parseSVG(plot.svg()))
        let groups = elements.withClass("points")
        #expect(groups.count == 3)
        // One marker subpath per showable point (circle markers have two arcs but one "M").
        #expect(groups.map { $0.attributes["d"]!.filter { $0 == "M" }.count } == [2, 2, 1])
        let texts = Set(elements.filter { $0.name == "text" }.map(\.text))
        #expect(texts.isSuperset(of: ["S4D-16", "S4D-64", "GRU", "LSTM", "ridge & ARX"]))
        #expect(!texts.contains("not shown"))
        let l = plot.layout()
        #expect(l.xTicks.filter(\.isMajor).allSatisfy { abs(log10($0.value) - log10($0.value).rounded()) < 1e-12 })
        // Padded domain: no point on the frame.
        for (x, y) in [(2e4, 0.12), (8e4, 0.09), (1.5e4, 0.2), (6e4, 0.16), (100, 0.25)] {
            let p = PlotPoint(x: l.x.pixel(x)!, y: l.y.pixel(y)!)
            #expect(l.plotArea.insetByForTests(4).contains(p))
        }
    }

    @Test func labelsOfNearbyPointsDoNotCollide() throws {
        let points = (0..<6).map { ScatterPoint(x: 1 + 0.01 * Double($0), y: 1 + 0.01 * Double($0), label: "model-\($0)") }
        let plot = ScatterPlot(xAxis: .linear(range: 0...2), yAxis: .linear(range: 0...2), groups: [ScatterGroup("g", points: points)])
        let elements = try #require(parseSVG(plot.svg()))
        let labels = elements.filter { $0.name == "text" && $0.text.hasPrefix("model-") }
        #expect(labels.count == 6)
        let positions = labels.map { "\($0.attributes["x"]!),\($0.attributes["y"]!),\($0.attributes["text-anchor"] ?? "start")" }
        #expect(Set(positions).count == 6)   // no two labels share a spot
    }
}

@Suite struct BarChartTests {
    @Test func barsAndErrorBarsMatchTheValues() throws {
        let chart = BarChart(title: "RMSE", categoryLabel: "dataset", categories: ["cascade", "copy"], groups: [
            BarGroup("S4D", summaries: [MeanStd(mean: 0.1, std: 0.02, n: 5), MeanStd(mean: 0.3, std: 0.05, n: 5)]),
            BarGroup("GRU", summaries: [MeanStd(mean: 0.2, std: .nan, n: 1), nil]),
        ], yAxis: .linear("RMSE"))
        let elements = try #require(parseSVG(chart.svg()))
        let bars = elements.withClass("bar")
        #expect(bars.count == 3)                                 // the missing result draws no bar
        #expect(elements.withClass("error-bar").count == 2)      // n = 1 has no std
        let l = chart.layout()
        #expect(l.y.domain.lowerBound == 0 && l.y.domain.upperBound >= 0.35)
        let zero = l.y.pixel(0)!
        for (bar, value) in zip(bars, [0.1, 0.3, 0.2]) {
            let y = Double(bar.attributes["y"]!)!, h = Double(bar.attributes["height"]!)!
            expectClose(y, l.y.pixel(value)!, atol: 0.01, "coordinates are printed with 2 decimals")
            expectClose(y + h, zero, atol: 0.02, "two rounded coordinates")
        }
        // Category labels under the slots, in order.
        let names = elements.filter { $0.name == "text" && ($0.text == "cascade" || $0.text == "copy") }
        #expect(names.map(\.text) == ["cascade", "copy"])
        #expect(Double(names[0].attributes["x"]!)! < Double(names[1].attributes["x"]!)!)
    }

    @Test func longCategoryNamesAreRotatedAndNegativeBarsHang() throws {
        let cats = (0..<8).map { "a rather long dataset name \($0)" }
        let chart = BarChart(categories: cats, groups: [BarGroup("m", values: (0..<8).map { Double($0) - 3.5 })])
        let elements = try #require(parseSVG(chart.svg()))
        let rotated = elements.filter { $0.name == "text" && $0.text.hasPrefix("a rather") }
        #expect(rotated.count == 8 && rotated.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-35") == true })
        let l = chart.layout()
        let zero = l.y.pixel(0)!
        let first = try #require(elements.withClass("bar").first)
        expectClose(Double(first.attributes["y"]!)!, zero, atol: 0.01, "negative bar starts at zero")
        #expect(l.plotArea.maxY + 60 < PlotSize.standard.height)   // room left for the rotated labels
    }

    @Test func emptyChartRendersNote() throws {
        let chart = BarChart(categories: [], groups: [])
        let elements = try #require(parseSVG(chart.svg()))
        #expect(elements.contains { $0.name == "text" && $0.text == "no data" })
    }
}

extension PlotRect {
    func insetByForTests(_ d: Double) -> PlotRect { PlotRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

@Suite struct HeatmapTests {
    private func luminance(_ c: PlotColor) -> Double {
        let h = Array(c.hex.dropFirst())
        let v = stride(from: 0, to: 6, by: 2).map { Double(Int(String(h[$0...$0 + 1]), radix: 16)!) }
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
    }

    @Test func cellsColourBarAndMissingValues() throws {
        var values = (0..<3).map { i in (0..<4).map { j in pow(10, Double(i + j) - 3) } }
        values[1][2] = .nan
        let map = Heatmap(title: "error", rowLabels: ["a", "b", "c"], columnLabels: ["w", "x", "y", "z"], values: values,
                          valueLabel: "rel. error", scale: .log10)
        let elements = try #require(parseSVG(map.svg()))
        let cells = elements.withClass("cell")
        #expect(cells.count == 12)
        #expect(cells[6].attributes["fill"] == "#e8e8e8")                 // NaN
        #expect(cells[0].attributes["fill"] == "#440154")                 // smallest value, viridis(0)
        #expect(cells[11].attributes["fill"] == "#fde725")                // largest value, viridis(1)
        #expect(elements.withClass("color-bar").count == 1)
        #expect(elements.contains { $0.name == "text" && $0.text == "0.00100" })
        #expect(elements.contains { $0.name == "text" && $0.text == "–" })
    }

    @Test func viridisGetsBrighterMonotonically() {
        let l = (0...100).map { luminance(Heatmap.color(at: Double($0) / 100).color) }
        #expect(zip(l, l.dropFirst()).allSatisfy { $0 <= $1 + 1 })   // ±1 for 8-bit rounding
        #expect(l.last! - l.first! > 150)
        #expect(Heatmap.color(at: 0).darkText == false && Heatmap.color(at: 1).darkText == true)
    }
}
