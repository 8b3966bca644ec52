// Table+CSV.swift — the machine-readable CSV form of a table.
//
// Layout: one header row, then one record per table row. A mean ± std column `m` becomes three
// columns `m_mean`, `m_std`, `m_n`. Numbers are Swift's shortest round-trip `description` of the
// Double ("0.1", "1e-05", "nan", "inf"), so parsing the text with `Double(_:)` gives the same
// bits back. Missing cells are empty fields. Caption, footnote and best marks are presentation
// and are not written.

extension Table {
    /// Header names of the CSV form.
    public var csvHeader: [String] {
        columns.flatMap { c -> [String] in
            c.kind == .meanStd ? ["\(c.name)_mean", "\(c.name)_std", "\(c.name)_n"] : [c.name]
        }
    }

    /// The table as CSV text with RFC 4180 quoting.
    /// - Parameter lineTerminator: "\n" (default, diff-friendly) or "\r\n" (strict RFC 4180).
    public func csv(lineTerminator: String = "\n") -> String {
        var lines = [CSV.line(csvHeader)]
        for row in rows {
            var fields: [String] = []
            for (cell, column) in zip(row, columns) {
                switch cell {
                case let .text(s): fields.append(s)
                case let .number(x): fields.append(x.description)
                case let .integer(i): fields.append(String(i))
                case let .meanStd(s): fields += [s.mean.description, s.std.description, String(s.n)]
                case .missing: fields += column.kind == .meanStd ? ["", "", ""] : [""]
                }
            }
            lines.append(CSV.line(fields))
        }
        return lines.map { $0 + lineTerminator }.joined()
    }
}
