// ExperimentCommands.swift — run an experiment file, and turn its records into tables.

import ArgumentParser
import Foundation
import StateSpaceLab

/// `--data-dir`: where the local-only system-identification files live.
struct DataDirectoryOption: ParsableArguments {
    @Option(help: "Directory of the system-identification CSV files (default: $\(DataDirectories.environmentVariable), else datasets/sysid).")
    var dataDir: String?

    /// The data directories: packaged datasets from the lab's checkout (found from the
    /// executable's location, or $SSLAB_HOME), local-only ones from the flag or environment
    /// (relative paths are relative to the current directory).
    func resolve() -> DataDirectories {
        let env = ProcessInfo.processInfo.environment
        func absolute(_ p: String) -> String {
            p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
        }
        var environment = env
        if let e = env[DataDirectories.environmentVariable], !e.isEmpty { environment[DataDirectories.environmentVariable] = absolute(e) }
        return DataDirectories.resolve(repositoryRoot: labRoot(), dataDirectoryFlag: dataDir.map(absolute), environment: environment)
    }
}

/// The lab's checkout: $SSLAB_HOME, else the nearest ancestor of the executable (or of the
/// current directory) that has datasets/README.md.
func labRoot() -> URL {
    let fm = FileManager.default
    if let home = ProcessInfo.processInfo.environment["SSLAB_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
    var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
    if let exe = Bundle.main.executableURL { starts.insert(exe.resolvingSymlinksInPath().deletingLastPathComponent(), at: 0) }
    for start in starts {
        var dir = start
        for _ in 0..<8 {
            if fm.fileExists(atPath: dir.appendingPathComponent("datasets/README.md").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
    }
    return URL(fileURLWithPath: fm.currentDirectoryPath)
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment file: every model on every dataset for every seed.",
        discussion: """
        Writes one JSON line per finished (dataset, model, seed) to OUT/records.jsonl as it goes,
        the resolved experiment to OUT/experiment.json and predictions to OUT/predictions/.
        Interrupt it at any time and run the same command again to resume. Failed runs are
        recorded with their reason. See docs/experiment-format.md for the file format.
        Example: sslab run experiments/demo.toml --out results/demo --jobs 2
        """)
    @Argument(help: "Experiment TOML file.") var experiment: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Runs executed in parallel.") var jobs: Int = 1
    @OptionGroup var data: DataDirectoryOption

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    }

    func run() throws {
        let spec = try ExperimentParser.parse(contentsOf: URL(fileURLWithPath: experiment))
        let dirs = data.resolve()
        var options = RunOptions()
        options.jobs = jobs
        let tty = isatty(STDERR_FILENO) == 1
        options.log = { line in
            FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + line + "\n").utf8))
        }
        if tty {
            options.status = { line in
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(line.prefix(160))).utf8))
            }
        }
        let runner = try ExperimentRunner(spec: spec, directory: URL(fileURLWithPath: out), builder: .standard(directories: dirs), options: options)
        let summary = try runner.run()
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print("\(spec.name): \(summary.succeeded) ok, \(summary.failed) failed, \(summary.skipped) already recorded (of \(summary.total)); records in \(out)/records.jsonl")
    }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Aggregate an experiment's records over seeds: mean ± std (n), best marked, cost columns.",
        discussion: """
        Example: sslab table results/demo --format md ; sslab table results/demo --format latex --metric rmse,fit --by model
        """)
    @Argument(help: "Output directory of `sslab run`.") var directory: String
    @Option(help: "md | csv | json | latex") var format: OutputFormat = .md
    @Option(help: "Metrics to show, comma-separated (default: all recorded).") var metric: String?
    @Option(help: "Grouping keys, comma-separated: dataset, model, kind, task.") var by: String = "dataset,model"
    @OptionGroup var out: OutputOption

    func run() throws {
        let records = try ResultStore.read(directory: URL(fileURLWithPath: directory))
        guard !records.isEmpty else { throw CLIError("\(directory)/records.jsonl: no records yet") }
        let metrics = metric.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if let metrics {
            let valid = MetricKind.allCases.map(\.rawValue)
            for m in metrics where !valid.contains(m) { throw ValidationError("--metric: unknown metric '\(m)'; valid: \(valid.joined(separator: ", "))") }
        }
        let keys = by.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let table: Table
        do { table = try ResultTables.table(records, by: keys, metrics: metrics, experiment: records.first?.experiment) } catch let e as TableError {
            throw ValidationError("--by: \(e.description)")
        }
        try out.emit(table.rendered(format.table))
    }
}

extension PlotKind: ExpressibleByArgument {}

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "SVG figures of an experiment from its records: predictions, learning curves, metric vs cost, kernels.",
        discussion: """
        Kinds: predictions (truth and each model on the first test segment), learning-curves
        (neural models), metric-vs-cost (one point per model and dataset, log cost axis),
        kernels and frequency-responses (LTI and SSM models).
        Example: sslab plot results/demo --kind metric-vs-cost --metric rmse --cost train_s -o cost.svg
        """)
    @Argument(help: "Output directory of `sslab run`.") var directory: String
    @Option(help: "predictions | learning-curves | metric-vs-cost | kernels | frequency-responses") var kind: PlotKind
    @Option(help: "Dataset to plot (default: the first with successful runs).") var dataset: String?
    @Option(help: "Seed to plot (default: the first).") var seed: UInt64?
    @Option(help: "Metric for metric-vs-cost.") var metric: String = "rmse"
    @Option(help: "Cost for metric-vs-cost: parameters | train_s | infer_s | step_s | seq_s.") var cost: String = "train_s"
    @OptionGroup var out: OutputOption

    func run() throws {
        let dir = URL(fileURLWithPath: directory)
        let records = try ResultStore.read(directory: dir)
        let svg: String
        do {
            switch kind {
            case .predictions: svg = try ResultPlots.predictions(records, directory: dir, dataset: dataset, seed: seed).svg()
            case .learningCurves: svg = try ResultPlots.learningCurves(records, dataset: dataset, seed: seed).svg()
            case .metricVsCost: svg = try ResultPlots.metricVsCost(records, dataset: dataset, metric: metric, cost: cost).svg()
            case .kernels: svg = try ResultPlots.kernels(records, directory: dir, dataset: dataset, seed: seed).svg()
            case .frequencyResponses: svg = try ResultPlots.kernels(records, directory: dir, dataset: dataset, seed: seed, spectrum: true).svg()
            }
        } catch let e as PlotError { throw CLIError("\(directory): \(e.description)") }
        try out.emit(svg)
    }
}
