// ResultTables.swift — the result table of an experiment, built from its records (results are
// data; this only arranges them): one row per group (by default dataset × model), each metric
// as mean ± std over seeds with n, cost columns (parameters, training and inference seconds,
// recurrent step and whole-sequence times), the number of failed runs, and the best cell per
// dataset marked.

import Reports

public enum ResultTables {
    /// Better direction of each metric.
    public static func better(_ metric: String) -> Better? {
        switch metric {
        case "rmse", "nrmse", "mae", "mase": return .lower
        case "fit", "r2", "accuracy", "macro_f1": return .higher
        default: return nil
        }
    }

    /// The metrics present in `records`, in the lab's canonical order.
    public static func metrics(in records: [RunRecord]) -> [String] {
        let present = Set(records.flatMap { $0.metrics.keys })
        return MetricKind.allCases.map(\.rawValue).filter(present.contains)
    }

    /// Builds the table. `by` names the grouping keys (any of dataset, model, kind, task);
    /// `metrics` restricts the metric columns (default: all present).
    /// - Throws: `TableError` for an unknown grouping key.
    public static func table(_ records: [RunRecord], by keys: [String] = ["dataset", "model"], metrics wanted: [String]? = nil,
                             experiment: String? = nil) throws -> Table {
        let known = ["dataset", "model", "kind", "task"]
        for k in keys where !known.contains(k) { throw TableError.unknownColumn(name: k, role: "grouping key (valid: \(known.joined(separator: ", ")))") }
        let metricNames = wanted ?? metrics(in: records)
        let costs: [(String, String)] = [("parameters", "parameters"), ("train_s", "train seconds"), ("infer_s", "inference seconds"),
                                         ("step_s", "recurrent step seconds"), ("seq_s", "sequence seconds")]
        var rows: [Record] = []
        for r in ResultPlots.latest(records) {
            var row: Record = ["dataset": .text(r.dataset), "model": .text(r.model), "kind": .text(r.kind), "task": .text(r.task)]
            row["failed"] = .integer(r.status == "ok" ? 0 : 1)
            if r.status == "ok" {
                for m in metricNames { if let v = r.metrics[m], let x = v { row[m] = .number(x) } }
                if let p = r.parameters { row["parameters"] = .number(Double(p)) }
                if let t = r.trainSeconds { row["train_s"] = .number(t) }
                if let t = r.inferenceSeconds { row["infer_s"] = .number(t) }
                if let t = r.recurrentStepSeconds { row["step_s"] = .number(t) }
                if let t = r.sequenceSeconds { row["seq_s"] = .number(t) }
            }
            rows.append(row)
        }
        let keyColumns = keys.map { TableColumn.text($0) }
        let metricColumns = metricNames.map { TableColumn.meanStd($0, better: better($0)) }
            + costs.filter { c in rows.contains { $0[c.0] != nil } }.map { TableColumn.meanStd($0.0, significantDigits: 3) }
        var table = try Table(aggregating: rows, keyColumns: keyColumns, metricColumns: metricColumns,
                              groupColumn: keys.first == "dataset" && keys.count > 1 ? "dataset" : nil,
                              caption: experiment.map { "Experiment \($0): mean ± std over seeds (n runs)" })
        // Failed runs per group, as a plain count column.
        let failures = try Aggregation.aggregate(rows, groupBy: keys, metrics: ["failed"]).map { Int(($0.metrics[0].mean * Double($0.metrics[0].n)).rounded()) }
        var withFailures = try Table(columns: table.columns + [.integer("failed")], groupColumn: table.groupColumn,
                                     caption: table.caption, footnote: costNote(costs, present: metricColumns.map(\.name)))
        for (row, f) in zip(table.rows, failures) { try withFailures.append(row + [.integer(f)]) }
        table = withFailures
        return table
    }

    static func costNote(_ costs: [(String, String)], present: [String]) -> String {
        let used = costs.filter { present.contains($0.0) }.map { "\($0.0) = \($0.1)" }
        return "Best value per dataset in bold (lower is better for rmse, nrmse, mae, mase; higher for fit, r2, accuracy, macro_f1). "
            + "Cost columns: " + used.joined(separator: ", ") + ". Failed runs are not in the means."
    }
}
