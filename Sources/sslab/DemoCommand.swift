// DemoCommand.swift — `make demo`: the lab's main job.

import ArgumentParser
import Foundation
import LabBench
import StateSpaceLab

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The lab's main demonstration: discretisation, RNN = CNN mode comparison, and a model comparison experiment.",
        discussion: """
        1. Discretises the classic systems by every method and scores them against the continuous
           system; simulates systems in recurrent, modal, convolution and FFT mode across input
           lengths (time and deviation).
        2. Runs experiments/demo.toml (baselines, SSM, LTI, LSTM, Transformer, TCN on generated
           systems, shipped datasets and a long-range task; three seeds) into OUT/experiment,
           resuming if interrupted, and writes its table and figures.
        Everything lands in --out as Markdown, CSV and SVG. Example: sslab demo --out results
        """)
    @Option(help: "Output directory.") var out: String = "results"
    @Option(help: "Experiment file (default: experiments/demo.toml of the lab's checkout).") var experiment: String?
    @Option(help: "Runs executed in parallel in the experiment.") var jobs: Int = 2
    @Flag(help: "Shorter inputs (up to 10 000 steps) and no experiment: a fast run.") var quick = false
    @OptionGroup var data: DataDirectoryOption

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    }

    func run() throws {
        let lengths = quick ? [100, 1000, 10_000] : [100, 1000, 10_000, 100_000]
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("demo: \($0)\n".utf8)) }
        let art = try LTIDemo.run(directory: out, lengths: lengths, log: log)
        var files = art.files
        for (_, table) in art.tables { print(table.rendered(.markdown)) }
        if !quick {
            files += try runExperiment(log: log)
        }
        print("Wrote:")
        for f in files { print("  \(f)") }
    }

    /// Runs the demo experiment and writes its table and figures; returns the files written.
    func runExperiment(log: @escaping @Sendable (String) -> Void) throws -> [String] {
        let path = experiment ?? labRoot().appendingPathComponent("experiments/demo.toml").path
        let spec = try ExperimentParser.parse(contentsOf: URL(fileURLWithPath: path))
        let dir = URL(fileURLWithPath: out).appendingPathComponent("experiment")
        var options = RunOptions()
        options.jobs = jobs
        options.log = log
        log("running \(path) (\(spec.datasets.count) datasets × \(spec.models.count) models × \(spec.seeds.count) seeds) into \(dir.path)…")
        let runner = try ExperimentRunner(spec: spec, directory: dir, builder: .standard(directories: data.resolve()), options: options)
        let summary = try runner.run()
        log("\(summary.succeeded) ok, \(summary.failed) failed (model/task combinations that do not apply), \(summary.skipped) already recorded")
        let records = runner.records
        let table = try ResultTables.table(records, experiment: spec.name)
        var files: [String] = []
        for (format, ext) in [(TableFormat.markdown, "md"), (.csv, "csv"), (.latex, "tex")] {
            let file = out + "/experiment-table." + ext
            try table.write(to: file, format: format)
            files.append(file)
        }
        print(table.rendered(.markdown))
        // Figures: predictions on the nonlinear system, learning curves and kernels on the LTI
        // system, accuracy-versus-cost views.
        let figures: [(String, () throws -> SVGRenderable)] = [
            ("experiment-predictions.svg", { try ResultPlots.predictions(records, directory: dir, dataset: "wiener-hammerstein") }),
            ("experiment-learning-curves.svg", { try ResultPlots.learningCurves(records, dataset: "lti-4") }),
            ("experiment-kernels.svg", { try ResultPlots.kernels(records, directory: dir, dataset: "lti-4") }),
            ("experiment-frequency-responses.svg", { try ResultPlots.kernels(records, directory: dir, dataset: "lti-4", spectrum: true) }),
            ("experiment-fit-vs-training-time.svg", { try ResultPlots.metricVsCost(records, dataset: "wiener-hammerstein", metric: "fit", cost: "train_s") }),
            ("experiment-fit-vs-parameters.svg", { try ResultPlots.metricVsCost(records, dataset: "lti-4", metric: "fit", cost: "parameters") }),
        ]
        for (name, make) in figures {
            do {
                let file = out + "/" + name
                try make().write(to: file)
                files.append(file)
            } catch let e as PlotError {
                log("skipped \(name): \(e.description)")   // e.g. a custom experiment without that dataset
            }
        }
        return files
    }
}
