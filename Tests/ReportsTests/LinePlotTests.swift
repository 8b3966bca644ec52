import Foundation
import Reports
import TestSupport
import Testing

/// Deterministic irregular values in [-1, 1] (no RNG needed: the tests only need spread).
private func wiggle(_ n: Int, _ phase: Double = 0) -> [Double] {
    (0..<n).map { sin(1.7 * Double($0) + phase) * cos(0.31 * Double($0)) }
}

private let logSpace = (0..<201).map { pow(10, -2 + 4 * Double($0) / 200) }   // 0.01 … 100

@Suite struct LinePlotTests {
    @Test func wellFormedWithOnePathPerSeries() throws {
        let plot = LinePlot(title: "Responses <A & B>", xAxis: .linear("time (s)"), yAxis: .linear("y"),
                            series: [Series("a \"quoted\"", y: wiggle(50)), Series("b", y: wiggle(50, 1), dash: .dashed, marker: .circle),
                                     Series("c", y: wiggle(50, 2), dash: .dotted), Series("d", y: wiggle(50, 3), dash: .dashDot, marker: .cross)])
        let elements = try #require(parseSVG(plot.svg()))
        #expect(elements.first?.name == "svg")
        let paths = elements.withClass("series")
        #expect(paths.count == 4)
        #expect(paths.map { $0.attributes["data-name"] } == ["a \"quoted\"", "b", "c", "d"])
        #expect(paths.allSatisfy { subpaths($0.attributes["d"] ?? "").count == 1 })
        #expect(elements.withClass("markers").count == 2)
        #expect(elements.contains { $0.name == "title" && $0.text == "Responses <A & B>" })
        // Four distinct colours from the palette.
        #expect(Set(paths.compactMap { $0.attributes["stroke"] }).count == 4)
        #expect(elements.withClass("legend").count == 1)
    }

    @Test func nanAndNonPositiveOnLogBreakThePath() throws {
        var y = wiggle(30).map { $0 + 2 }
        y[10] = .nan
        y[20] = -1   // not showable on a log y axis
        let plot = LinePlot(xAxis: .linear(), yAxis: .log(), series: [Series("s", y: y)])
        let elements = try #require(parseSVG(plot.svg()))
        let d = try #require(elements.withClass("series").first?.attributes["d"])
        let parts = subpaths(d)
        #expect(parts.count == 3)
        #expect(parts.map(\.count) == [10, 9, 9])
        // Linear y: only the NaN breaks it.
        let linear = LinePlot(series: [Series("s", y: y)])
        let d2 = try #require(parseSVG(linear.svg())?.withClass("series").first?.attributes["d"])
        #expect(subpaths(d2).count == 2)
        // An isolated point between gaps is drawn as a dot (zero-length subpath).
        let dot = LinePlot(series: [Series("s", y: [1, .nan, 2, .nan, 3, 4])])
        let d3 = try #require(parseSVG(dot.svg())?.withClass("series").first?.attributes["d"])
        #expect(d3.contains("h0") && subpaths(d3).count == 3)
    }

    @Test func logAxisTicksAreAtDecades() {
        let plot = LinePlot(xAxis: .log("ω"), yAxis: .log("|H|"),
                            series: [Series("h", x: logSpace, y: logSpace.map { 1 / ($0 * $0) })])
        let l = plot.layout()
        let majors = l.xTicks.filter(\.isMajor).map(\.value)
        expectClose(majors, [0.01, 0.1, 1, 10, 100])
        #expect(l.xTicks.filter(\.isMajor).map { $0.label?.description } == ["0.01", "0.1", "1", "10", "100"])
        // Minor ticks are m·10^k with m ∈ 2…9.
        for t in l.xTicks where !t.isMajor {
            let m = t.value / pow(10, floor(log10(t.value) + 1e-12))
            #expect((2...9).contains(Int(m.rounded())) && abs(m - m.rounded()) < 1e-9)
        }
        // y spans 1e-4 … 1e4: every labelled tick is an exact decade, written 10^k.
        for t in l.yTicks where t.isMajor {
            let k = log10(t.value)
            #expect(abs(k - k.rounded()) < 1e-12)
            #expect(t.label == TickLabel(text: "10", superscript: "\(Int(k.rounded()))".replacingOccurrences(of: "-", with: "−")))
        }
        expectClose([l.y.domain.lowerBound, l.y.domain.upperBound], [1e-4, 1e4])
    }

    @Test func manyDecadesAreThinnedToEveryKth() {
        let x = (0..<100).map { pow(10, -12 + 24 * Double($0) / 99) }
        let plot = LinePlot(xAxis: .log(), series: [Series("s", x: x, y: wiggle(100))], size: PlotSize(width: 320, height: 240))
        let majors = plot.layout().xTicks.filter(\.isMajor).map { log10($0.value) }
        #expect(majors.count >= 2 && majors.count <= 6)
        let steps = Set(zip(majors, majors.dropFirst()).map { Int(($1 - $0).rounded()) })
        #expect(steps.count == 1 && steps.first! > 1)
    }

    @Test func linearTicksUseOneTwoFiveSteps() {
        for (lo, hi) in [(0.0, 1.0), (-3.7, 12.2), (1e-6, 7e-6), (250.0, 1020.0), (-0.02, 0.013), (1e5, 4.2e5)] {
            let y = (0..<20).map { lo + (hi - lo) * Double($0) / 19 }
            let l = LinePlot(series: [Series("s", y: y)]).layout()
            let majors = l.yTicks.filter(\.isMajor).map(\.value)
            #expect(majors.count >= 3, "range \(lo)…\(hi)")
            let step = majors[1] - majors[0]
            let mantissa = step / pow(10, floor(log10(step) + 1e-9))
            #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) for \(lo)…\(hi)")
            // The automatic domain ends on ticks and contains the data.
            #expect(l.y.domain.lowerBound <= lo && l.y.domain.upperBound >= hi)
            expectClose([l.y.domain.lowerBound, l.y.domain.upperBound], [majors.first!, majors.last!], rtol: 1e-9, atol: 1e-12 * (hi - lo))
        }
    }

    @Test func xTickLabelsDoNotOverlapOnNarrowPlots() {
        let x = (0..<50).map { 123_456.0 + 1000 * Double($0) }
        let plot = LinePlot(series: [Series("s", x: x, y: wiggle(50))], size: PlotSize(width: 200, height: 150))
        let l = plot.layout()
        let labelled = l.xTicks.filter(\.isMajor).compactMap { l.x.pixel($0.value) }
        #expect(labelled.count >= 2)
        // A label like "1.5×10⁵" is about 50 px wide at 12 px: neighbours must be at least that far apart.
        #expect(zip(labelled, labelled.dropFirst()).allSatisfy { $1 - $0 >= 45 })
    }

    @Test(arguments: [AxisScale.linear, .log10])
    func mappingIsMonotoneAndInsideThePlotArea(scale: AxisScale) throws {
        let x = logSpace
        let y = wiggle(x.count).map { scale == .log10 ? pow(10, 3 * $0) : 50 * $0 }
        let plot = LinePlot(xAxis: Axis(scale: scale), yAxis: Axis(scale: scale), series: [Series("s", x: x, y: y)])
        let l = plot.layout()
        let px = x.map { l.x.pixel($0)! }
        #expect(zip(px, px.dropFirst()).allSatisfy { $0 < $1 })
        let sortedY = y.sorted()
        let py = sortedY.map { l.y.pixel($0)! }
        #expect(zip(py, py.dropFirst()).allSatisfy { $0 >= $1 })   // larger values are higher (smaller y)
        for (a, b) in zip(px, y.map { l.y.pixel($0)! }) {
            #expect(l.plotArea.contains(PlotPoint(x: a, y: b)))
        }
        // The written path agrees: every coordinate lies in the plot-area rectangle of the SVG.
        let elements = try #require(parseSVG(plot.svg()))
        let area = try #require(plotAreas(elements).first)
        let points = subpaths(try #require(elements.withClass("series").first?.attributes["d"])).flatMap { $0 }
        #expect(points.count > 10)
        #expect(points.allSatisfy { area.contains($0, tolerance: 0.01) })
    }

    @Test func fixedRangeClipsToThePlotArea() throws {
        let y = wiggle(100).map { 10 * $0 }
        let plot = LinePlot(yAxis: .linear(range: -2...2), series: [Series("s", y: y, marker: .square)])
        let elements = try #require(parseSVG(plot.svg()))
        let area = try #require(plotAreas(elements).first)
        let parts = subpaths(try #require(elements.withClass("series").first?.attributes["d"]))
        #expect(parts.count > 1)   // leaving the range breaks the line
        #expect(parts.flatMap { $0 }.allSatisfy { area.contains($0, tolerance: 0.01) })
        #expect(plot.layout().y.domain == -2...2)
    }

    @Test func emptyDataDrawsAxesWithANote() throws {
        for plot in [LinePlot(title: "nothing", xAxis: .log("x"), yAxis: .linear("y")),
                     LinePlot(series: [Series("all NaN", y: [.nan, .nan])]),
                     LinePlot(series: [Series("none", x: [], y: [])])] {
            let elements = try #require(parseSVG(plot.svg()))
            #expect(plotAreas(elements).count == 1)
            #expect(elements.contains { $0.name == "text" && ($0.text == "no data" || $0.text == "no finite data") })
            #expect(elements.withClass("series").allSatisfy { ($0.attributes["d"] ?? "").isEmpty })
            #expect(plot.layout().xTicks.filter(\.isMajor).count >= 2)
        }
        // A single point still gets a non-degenerate domain.
        let one = LinePlot(series: [Series("p", x: [3], y: [3])]).layout()
        #expect(one.x.domain.lowerBound < 3 && one.x.domain.upperBound > 3)
    }

    @Test func geometryHasAtMostTwoDecimals() throws {
        let plot = LinePlot(xAxis: .log(), series: [Series("s", x: logSpace, y: logSpace.map { 1 / 3 + $0 / 7 }, marker: .diamond)])
        let elements = try #require(parseSVG(plot.svg()))
        for e in elements {
            for (name, value) in e.attributes where name != "font-family" && name != "xmlns" {
                for token in numberTokens(value) {
                    let decimals = token.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
                    #expect(decimals <= 2, "\(name)=\(value)")
                }
            }
        }
        #expect(SVG.number(12.5) == "12.5" && SVG.number(-0.001) == "0" && SVG.number(3) == "3")
        #expect(SVG.number(1234.567) == "1234.57" && SVG.number(-0.25) == "-0.25" && SVG.number(2.05) == "2.05")
        #expect(SVG.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
    }

    @Test func legendAvoidsDataOrMovesOutside() throws {
        // Data only in the lower left: the legend takes an empty corner inside.
        let x = (0..<50).map { Double($0) / 49 }
        let corner = LinePlot(xAxis: .linear(range: 0...2), yAxis: .linear(range: 0...2),
                              series: [Series("a", x: x, y: x), Series("b", x: x, y: x.map { $0 * $0 })]).layout()
        let frame = try #require(corner.legendFrame)
        #expect(corner.plotArea.contains(PlotPoint(x: frame.x, y: frame.y)) && corner.plotArea.contains(PlotPoint(x: frame.maxX, y: frame.maxY)))
        // Data everywhere: the legend goes to the right of the plot area.
        let dense = (0..<400).map { Double($0) }
        let full = LinePlot(series: [Series("a", x: dense, y: dense.map { sin($0) }), Series("b", x: dense, y: dense.map { cos($0 * 1.3) })]).layout()
        let outside = try #require(full.legendFrame)
        #expect(outside.x > full.plotArea.maxX)
        #expect(outside.maxX <= PlotSize.standard.width)
        #expect(LinePlot(series: [Series("a", y: [1, 2])], legend: .hidden).layout().legendFrame == nil)
    }

    @Test func writesTheDocumentAtomically() throws {
        let dir = try makeTemporaryDirectory("reports-plot")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plot = LinePlot(series: [Series("s", y: wiggle(10))])
        let path = dir.appendingPathComponent("plots/p.svg").path
        try plot.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == plot.svg())
    }
}
