// ExperimentRunner.swift — fits every model on every dataset once per seed and records the
// outcome of each (dataset, model, seed) as one line of records.jsonl, as it goes.
//
// Interrupt at any point and run the same command again: finished runs (same specifications)
// are skipped, a torn last line is repaired, and nothing is recorded twice. A model that throws
// or diverges is recorded as failed with its reason and the experiment goes on. `jobs > 1` runs
// independent runs on that many threads (OpenBLAS then uses one thread per call).

import Foundation
import LinearAlgebra
import Reports
import Synchronization

/// How to run an experiment.
public struct RunOptions: Sendable {
    /// Runs executed in parallel.
    public var jobs = 1
    /// One line per finished run (and on a terminal, a live status line) goes here.
    public var log: @Sendable (String) -> Void = { _ in }
    /// Live progress of the current runs (terminal only).
    public var status: (@Sendable (String) -> Void)?
    public init() {}
}

/// Counts of a finished `run()`.
public struct RunSummary: Sendable {
    public var total = 0, skipped = 0, succeeded = 0, failed = 0
}

public final class ExperimentRunner: Sendable {
    public let spec: ExperimentSpec
    public let directory: URL
    public let builder: DatasetBuilder
    public let options: RunOptions
    private let store: ResultStore
    private let problems = Mutex<[String: Problem]>([:])

    /// Validates the experiment's model hyperparameters and opens the result store.
    public init(spec: ExperimentSpec, directory: URL, builder: DatasetBuilder, options: RunOptions = RunOptions()) throws {
        for m in spec.models { try m.check(against: m.kind.parameterSchema) }
        self.spec = spec
        self.directory = directory
        self.builder = builder
        self.options = options
        store = try ResultStore(directory: directory)
    }

    /// The records so far.
    public var records: [RunRecord] { store.records }

    /// Runs everything not yet recorded.
    @discardableResult
    public func run() throws -> RunSummary {
        try AtomicFile.write(ExperimentDescription.json(spec).pretty + "\n", to: directory.appendingPathComponent("experiment.json").path)
        // Build every dataset once for the first seed first, so a missing file or data
        // directory stops the run before any model is fitted.
        for d in spec.datasets { _ = try problem(d, seed: spec.seeds.first ?? 0) }
        var pending: [(DatasetSpec, ModelSpec, UInt64, String)] = []
        var summary = RunSummary()
        for d in spec.datasets { for m in spec.models { for s in spec.seeds {
            summary.total += 1
            let digest = SpecDigest.digest(dataset: d, model: m, metrics: spec.metrics)
            if store.isDone(RunKey(dataset: d.name, model: m.name, seed: s), digest: digest) { summary.skipped += 1; continue }
            pending.append((d, m, s, digest))
        } } }
        let units = pending
        if summary.skipped > 0 { options.log("resuming: \(summary.skipped) of \(summary.total) runs already recorded") }
        let next = Atomic<Int>(0)
        let counts = Mutex(summary)
        let firstError = Mutex<Error?>(nil)
        let work: @Sendable () -> Void = { [self] in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < units.count, firstError.withLock({ $0 == nil }) else { return }
                let (d, m, s, digest) = units[i]
                do {
                    let record = try self.execute(dataset: d, model: m, seed: s, digest: digest, position: i + 1, of: units.count)
                    try self.store.append(record)
                    counts.withLock { $0.succeeded += record.status == "ok" ? 1 : 0; $0.failed += record.status == "ok" ? 0 : 1 }
                    let tail = record.status == "ok" ? Self.metricSummary(record) : "failed: \(record.reason ?? "")"
                    self.options.log("[\(i + 1)/\(units.count)] \(d.name) · \(m.name) · seed \(s): \(tail)")
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let jobs = max(1, min(options.jobs, units.count))
        if jobs == 1 {
            work()
        } else {
            let previousThreads = BLAS.threads
            BLAS.setThreads(1)
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in work() }
            BLAS.setThreads(previousThreads)
        }
        if let e = firstError.withLock({ $0 }) { throw e }
        return counts.withLock { $0 }
    }

    static func metricSummary(_ r: RunRecord) -> String {
        r.metrics.keys.sorted().compactMap { k in r.metrics[k]!.map { "\(k) \(String(format: "%.4g", $0))" } }.joined(separator: ", ")
    }

    /// The normalised problem of dataset `d` for `seed` (generated data depend on the seed).
    func problem(_ d: DatasetSpec, seed: UInt64) throws -> Problem {
        var generated = false
        if case .generator = d.source { generated = true }
        let key = generated ? "\(d.name)#\(seed)" : d.name
        if let p = problems.withLock({ $0[key] }) { return p }
        let p = try ProblemBuilder.make(try builder.build(d, of: spec, seed: seed), spec: d)
        problems.withLock { $0[key] = p }
        return p
    }

    /// Fits, predicts and scores one run; user-data and model failures become a failed record,
    /// infrastructure failures (writing files) are thrown.
    func execute(dataset d: DatasetSpec, model m: ModelSpec, seed: UInt64, digest: String, position: Int, of total: Int) throws -> RunRecord {
        var record = RunRecord(experiment: spec.name, dataset: d.name, task: d.task.rawValue, model: m.name, kind: m.kind.rawValue,
                               seed: seed, status: "ok", reason: nil, metrics: [:], parameters: nil, trainSeconds: nil,
                               inferenceSeconds: nil, recurrentStepSeconds: nil, sequenceSeconds: nil,
                               hyperparameters: m.parameters.mapValues(\.description), chosen: [:], trainLoss: nil,
                               validationLoss: nil, testPoints: nil, predictionFile: nil, specDigest: digest,
                               finishedAt: "")
        do {
            let problem = try self.problem(d, seed: seed)
            let model = try ModelFactory.make(m, for: problem)
            guard model.supports(problem.task) else {
                throw RunError.incompatible("model kind '\(m.kind.rawValue)' does not support task '\(problem.task.rawValue)'")
            }
            let status = options.status
            var context = FitContext(rng: SplitMix64(seed: seed)) { message in
                status?("[\(position)/\(total)] \(d.name) · \(m.name) · seed \(seed): \(message)")
            }
            status?("[\(position)/\(total)] \(d.name) · \(m.name) · seed \(seed): fitting")
            let t0 = Date()
            let report = try model.fit(problem, context: &context)
            record.trainSeconds = Date().timeIntervalSince(t0)
            let t1 = Date()
            let prediction = try model.predict(problem)
            record.inferenceSeconds = Date().timeIntervalSince(t1)
            if let probe = model as? any InferenceCostProbe {
                record.recurrentStepSeconds = try probe.recurrentStepSeconds(problem)
                record.sequenceSeconds = try probe.sequenceSeconds(problem)
            }
            record.parameters = model.parameterCount
            record.chosen = report.chosen
            record.trainLoss = report.trainLoss.isEmpty ? nil : report.trainLoss
            record.validationLoss = report.validationLoss.isEmpty ? nil : report.validationLoss
            for (k, v) in try Scoring.score(problem, prediction, metrics: spec.metrics) { record.metrics[k.rawValue] = v }
            record.testPoints = try Self.testPoints(problem, prediction)
            record.predictionFile = try PredictionFile.write(problem, prediction, directory: directory, key: record.key)
            if let lti = model as? any KernelReporting {
                let kernels = try lti.kernels(length: 256, limit: 16)
                if !kernels.isEmpty { try PredictionFile.writeKernels(kernels, directory: directory, key: record.key) }
            }
        } catch let e as RunError {
            record.status = "failed"; record.reason = e.description
        } catch let e as CustomStringConvertible where !(e is ResultStoreError) && !(e is AtomicFileError) {
            record.status = "failed"; record.reason = e.description
        }
        record.finishedAt = ISO8601DateFormatter().string(from: Date())
        return record
    }

    static func testPoints(_ problem: Problem, _ prediction: Prediction) throws -> Int {
        if case let .classification(p) = problem { return p.test.count }
        let (t, _, mask) = try Scoring.aligned(problem, prediction)
        return mask.filter { $0 }.count * t.cols
    }
}
