// ExperimentParser.swift — reads an experiment TOML file into an `ExperimentSpec`.
//
// Validation, each error naming the key and its line (see `ExperimentError`):
//   * unknown keys (listing the keys the table accepts), wrong value types;
//   * unknown dataset names, generators, task kinds, model kinds and metrics (listing the
//     valid choices); out-of-range numbers; keys that exclude each other; names used twice.
// Model hyperparameters are kept open (`ModelSpec.parameters`) and checked by the runner.

import Foundation

/// Parses experiment files.
public enum ExperimentParser {
    /// Keys of the top-level table.
    public static let topLevelKeys = ["name", "description", "seeds", "metrics", "dataset", "model"]

    /// Reads and parses the file at `url`.
    /// - Throws: `ExperimentError`.
    public static func parse(contentsOf url: URL) throws(ExperimentError) -> ExperimentSpec {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .unreadable(file: url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "not UTF-8 text" : "file not found")
        }
        return try parse(text, file: url.path)
    }

    /// Parses experiment text; `file` names it in messages and anchors relative paths.
    /// - Throws: `ExperimentError`.
    public static func parse(_ text: String, file: String) throws(ExperimentError) -> ExperimentSpec {
        let document = try TOMLDocument(text: text, file: file)
        let top = TOMLTableReader(document: document, path: "", tableName: "the top level", values: document.root)
        try top.checkKeys(topLevelKeys)
        guard let name = try top.string("name") else { throw top.missing("name") }
        let description = try top.string("description")
        var seeds: [UInt64] = [0]
        if let given = try top.ints("seeds") {
            if given.isEmpty { throw top.invalid("seeds", "needs at least one seed") }
            if let bad = given.first(where: { $0 < 0 }) { throw top.invalid("seeds", "seeds must be ≥ 0, found \(bad)") }
            seeds = given.map { UInt64($0) }
        }
        var metrics: [MetricKind]? = nil
        if let names = try top.strings("metrics") {
            metrics = []
            for m in names {
                guard let kind = MetricKind(rawValue: m) else {
                    throw .unknownChoice(file: file, line: top.line("metrics"), key: "metrics", table: top.tableName, value: m,
                                         what: "metric", valid: MetricKind.allCases.map(\.rawValue))
                }
                metrics?.append(kind)
            }
        }
        guard let datasetTables = try top.tableArray("dataset", element: "dataset"), !datasetTables.isEmpty else {
            throw top.missing("dataset")
        }
        guard let modelTables = try top.tableArray("model", element: "model"), !modelTables.isEmpty else {
            throw top.missing("model")
        }
        var datasets: [DatasetSpec] = []
        for (i, table) in datasetTables.enumerated() {
            let spec = try parseDataset(table, index: i + 1)
            if datasets.contains(where: { $0.name == spec.name }) {
                throw .duplicateName(file: file, line: table.line("name"), key: "name", table: table.tableName, name: spec.name)
            }
            datasets.append(spec)
        }
        var models: [ModelSpec] = []
        for (i, table) in modelTables.enumerated() {
            let spec = try parseModel(table, index: i + 1)
            if models.contains(where: { $0.name == spec.name }) {
                throw .duplicateName(file: file, line: table.line("name"), key: "name", table: table.tableName, name: spec.name)
            }
            models.append(spec)
        }
        return ExperimentSpec(file: file, name: name, description: description, seeds: seeds, metrics: metrics,
                              datasets: datasets, models: models)
    }

    /// A `[[model]]` table: `name` and `kind` are required; every other key is a hyperparameter.
    static func parseModel(_ table: TOMLTableReader, index: Int) throws(ExperimentError) -> ModelSpec {
        guard let name = try table.string("name") else { throw table.missing("name") }
        guard let kind = try table.choice("kind", "model kind", as: ModelKind.self) else { throw table.missing("kind") }
        var parameters: [String: ParameterValue] = [:]
        var lines: [String: Int] = [:]
        for key in table.keysInFileOrder where key != "name" && key != "kind" {
            parameters[key] = try table.parameter(key)
            lines[key] = table.line(key)
        }
        return ModelSpec(file: table.file, name: name, kind: kind, parameters: parameters, line: table.headerLine,
                         parameterLines: lines, index: index)
    }
}
