// Aggregation.swift — from per-run records to mean ± std per group.
//
// Records (one per finished run, e.g. one model × dataset × seed) are grouped by the values of
// some keys; for each group and metric we report the mean, the SAMPLE standard deviation
// (denominator n − 1, Bessel's correction — the unbiased variance estimate for runs drawn from
// one distribution; undefined, hence NaN, for n = 1) and n, the number of records that carry the
// metric. Groups keep the order of their first record, so tables are deterministic.
// Nothing here knows what a metric means; the Evaluation module supplies the records.

/// One group of records and its summarised metrics.
public struct AggregateRow: Hashable, Sendable {
    /// Values of the group keys, in the order they were requested.
    public var keys: [TableValue]
    /// One summary per requested metric, in order; `n = 0` when no record of the group has it.
    public var metrics: [MeanStd]
}

public enum Aggregation {
    /// Groups `records` by the values of `keys` and summarises each metric.
    ///
    /// A record without a group key is an error (it cannot be placed). A record without a metric
    /// (absent or `.missing`) does not count towards that metric's n. Metric values may be
    /// `.number` or `.integer`; NaN values are kept, so a diverged run makes the group's mean NaN
    /// rather than silently improving it.
    /// - Throws: `TableError.missingKey` or `.notNumeric`, naming the record index and key.
    /// - Complexity: O(records × (keys + metrics)).
    public static func aggregate(_ records: [Record], groupBy keys: [String],
                                 metrics: [String]) throws(TableError) -> [AggregateRow] {
        var index: [[TableValue]: Int] = [:]
        var groupKeys: [[TableValue]] = []
        var samples: [[[Double]]] = []   // (group, metric, sample)
        for (r, record) in records.enumerated() {
            var key: [TableValue] = []
            for k in keys {
                guard let v = record[k], v != .missing else { throw .missingKey(record: r, key: k) }
                key.append(v)
            }
            let g: Int
            if let existing = index[key] {
                g = existing
            } else {
                g = groupKeys.count
                index[key] = g
                groupKeys.append(key)
                samples.append(Array(repeating: [], count: metrics.count))
            }
            for (m, name) in metrics.enumerated() {
                switch record[name] {
                case nil, .missing?: continue
                case let .number(x)?: samples[g][m].append(x)
                case let .integer(i)?: samples[g][m].append(Double(i))
                case let other?: throw .notNumeric(record: r, key: name, found: other.kindName)
                }
            }
        }
        return zip(groupKeys, samples).map { key, perMetric in
            AggregateRow(keys: key, metrics: perMetric.map { MeanStd(samples: $0) })
        }
    }
}

extension Table {
    /// A table of `keyColumns` followed by one mean ± std column per metric, aggregated from
    /// `records` (see `Aggregation.aggregate`). The key columns' names are the record keys and
    /// their kinds must fit the values; each metric column's name is the record key of the metric,
    /// and its `better` and `significantDigits` are used for presentation. Groups with no value
    /// of a metric get a missing cell.
    public init(aggregating records: [Record], keyColumns: [TableColumn], metricColumns: [TableColumn],
                groupColumn: String? = nil, caption: String? = nil, footnote: String? = nil,
                significantDigits: Int = 4) throws(TableError) {
        precondition(metricColumns.allSatisfy { $0.kind == .meanStd }, "metric columns must be of kind .meanStd") // invariant: programmer misuse
        let groups = try Aggregation.aggregate(records, groupBy: keyColumns.map(\.name),
                                               metrics: metricColumns.map(\.name))
        let rows = groups.map { g in g.keys + g.metrics.map { $0.n == 0 ? TableValue.missing : .meanStd($0) } }
        try self.init(columns: keyColumns + metricColumns, rows: rows, groupColumn: groupColumn,
                      caption: caption, footnote: footnote, significantDigits: significantDigits)
    }
}
