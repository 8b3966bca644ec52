// GradientLagCommand.swift — `sslab gradient-lag`: ‖∂y_T/∂x_{T−τ}‖ against the lag τ for
// recurrent, state-space and linear sequence models (LabBench's GradientLag does the work).

import ArgumentParser
import Foundation
import LabBench
import StateSpaceLab

extension GradientLag.Method: ExpressibleByArgument {}

/// A comma-separated list of `GradientLag.Model` names, each at most once.
struct GradientLagModels: ExpressibleByArgument {
    let models: [GradientLag.Model]
    init?(argument: String) {
        var list: [GradientLag.Model] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let m = GradientLag.Model(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()), !list.contains(m) else { return nil }
            list.append(m)
        }
        guard !list.isEmpty else { return nil }
        models = list
    }
}

struct GradientLagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradient-lag",
        abstract: "Gradient norm ‖∂y_T/∂x_{T−τ}‖ against the lag τ: vanishing and exploding gradients.",
        discussion: """
        Builds a seeded network of --depth blocks of width H = --hidden (rnn, gru, lstm: one \
        recurrent layer; ssm: S4D → GELU → Linear; lti: a dense linear system with H states), \
        optionally each wrapped as y = x + f(x) (--residual), runs one seeded N(0, 1) input of \
        length T (the same for every model with the same seed), back-propagates from the output at \
        the last step and prints the Frobenius norm of the H × H Jacobian ∂y_T/∂x_{T−k} for every \
        lag k = 0 … T − 1 (column k): one column per model and per value of a list option. For lti the Jacobian at lag k is the kernel tap \
        h[k] = C A^(k−1) B (h[0] = D).
        --scale multiplies the recurrent matrices, which start orthogonal (W_hh's gate blocks, the \
        LTI's A), so it is their spectral radius: below 1 the gradient vanishes, above 1 it can \
        explode. --forget-bias sets the LSTM forget gate (default 1) or GRU update gate bias; --dt \
        fixes the S4D step Δ (default: log-uniform in [1e-3, 1e-1] per channel). \
        --method finite-difference recomputes the norms by central differences (2·T·H forwards).
        With --output FILE.svg the curves are drawn on a logarithmic axis instead.
        Example: sslab gradient-lag --model rnn,lstm,ssm --length 200 --every 25 --format md
        """)
    @Option(help: "Models, comma-separated: rnn | gru | lstm | ssm | lti.") var model: GradientLagModels
    @Option(help: "H: width of input, state and output of every block.") var hidden: Int = 16
    @Option(help: "T: the sequence length (lags 0 … T − 1).") var length: Int = 200
    @Option(name: .customLong("depth"), help: "Blocks stacked on top of each other (a list gives one column per value).") var depthList: LengthList?
    @Flag(help: "Wrap every block as y = x + f(x).") var residual = false
    @Option(name: .customLong("scale"), help: "Multiplier (= spectral radius) of the orthogonal recurrent matrices (rnn, gru, lstm, lti); a list gives one column per value.")
    var scaleList: NumberList?
    @Option(parsing: .unconditional, help: "LSTM forget-gate / GRU update-gate bias (a list: one column per value).") var forgetBias: NumberList?
    @Option(parsing: .unconditional, help: "S4D step Δ on every channel (ssm; a list: one column per value).") var dt: NumberList?
    @Option(help: "N of the S4D layer (ssm, even; default 64) or n of the LTI system (default H).") var stateSize: Int?
    @Option(help: "lti: use this discrete system (JSON) instead of a random one.") var system: String?
    @Option(help: "Seed of the input and the weights.") var seed: UInt64 = 0
    @Option(help: "Print every k-th lag (0, k, 2k, …).") var every: Int = 1
    @Option(help: "backprop | finite-difference") var method: GradientLag.Method = .backprop
    @Option(help: "md | csv | json | latex") var format: OutputFormat = .md
    @OptionGroup var out: OutputOption

    var depth: [Int] { depthList?.values ?? [1] }
    var scale: [Double] { scaleList?.values ?? [1] }

    func validate() throws {
        guard every >= 1 else { throw ValidationError("--every must be ≥ 1, got \(every)") }
        if system != nil && model.models != [.lti] { throw ValidationError("--system applies to --model lti alone") }
        for (flag, list) in [("--depth", depth.map(Double.init)), ("--scale", scale), ("--forget-bias", forgetBias?.values ?? []), ("--dt", dt?.values ?? [])]
            where Set(list).count != list.count {
            throw ValidationError("\(flag): a value is listed twice")
        }
        if (out.output ?? "").lowercased().hasSuffix(".svg") && format != .md {
            throw ValidationError("--format applies to tables; an .svg output is a plot")
        }
    }

    func run() throws {
        let file = try system.map { try loadDiscrete($0, dt: nil, command: "gradient-lag") }
        // One column per model × depth × scale × gate bias × step; a list option names its value.
        var curves: [(name: String, curve: GradientLag.Curve)] = []
        for m in model.models { for d in depth { for s in scale {
            for b in forgetBias.map({ $0.values.map(Optional.some) }) ?? [nil] { for step in dt.map({ $0.values.map(Optional.some) }) ?? [nil] {
                var c = GradientLag.Configuration(model: m)
                c.hidden = hidden; c.length = length; c.depth = d; c.residual = residual; c.scale = s
                c.forgetBias = b; c.dt = step; c.stateSize = stateSize; c.seed = seed; c.system = file
                var name = m.rawValue
                if depth.count > 1 { name += " depth \(d)" }
                if scale.count > 1 { name += " s=\(label(s))" }
                if let b, forgetBias!.values.count > 1 { name += " b=\(label(b))" }
                if let step, dt!.values.count > 1 { name += " Δ=\(label(step))" }
                do { curves.append((name, try GradientLag.run(c, method: method))) } catch { throw CLIError(error.description) }
            } }
        } } }
        let radii = curves.compactMap { c in c.curve.spectralRadius.map { "\(c.name) \(String(format: "%.4g", $0))" } }
        let single = depth.count == 1 ? depth[0] : nil
        let setting = "H = \(hidden), T = \(length)\(single.map { $0 > 1 ? ", depth \($0)" : "" } ?? "")\(residual ? ", residual" : ""), seed \(seed)"
        if let o = out.output, o.lowercased().hasSuffix(".svg") {
            let lags = (0..<length).map(Double.init)
            let series = curves.map { Series($0.name, x: lags, y: $0.curve.norms) }
            try LinePlot(title: "‖∂y_T/∂x_{T−k}‖ (\(setting))", xAxis: .linear("lag k"), yAxis: .log("gradient norm"),
                         series: series, legend: series.count > 1 ? .automatic : .hidden).write(to: o)
            return
        }
        let columns: [TableColumn] = [.integer("k")] + curves.map { .number($0.name, significantDigits: 4) }
        let rows: [[TableValue]] = stride(from: 0, to: length, by: every).map { lag in
            [.integer(lag)] + curves.map { .number($0.curve.norms[lag]) }
        }
        let table = try Table(columns: columns, rows: rows, caption: "Gradient norm ‖∂y_T/∂x_{T−k}‖_F by lag k (\(setting))",
                              footnote: radii.isEmpty ? nil : "Largest spectral radius of a recurrent matrix (S4D: max |Ā|): " + radii.joined(separator: ", ") + ".")
        try out.emit(table.rendered(format.table))
    }

    /// A list value as it labels a column: "0.5", "3", "1e-3".
    func label(_ x: Double) -> String { x == x.rounded() && Swift.abs(x) < 1e6 ? String(Int(x)) : "\(x)" }
}
