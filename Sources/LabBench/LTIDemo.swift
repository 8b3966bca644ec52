// LTIDemo.swift — the lab's main demonstration for the LTI core (`sslab demo`):
//  1. discretisation: the classic systems discretised by every method, scored against the
//     continuous system (frequency response up to half the Nyquist frequency, step response at
//     the samples);
//  2. RNN = CNN: systems simulated in every mode across lengths (time and deviation);
//  3. figures: Bode plot of the classic systems, DC-motor step responses by method, and time per
//     mode against length.
// Results are data first: each table is built from rows of numbers and written as Markdown and
// CSV; the figures are SVG.

import Foundation
import LinearAlgebra
import Numerics
import Reports
import StateSpace

public struct DemoArtifacts: Sendable {
    /// Tables to print, in order, with the file stem they were written under.
    public var tables: [(name: String, table: Table)] = []
    /// Every file written (absolute or as given).
    public var files: [String] = []
}

public enum LTIDemo {
    /// Sample time per classic system: about a tenth of its fastest time constant.
    static func sampleTime(_ sys: ContinuousLTI) throws -> Double {
        let fastest = try sys.poles().map { $0.length }.max() ?? 1
        return (0.1 / fastest * 1e3).rounded() / 1e3
    }

    /// The discretisation accuracy table.
    public static func discretisationTable() throws -> (Table, [(String, [String: [Double]])]) {
        let methods: [DiscretizationMethod] = [.zoh, .foh, .impulse, .bilinear, .euler, .backwardEuler]
        var rows: [[TableValue]] = []
        var stepCurves: [(String, [String: [Double]])] = []
        for name in ClassicSystems.names {
            let sys = try ClassicSystems.named(name)
            let dt = try sampleTime(sys)
            let nyquist = Double.pi / dt
            let omega = StateSpace.logspace(Double.log10(nyquist) - 3, Double.log10(0.5 * nyquist), count: 200)
            let hc = try sys.frequencyResponse(omega: omega)
            let scale = hc.values.map(\.length).max() ?? 1
            // Exact step response at the samples: y(k dt) = C A⁻¹ (e^{A k dt} − I) B + D.
            let steps = 60
            var exact: [Double] = []
            for k in 0..<steps {
                let e = try (Double(k) * dt * sys.a).exp()
                exact.append((sys.c * (try sys.a.solve(e - Matrix.identity(sys.stateCount))) * sys.b + sys.d)[0, 0])
            }
            var curves: [String: [Double]] = ["exact (continuous)": exact]
            for method in methods {
                let d = try sys.discretized(dt: dt, method: method)
                let hd = try d.frequencyResponse(omega: omega)
                var fErr = 0.0
                for (a, b) in zip(hd.values, hc.values) { fErr = Swift.max(fErr, (a - b).length) }
                let step = try d.stepResponse(steps: steps).series(output: 0, input: 0)
                curves[method.name] = step
                var sErr = 0.0
                for (a, b) in zip(step, exact) { sErr = Swift.max(sErr, Swift.abs(a - b)) }
                let stepScale = exact.map(Swift.abs).max() ?? 1
                rows.append([.text(name), .number(dt), .text(method.name), .number(fErr / scale), .number(sErr / stepScale),
                             .text(try d.isStable() ? "yes" : "no")])
            }
            stepCurves.append((name, curves))
        }
        let table = try Table(columns: [.text("system"), .number("dt"), .text("method"),
                                        .number("freq_resp_rel_error", better: .lower, significantDigits: 3),
                                        .number("step_rel_error", better: .lower, significantDigits: 3), .text("stable")],
                              rows: rows, groupColumn: "system",
                              caption: "Discretisation methods against the continuous system (dt ≈ 0.1 / fastest pole)",
                              footnote: "freq_resp_rel_error: max |H_d(e^{jωdt}) − H_c(jω)| / max |H_c| for ω up to half the Nyquist frequency; step_rel_error: max |y_d[k] − y_c(k dt)| / max |y_c| over 60 steps.")
        return (table, stepCurves)
    }

    /// Systems for the mode comparison.
    public static func comparisonSystems() throws -> [(String, DiscreteLTI)] {
        var motor = try ClassicSystems.dcMotor().discretized(dt: 0.01, method: .zoh)
        motor.labels.name = "dc-motor (zoh, dt 0.01)"
        var rng = SplitMix64(seed: 2024)
        var random = try DiscreteLTI.randomStable(order: 32, inputs: 2, outputs: 2, radius: 0.9...0.995, feedthrough: true, using: &rng)
        random.labels.name = "random n=32, 2×2"
        return [(motor.labels.name!, motor), (random.labels.name!, random)]
    }

    /// Runs the whole demonstration and writes its files into `directory`.
    public static func run(directory: String, lengths: [Int] = [100, 1000, 10_000, 100_000], policy: TimingPolicy = .quick,
                           log: (String) -> Void) throws -> DemoArtifacts {
        var art = DemoArtifacts()
        func write(_ table: Table, _ stem: String) throws {
            for (format, ext) in [(TableFormat.markdown, "md"), (.csv, "csv")] {
                let path = directory + "/" + stem + "." + ext
                try table.write(to: path, format: format)
                art.files.append(path)
            }
            art.tables.append((stem, table))
        }

        log("discretising the classic systems by every method…")
        let (disc, stepCurves) = try discretisationTable()
        try write(disc, "discretisation")

        var timing: [(String, [ModeComparisonRow])] = []
        for (name, sys) in try comparisonSystems() {
            log("simulating \(name) in every mode at lengths \(lengths.map(String.init).joined(separator: ", "))…")
            let rows = try ModeComparison.run(sys, lengths: lengths, policy: policy)
            timing.append((name, rows))
        }
        var modeRows: [[TableValue]] = []
        for (name, rows) in timing {
            for r in rows {
                modeRows.append([.text(name), .text(r.mode.rawValue), .integer(r.length), r.seconds.map { .number($0) } ?? .missing,
                                 r.relativeDeviation.map { .number($0) } ?? .missing, .text(r.note ?? "")])
            }
        }
        let modeTable = try Table(columns: [.text("system"), .text("mode"), .integer("length"),
                                            .number("seconds", better: .lower, significantDigits: 3),
                                            .number("relative_deviation", significantDigits: 3), .text("note")],
                                  rows: modeRows, groupColumn: nil,
                                  caption: "One system, four computations: recurrent and modal (RNN) vs direct and FFT convolution (CNN)",
                                  footnote: "relative_deviation = max |y_mode − y_recurrent| / max |y_recurrent|; median of repeated runs.")
        try write(modeTable, "mode-comparison")

        // Figures.
        var bode: [BodeCurve] = []
        let omega = StateSpace.logspace(-2, 3, count: 400)
        for name in ClassicSystems.names {
            let fr = try ClassicSystems.named(name).frequencyResponse(omega: omega)
            bode.append(BodeCurve(name, frequencies: omega, magnitudeDB: fr.magnitudeDB(output: 0, input: 0),
                                  phaseDegrees: fr.phaseDegrees(output: 0, input: 0)))
        }
        let bodePath = directory + "/bode.svg"
        try Figure.bode(bode, title: "Classic systems: frequency response").write(to: bodePath)
        art.files.append(bodePath)

        if let motor = stepCurves.first(where: { $0.0 == "dc-motor" }) {
            let order = ["exact (continuous)", "zoh", "foh", "impulse", "bilinear", "euler", "backward-euler"]
            let series = order.compactMap { key in motor.1[key].map { Series(key, y: $0, dash: key.hasPrefix("exact") ? .dashed : nil) } }
            let plot = LinePlot(title: "DC motor: step response by discretisation method",
                                xAxis: .linear("step k"), yAxis: .linear("speed (rad/s)"), series: series)
            let path = directory + "/step-responses.svg"
            try plot.write(to: path)
            art.files.append(path)
        }

        if let (name, rows) = timing.last {
            var series: [Series] = []
            for mode in SimulationMode.allCases {
                let pts = rows.filter { $0.mode == mode && $0.seconds != nil }
                series.append(Series(mode.rawValue, x: pts.map { Double($0.length) }, y: pts.map { $0.seconds! }, marker: .circle))
            }
            let plot = LinePlot(title: "Time per simulation mode: \(name)", xAxis: .log("input length L"),
                                yAxis: .log("median time (s)"), series: series)
            let path = directory + "/mode-timing.svg"
            try plot.write(to: path)
            art.files.append(path)
        }
        return art
    }
}
