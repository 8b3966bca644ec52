// Table+JSON.swift — the table as a JSON array of row objects with typed values.
//
// Each row is one object whose keys are the column names, in column order:
//   text → string, integer → integer, number → number, mean ± std → {"mean": m, "std": s, "n": k},
//   missing → null.
// Numbers use Swift's shortest round-trip `description`, so a JSON parser returns the same
// Doubles. JSON has no NaN or infinity: non-finite numbers are written as null (a NaN std,
// i.e. n = 1, is null too). One row per line keeps diffs of committed results readable.

extension Table {
    /// The table as a JSON array of row objects (see the file header).
    public func json() -> String {
        if rows.isEmpty { return "[]\n" }
        let lines = rows.map { row -> String in
            let members = zip(columns, row).map { column, cell in
                Table.jsonString(column.name) + ": " + Table.jsonValue(cell)
            }
            return "  {" + members.joined(separator: ", ") + "}"
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonValue(_ cell: TableValue) -> String {
        switch cell {
        case let .text(s): return jsonString(s)
        case let .integer(i): return String(i)
        case let .number(x): return jsonNumber(x)
        case let .meanStd(s):
            return "{\"mean\": \(jsonNumber(s.mean)), \"std\": \(jsonNumber(s.std)), \"n\": \(s.n)}"
        case .missing: return "null"
        }
    }

    /// A finite Double as its round-trip text; non-finite as `null`.
    static func jsonNumber(_ x: Double) -> String { x.isFinite ? x.description : "null" }

    /// `s` as a JSON string literal (RFC 8259 escaping: quote, backslash, control characters).
    public static func jsonString(_ s: String) -> String { JSONValue.quote(s) }
}
