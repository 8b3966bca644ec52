// Table+Best.swift — which cells are the best of their column within their group.
//
// For every column with a `better` direction, the rows are partitioned by the value of the
// group column (the whole table is one group without one). In each group the cell with the
// lowest (or highest) ranking value — the number, the integer, or the mean of a mean ± std — is
// best. Ties on the exact stored value are all marked. NaN, infinite and missing cells never win.

extension Table {
    /// Position of one cell.
    public struct CellIndex: Hashable, Sendable {
        public var row: Int
        public var column: Int
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    /// The best cells of every ranked column, per group.
    /// - Complexity: O(rows × ranked columns).
    public func bestCells() -> Set<CellIndex> {
        let groupIndex = groupColumn.flatMap { columnIndex($0) }
        var groups: [TableValue: [Int]] = [:]
        var order: [TableValue] = []
        for (i, row) in rows.enumerated() {
            let key = groupIndex.map { row[$0] } ?? .missing
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        var best = Set<CellIndex>()
        for (j, column) in columns.enumerated() {
            guard let better = column.better else { continue }
            for key in order {
                var winner: Double? = nil
                var winners: [Int] = []
                for i in groups[key] ?? [] {
                    guard let v = rows[i][j].rankingValue, v.isFinite else { continue }
                    guard let w = winner else { (winner, winners) = (v, [i]); continue }
                    if v == w {
                        winners.append(i)
                    } else if better == .lower ? v < w : v > w {
                        (winner, winners) = (v, [i])
                    }
                }
                for i in winners { best.insert(CellIndex(row: i, column: j)) }
            }
        }
        return best
    }

    /// `true` when consecutive rows `i − 1` and `i` belong to different groups (renderers may draw
    /// a rule between them).
    func startsNewGroup(_ i: Int) -> Bool {
        guard i > 0, let g = groupColumn.flatMap({ columnIndex($0) }) else { return false }
        return rows[i][g] != rows[i - 1][g]
    }

    /// The common `n` of all mean ± std cells, or `nil` if they differ (or there are none).
    var commonSampleCount: Int? {
        var n: Int? = nil
        for row in rows {
            for cell in row {
                guard case let .meanStd(s) = cell else { continue }
                if let m = n, m != s.n { return nil }
                n = s.n
            }
        }
        return n
    }

    /// Notes the renderers print under the table: the footnote and, if the table has mean ± std
    /// cells, what the ± means.
    var notes: [String] {
        var lines: [String] = []
        if let f = footnote, !f.isEmpty { lines.append(f) }
        let hasMeanStd = columns.contains { $0.kind == .meanStd }
        if hasMeanStd {
            if let n = commonSampleCount {
                lines.append("mean ± sample standard deviation (n − 1 denominator) over n = \(n) runs.")
            } else if rows.contains(where: { $0.contains { if case .meanStd = $0 { return true } else { return false } } }) {
                lines.append("mean ± sample standard deviation (n − 1 denominator); n runs per cell shown as (n=…).")
            }
        }
        return lines
    }
}
