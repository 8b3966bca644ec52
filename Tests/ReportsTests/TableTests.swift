import Foundation
import Reports
import TestSupport
import Testing

/// A small results table with every column kind, two groups, special characters, a NaN and a
/// missing cell.
func sampleTable() throws -> Table {
    try Table(
        columns: [.text("dataset"), .text("model"), .meanStd("rmse", better: .lower),
                  .number("time_s", better: .lower, significantDigits: 3), .integer("params", better: .higher)],
        rows: [
            ["cascade", "S4D", .meanStd(MeanStd(mean: 0.1234567, std: 0.0045, n: 5)), 1.5e-5, 1234],
            ["cascade", "GRU, \"big\"", .meanStd(MeanStd(mean: 0.25, std: 0.125, n: 5)), 0.031, 5000],
            ["cascade", "ridge", .missing, 0.1, 10],
            ["copy|task", "S4D", .meanStd(MeanStd(mean: 0.9, std: 0.01, n: 5)), .number(.nan), 1234],
            ["copy|task", "LSTM_x", .meanStd(MeanStd(mean: 0.5, std: 0.2, n: 5)), 12.5, 800],
        ],
        groupColumn: "dataset",
        caption: "RMSE & time_s: 50% of $budget",
        footnote: "Seeds 0–4.")
}

@Suite struct NumberFormattingTests {
    @Test(arguments: [
        (0.1234567, 4, "0.1235"), (9.9996, 4, "10.00"), (12345.0, 4, "12345"), (123456.0, 4, "1.235e5"),
        (0.00123, 3, "0.00123"), (0.000123, 4, "1.230e-4"), (-2.5, 2, "-2.5"), (0, 3, "0.00"),
        (1.0, 1, "1"), (-0.000049, 1, "-5e-5"), (Double.nan, 3, "NaN"), (-Double.infinity, 3, "-inf"),
    ] as [(Double, Int, String)])
    func significantDigits(x: Double, digits: Int, expected: String) {
        #expect(NumberFormatting.significant(x, digits: digits).description == expected)
    }

    @Test func roundedZeroHasNoSign() {
        #expect(NumberFormatting.fixed(-0.0001, decimals: 3).mantissa == "0.000")
        #expect(NumberFormatting.fixed(-0.0006, decimals: 3).mantissa == "-0.001")
    }

    @Test func meanStdSharesDecimals() {
        let (m, s) = NumberFormatting.meanStd(MeanStd(mean: 0.1234567, std: 0.0456, n: 3), digits: 3)
        #expect(m.description == "0.123" && s?.description == "0.046")
        // A std below the mean's last decimal keeps one significant digit instead of printing 0.
        let (m2, s2) = NumberFormatting.meanStd(MeanStd(mean: 12.34, std: 0.003, n: 3), digits: 3)
        #expect(m2.description == "12.3" && s2?.description == "0.003")
        let (_, s3) = NumberFormatting.meanStd(MeanStd(mean: 1, std: .nan, n: 1), digits: 3)
        #expect(s3 == nil)
    }
}

@Suite struct TableModelTests {
    @Test func rejectsBadRowsNamingRowAndColumn() throws {
        var t = try Table(columns: [.text("model"), .number("rmse")])
        #expect(throws: TableError.rowLength(row: 0, expected: 2, found: 1)) { try t.append(["S4D"]) }
        #expect(throws: TableError.kindMismatch(row: 0, column: "rmse", expected: .number, found: "text")) {
            try t.append(["S4D", "low"])
        }
        try t.append(["S4D", 3])   // an integer is accepted in a number column
        #expect(t.rows.count == 1)
        #expect(throws: TableError.duplicateColumn(name: "a")) { try Table(columns: [.text("a"), .number("a")]) }
        #expect(throws: TableError.unknownColumn(name: "dataset", role: "group column")) {
            try Table(columns: [.text("a")], groupColumn: "dataset")
        }
    }

    @Test func bestPerGroupSkipsNaNAndMissing() throws {
        let t = try sampleTable()
        let best = t.bestCells()
        let expected: Set<Table.CellIndex> = [
            .init(row: 0, column: 2), .init(row: 4, column: 2),   // rmse (lower) per dataset
            .init(row: 0, column: 3), .init(row: 4, column: 3),   // time (lower); NaN never wins
            .init(row: 1, column: 4), .init(row: 3, column: 4),   // params (higher)
        ]
        #expect(best == expected)
    }

    @Test func tiesAreAllMarkedAndNoGroupMeansWholeTable() throws {
        let t = try Table(columns: [.text("m"), .number("acc", better: .higher)],
                          rows: [["a", 0.9], ["b", 0.95], ["c", 0.95], ["d", .missing]])
        #expect(t.bestCells() == [.init(row: 1, column: 1), .init(row: 2, column: 1)])
    }

    @Test func tableFromRecords() throws {
        let records: [Record] = [["model": "S4D", "rmse": 0.1], ["model": "GRU"]]
        let t = try Table(columns: [.text("model"), .number("rmse")], records: records)
        #expect(t.rows == [["S4D", 0.1], ["GRU", .missing]])
    }

    @Test func formatFromExtension() {
        #expect(TableFormat(pathExtension: "MD") == .markdown)
        #expect(TableFormat(pathExtension: "tex") == .latex)
        #expect(TableFormat(pathExtension: "xlsx") == nil)
    }
}

@Suite struct AggregationTests {
    @Test func sampleStdUsesBesselCorrection() {
        let s = MeanStd(samples: [1, 2, 3, 4])
        expectClose(s.mean, 2.5)
        expectClose(s.std, (5.0 / 3.0).squareRoot())   // Σ(x − 2.5)² = 5, over n − 1 = 3
        #expect(s.n == 4)
        let one = MeanStd(samples: [7])
        #expect(one.n == 1 && one.std.isNaN)
        #expect(MeanStd(samples: []).n == 0)
    }

    @Test func largeOffsetDoesNotCancel() {
        // Two-pass with correction: shifting by 1e9 keeps the spread (a one-pass Σx² would lose it).
        let base = [0.1, 0.2, 0.3, 0.4, 0.5]
        let a = MeanStd(samples: base), b = MeanStd(samples: base.map { $0 + 1e9 })
        expectClose(b.std, a.std, rtol: 1e-6, "1e9 offset leaves ~7 significant digits of each sample")
    }

    @Test func groupsInFirstAppearanceOrder() throws {
        let records: [Record] = [
            ["dataset": "cascade", "model": "S4D", "seed": 0, "rmse": 0.10, "time": 1.0],
            ["dataset": "cascade", "model": "GRU", "seed": 0, "rmse": 0.30],
            ["dataset": "cascade", "model": "S4D", "seed": 1, "rmse": 0.14, "time": 3.0],
            ["dataset": "copy", "model": "S4D", "seed": 0, "rmse": .number(.nan), "time": 2],
            ["dataset": "cascade", "model": "GRU", "seed": 1, "rmse": 0.34, "time": .missing],
        ]
        let rows = try Aggregation.aggregate(records, groupBy: ["dataset", "model"], metrics: ["rmse", "time"])
        #expect(rows.map(\.keys) == [["cascade", "S4D"], ["cascade", "GRU"], ["copy", "S4D"]])
        expectClose(rows[0].metrics[0].mean, 0.12)
        expectClose(rows[0].metrics[0].std, (0.0008 / 1).squareRoot(), rtol: 1e-9, "decimal inputs carry ~1e-16 error, std amplifies it")
        #expect(rows[0].metrics[1].n == 2)
        #expect(rows[1].metrics[1].n == 0)          // GRU has no time values
        #expect(rows[2].metrics[0].mean.isNaN)      // a diverged run is not hidden
        #expect(rows[2].metrics[1].mean == 2 && rows[2].metrics[1].n == 1)
    }

    @Test func recordErrorsNameRecordAndKey() {
        #expect(throws: TableError.missingKey(record: 1, key: "model")) {
            try Aggregation.aggregate([["model": "a"], ["rmse": 1.0]], groupBy: ["model"], metrics: ["rmse"])
        }
        #expect(throws: TableError.notNumeric(record: 0, key: "rmse", found: "text")) {
            try Aggregation.aggregate([["model": "a", "rmse": "low"]], groupBy: ["model"], metrics: ["rmse"])
        }
    }

    @Test func aggregatedTableMarksBestPerDataset() throws {
        var records: [Record] = []
        for (dataset, model, base) in [("d1", "A", 1.0), ("d1", "B", 2.0), ("d2", "A", 5.0), ("d2", "B", 4.0)] {
            for seed in 0..<3 { records.append(["dataset": .text(dataset), "model": .text(model), "mse": .number(base + 0.1 * Double(seed))]) }
        }
        let t = try Table(aggregating: records, keyColumns: [.text("dataset"), .text("model")],
                          metricColumns: [.meanStd("mse", better: .lower)], groupColumn: "dataset")
        #expect(t.rows.count == 4)
        #expect(t.bestCells() == [.init(row: 0, column: 2), .init(row: 3, column: 2)])
        guard case let .meanStd(s) = t.rows[0][2] else { Issue.record("not a mean±std cell"); return }
        expectClose(s.mean, 1.1)
        expectClose(s.std, 0.1, rtol: 1e-9, "decimal inputs")
        #expect(s.n == 3)
    }
}
