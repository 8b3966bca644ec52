// RunnerTests.swift — the experiment runner: records, failures, determinism, resume after an
// interruption (torn last line), changed specifications, table export parsed back.

import Foundation
import Evaluation
import LinearAlgebra
import Reports
import TestSupport
import Testing

let runnerExperiment = """
name = "runner-test"
seeds = [1, 2]

[[dataset]]
name = "lti"
generator = "lti"
state_dim = 3
length = 600
noise_std = 0.01
warmup = 5

[[dataset]]
name = "nile"

[[dataset]]
name = "gunpoint"

[[model]]
name = "mean"
kind = "mean"

[[model]]
name = "persistence"
kind = "persistence"

[[model]]
name = "oracle"
kind = "oracle"
"""

func runExperiment(_ text: String, into dir: URL) throws -> (ExperimentRunner, RunSummary) {
    let url = dir.appendingPathComponent("exp.toml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    let spec = try ExperimentParser.parse(contentsOf: url)
    let runner = try ExperimentRunner(spec: spec, directory: dir.appendingPathComponent("out"),
                                      builder: .standard(directories: TestData.directories))
    return (runner, try runner.run())
}

/// Records without their timings and timestamps (which legitimately differ between runs).
func comparable(_ records: [RunRecord]) -> [RunRecord] {
    records.map { r in
        var c = r
        c.trainSeconds = nil; c.inferenceSeconds = nil; c.recurrentStepSeconds = nil; c.sequenceSeconds = nil; c.finishedAt = ""
        return c
    }
}

@Suite(.serialized) struct RunnerTests {
    @Test func recordsEveryRunAndFailuresWithReasons() throws {
        let dir = try makeTemporaryDirectory("sslab-runner"); defer { try? FileManager.default.removeItem(at: dir) }
        let (runner, summary) = try runExperiment(runnerExperiment, into: dir)
        #expect(summary.total == 18 && summary.succeeded + summary.failed == 18 && summary.skipped == 0)
        let records = runner.records
        #expect(records.count == 18)
        // The oracle scores the noise floor on generated data (its RMSE is the output noise,
        // std 0.01: within 20 % over ~240 scored samples) and is incompatible elsewhere.
        let oracle = records.filter { $0.model == "oracle" }
        for r in oracle where r.dataset == "lti" {
            #expect(r.status == "ok")
            expectClose((r.metrics["rmse"] ?? nil) ?? .nan, 0.01, rtol: 0.2, atol: 0)
        }
        #expect(oracle.filter { $0.dataset != "lti" }.allSatisfy { $0.status == "failed" && $0.reason!.contains("does not support") })
        // Persistence has no classification; the mean model's majority class does.
        #expect(records.first { $0.dataset == "gunpoint" && $0.model == "persistence" }?.status == "failed")
        #expect(records.first { $0.dataset == "gunpoint" && $0.model == "mean" }?.metrics["accuracy"] != nil)
        // Forecast metrics include MASE; every ok record carries costs and a prediction file.
        #expect(records.first { $0.dataset == "nile" && $0.model == "persistence" }?.metrics["mase"] != nil)
        for r in records where r.status == "ok" {
            #expect(r.parameters != nil && r.trainSeconds != nil && r.inferenceSeconds != nil)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").appendingPathComponent(r.predictionFile!).path))
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/experiment.json").path))
    }

    @Test func sameSeedsGiveIdenticalRecords() throws {
        let a = try makeTemporaryDirectory("sslab-runner"), b = try makeTemporaryDirectory("sslab-runner")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let ra = try runExperiment(runnerExperiment, into: a).0.records, rb = try runExperiment(runnerExperiment, into: b).0.records
        #expect(comparable(ra) == comparable(rb))
    }

    @Test func resumesAfterAnInterruptionWithoutDuplicatesOrTornRecords() throws {
        let full = try makeTemporaryDirectory("sslab-runner"), cut = try makeTemporaryDirectory("sslab-runner")
        defer { try? FileManager.default.removeItem(at: full); try? FileManager.default.removeItem(at: cut) }
        let complete = try runExperiment(runnerExperiment, into: full).0.records
        // Simulate a kill in the middle of appending record 8: 7 whole lines and a torn 8th.
        let lines = try String(contentsOf: full.appendingPathComponent("out/records.jsonl"), encoding: .utf8).split(separator: "\n")
        let torn = lines[0..<7].joined(separator: "\n") + "\n" + lines[7].prefix(40)
        try FileManager.default.createDirectory(at: cut.appendingPathComponent("out"), withIntermediateDirectories: true)
        try torn.write(to: cut.appendingPathComponent("out/records.jsonl"), atomically: true, encoding: .utf8)
        let (runner, summary) = try runExperiment(runnerExperiment, into: cut)
        #expect(summary.skipped == 7 && summary.succeeded + summary.failed == 11)
        let resumed = runner.records
        #expect(resumed.count == 18)
        #expect(Set(resumed.map(\.key)).count == 18, "no run recorded twice")
        let byKey = Dictionary(uniqueKeysWithValues: comparable(complete).map { ($0.key, $0) })
        for r in comparable(resumed) { #expect(byKey[r.key] == r, "\(r.key) equals the uninterrupted run") }
        // Every line of the file is a complete record.
        let text = try String(contentsOf: cut.appendingPathComponent("out/records.jsonl"), encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 18)
        // A third run does nothing.
        let again = try runExperiment(runnerExperiment, into: cut).1
        #expect(again.skipped == 18)
    }

    @Test func changedHyperparametersRerunOnlyThatModel() throws {
        let dir = try makeTemporaryDirectory("sslab-runner"); defer { try? FileManager.default.removeItem(at: dir) }
        let small = runnerExperiment.replacingOccurrences(of: "[[dataset]]\nname = \"gunpoint\"\n", with: "")
        _ = try runExperiment(small, into: dir)
        let changed = small + "\n[[model]]\nname = \"mean2\"\nkind = \"mean\"\n"
        let summary = try runExperiment(changed, into: dir).1
        #expect(summary.skipped == 12 && summary.succeeded + summary.failed == 4)
    }

    @Test func malformedRecordLineIsAnErrorNotSilentlyDropped() throws {
        let dir = try makeTemporaryDirectory("sslab-runner"); defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        try "not json\n".write(to: dir.appendingPathComponent("out/records.jsonl"), atomically: true, encoding: .utf8)
        #expect(throws: ResultStoreError.self) { _ = try runExperiment(runnerExperiment, into: dir) }
    }

    @Test func badHyperparameterIsAnErrorNamingKeyAndLine() throws {
        let dir = try makeTemporaryDirectory("sslab-runner"); defer { try? FileManager.default.removeItem(at: dir) }
        let bad = runnerExperiment + "\n[[model]]\nname = \"arx\"\nkind = \"arx\"\norder = \"ten\"\n"
        do {
            _ = try runExperiment(bad, into: dir)
            Issue.record("expected an error")
        } catch let e as ExperimentError {
            #expect(e.description.contains("order") && e.description.contains("exp.toml:"), "\(e)")
        }
    }

    @Test func tableExportsParseBackInEveryFormat() throws {
        let dir = try makeTemporaryDirectory("sslab-runner"); defer { try? FileManager.default.removeItem(at: dir) }
        let records = try runExperiment(runnerExperiment, into: dir).0.records
        let table = try ResultTables.table(records, experiment: "runner-test")
        // CSV: mean/std/n columns per metric, the best cells per dataset included.
        let csv = try CSV.parse(table.rendered(.csv))
        #expect(csv[0].starts(with: ["dataset", "model"]) && csv[0].contains("rmse_mean") && csv[0].contains("failed"))
        #expect(csv.count == 1 + 9)
        let oracleRow = csv.first { $0[0] == "lti" && $0[1] == "oracle" }!
        let rmseMean = Double(oracleRow[csv[0].firstIndex(of: "rmse_mean")!])!
        let expected = records.filter { $0.dataset == "lti" && $0.model == "oracle" }.map { ($0.metrics["rmse"] ?? nil)! }
        expectClose(rmseMean, expected.reduce(0, +) / 2, rtol: 1e-12)
        // JSON: an array of row objects.
        let json = try JSONSerialization.jsonObject(with: Data(table.rendered(.json).utf8)) as! [[String: Any]]
        #expect(json.count == 9 && json.allSatisfy { $0["model"] != nil })
        // Markdown: a header row and one row per group; the best lti RMSE (the oracle) in bold.
        let md = table.rendered(.markdown).split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(md.count == 2 + 9)
        #expect(md.first { $0.contains("| lti | oracle |") }!.contains("**"))
        // LaTeX: a booktabs tabular with every model.
        let tex = table.rendered(.latex)
        #expect(tex.contains("\\toprule") && tex.contains("oracle") && tex.contains("\\textbf"))
        #expect(throws: TableError.self) { _ = try ResultTables.table(records, by: ["datasett"]) }
    }
}
