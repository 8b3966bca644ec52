// ResultPlots.swift — figures of an experiment, made from its records and the files beside
// them (predictions/, kernels/); nothing is recomputed.
//   predictions      truth and each model's prediction on the first test segment of a dataset
//   learning-curves  training and validation loss per epoch of each neural model
//   metric-vs-cost   each model's mean metric against a cost column (log x), one point per model
//   kernels          impulse responses h[k] of LTI/SSM models (up to 4 per model)
//   frequency-responses  their magnitude responses 20 log10 |H(e^{jω})|, from a DFT of the taps

import Foundation
import LinearAlgebra
import Reports

public enum PlotKind: String, CaseIterable, Sendable {
    case predictions
    case learningCurves = "learning-curves"
    case metricVsCost = "metric-vs-cost"
    case kernels
    case frequencyResponses = "frequency-responses"
}

/// A problem making a plot (nothing to plot, an unknown dataset or metric).
public struct PlotError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

public enum ResultPlots {
    /// The latest record per (dataset, model, seed): a resumed run after a changed
    /// specification appends a newer record for the same key.
    public static func latest(_ records: [RunRecord]) -> [RunRecord] {
        var index: [RunKey: Int] = [:]
        var out: [RunRecord] = []
        for r in records {
            if let i = index[r.key] { out[i] = r } else { index[r.key] = out.count; out.append(r) }
        }
        return out
    }

    static func pick(_ records: [RunRecord], dataset: String?, seed: UInt64?) throws -> (String, UInt64, [RunRecord]) {
        let ok = latest(records).filter { $0.status == "ok" }
        guard let first = ok.first(where: { dataset == nil || $0.dataset == dataset }) else {
            let names = Array(Set(records.map(\.dataset))).sorted()
            throw PlotError(dataset.map { "no successful runs for dataset '\($0)'; datasets: \(names.joined(separator: ", "))" } ?? "no successful runs to plot")
        }
        let d = dataset ?? first.dataset
        let s = seed ?? first.seed
        return (d, s, ok.filter { $0.dataset == d && $0.seed == s })
    }

    /// Reads a CSV written by the runner (numeric cells; empty cells become NaN).
    static func readCSV(_ url: URL) throws -> (header: [String], rows: [[Double]]) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw PlotError("\(url.path): cannot read") }
        let rows = try CSV.parse(text)
        guard let header = rows.first else { throw PlotError("\(url.path): empty file") }
        return (header, rows.dropFirst().map { $0.map { Double($0) ?? .nan } })
    }

    public static func predictions(_ records: [RunRecord], directory: URL, dataset: String? = nil, seed: UInt64? = nil) throws -> LinePlot {
        let (d, s, runs) = try pick(records, dataset: dataset, seed: seed)
        var series: [Series] = []
        for r in runs {
            guard let file = r.predictionFile, !file.isEmpty else { continue }
            let (header, rows) = try readCSV(directory.appendingPathComponent(file))
            guard header.first == "t", header.count >= 3 else { continue }   // I/O and sequence files only
            let t = rows.map { $0[0] }
            if series.isEmpty { series.append(Series("truth", x: t, y: rows.map { $0[1] }, color: .black, lineWidth: 1.5)) }
            series.append(Series(r.model, x: t, y: rows.map { $0[2] }, lineWidth: 1.2))
        }
        guard !series.isEmpty else { throw PlotError("dataset '\(d)' has no time-series predictions to plot (forecast and classification runs have none)") }
        return LinePlot(title: "\(d): test predictions (seed \(s), first output)", xAxis: .linear("step"), yAxis: .linear("output"), series: series)
    }

    public static func learningCurves(_ records: [RunRecord], dataset: String? = nil, seed: UInt64? = nil) throws -> LinePlot {
        let (d, s, runs) = try pick(records, dataset: dataset, seed: seed)
        var series: [Series] = []
        // One colour per model (its training curve solid, its validation curve dashed), so the
        // two curves of a model pair up and no two models share a colour and dash.
        for (i, r) in runs.filter({ $0.trainLoss != nil || $0.validationLoss != nil }).enumerated() {
            let color = PlotColor.automatic(i), dash: LineDash = i < PlotColor.palette.count ? .dashed : .dashDot
            if let tl = r.trainLoss {
                series.append(Series("\(r.model) train", x: tl.indices.map { Double($0 + 1) }, y: tl, color: color,
                                     dash: i < PlotColor.palette.count ? .solid : .dotted))
            }
            if let vl = r.validationLoss { series.append(Series("\(r.model) val", x: vl.indices.map { Double($0 + 1) }, y: vl, color: color, dash: dash)) }
        }
        guard !series.isEmpty else { throw PlotError("dataset '\(d)' has no learning curves (only neural models record them)") }
        return LinePlot(title: "\(d): learning curves (seed \(s))", xAxis: .linear("epoch"), yAxis: .log("loss"), series: series)
    }

    public static func metricVsCost(_ records: [RunRecord], dataset: String? = nil, metric: String, cost: String) throws -> ScatterPlot {
        let ok = latest(records).filter { $0.status == "ok" && (dataset == nil || $0.dataset == dataset) }
        func costValue(_ r: RunRecord) -> Double? {
            switch cost {
            case "parameters": return r.parameters.map(Double.init)
            case "train_s": return r.trainSeconds
            case "infer_s": return r.inferenceSeconds
            case "step_s": return r.recurrentStepSeconds
            case "seq_s": return r.sequenceSeconds
            default: return nil
            }
        }
        guard ["parameters", "train_s", "infer_s", "step_s", "seq_s"].contains(cost) else {
            throw PlotError("unknown cost '\(cost)'; valid: parameters, train_s, infer_s, step_s, seq_s")
        }
        var groups: [ScatterGroup] = []
        for d in Array(Set(ok.map(\.dataset))).sorted() {
            var points: [ScatterPoint] = []
            for m in Array(Set(ok.filter { $0.dataset == d }.map(\.model))).sorted() {
                let runs = ok.filter { $0.dataset == d && $0.model == m }
                let ys = runs.compactMap { $0.metrics[metric] ?? nil }, xs = runs.compactMap(costValue)
                guard !ys.isEmpty, !xs.isEmpty else { continue }
                points.append(ScatterPoint(x: xs.reduce(0, +) / Double(xs.count), y: ys.reduce(0, +) / Double(ys.count), label: m))
            }
            if !points.isEmpty { groups.append(ScatterGroup(d, points: points)) }
        }
        guard !groups.isEmpty else { throw PlotError("no runs record both '\(metric)' and '\(cost)'") }
        return ScatterPlot(title: "\(metric) against \(cost) (mean over seeds)", xAxis: .log(cost), yAxis: .linear(metric), groups: groups)
    }

    /// Kernel taps (`spectrum == false`) or their magnitude responses over ω ∈ (0, π).
    public static func kernels(_ records: [RunRecord], directory: URL, dataset: String? = nil, seed: UInt64? = nil,
                               spectrum: Bool = false) throws -> LinePlot {
        let (d, s, runs) = try pick(records, dataset: dataset, seed: seed)
        var series: [Series] = []
        for r in runs {
            guard let file = r.predictionFile, !file.isEmpty else { continue }
            let url = directory.appendingPathComponent(file.replacingOccurrences(of: "predictions/", with: "kernels/"))
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let (header, rows) = try readCSV(url)
            for c in 1..<min(header.count, 5) {
                let h = rows.map { $0[c] }.filter(\.isFinite)
                if !spectrum {
                    series.append(Series("\(r.model) \(header[c])", x: h.indices.map(Double.init), y: h))
                    continue
                }
                // |H(e^{jω})| at the DFT frequencies ω_k = 2πk/n in (0, π).
                let n = h.count
                var w: [Double] = [], mag: [Double] = []
                for k in 1..<max(2, (n + 1) / 2) {
                    var re = 0.0, im = 0.0
                    for (t, v) in h.enumerated() {
                        let a = -2 * Double.pi * Double((k * t) % n) / Double(n)
                        re += v * cos(a); im += v * sin(a)
                    }
                    w.append(2 * Double.pi * Double(k) / Double(n))
                    mag.append(20 * log10(max((re * re + im * im).squareRoot(), 1e-12)))
                }
                series.append(Series("\(r.model) \(header[c])", x: w, y: mag))
            }
        }
        guard !series.isEmpty else { throw PlotError("dataset '\(d)' has no kernels: only LTI and SSM models record them") }
        return spectrum
            ? LinePlot(title: "\(d): magnitude responses of LTI/SSM kernels (seed \(s))", xAxis: .log("ω (rad/sample)"),
                       yAxis: .linear("|H| (dB)"), series: series)
            : LinePlot(title: "\(d): kernels of LTI/SSM models (seed \(s))", xAxis: .linear("step k"), yAxis: .linear("h[k]"), series: series)
    }
}
