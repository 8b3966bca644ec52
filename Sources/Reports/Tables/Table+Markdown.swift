// Table+Markdown.swift — a GitHub-flavoured Markdown pipe table.
//
// Layout: the caption as a paragraph, a blank line, the pipe table (text columns left-aligned,
// numbers right-aligned, ranked columns marked ↓ / ↑ in the header, the best cell per group in
// **bold**, mean ± std as "0.123 ± 0.004"), a blank line, then the notes (footnote and the
// meaning of ±) in italics. Missing cells show "—". In text, the characters \ | * _ ` $ are
// backslash-escaped so they print literally; line breaks become spaces.

extension Table {
    /// The table as GitHub-flavoured Markdown.
    public func markdown() -> String {
        let best = bestCells()
        let commonN = commonSampleCount
        var out = ""
        if let c = caption, !c.isEmpty { out += Table.markdownEscape(c) + "\n\n" }

        let header = columns.map { c -> String in
            let arrow = c.better.map { $0 == .lower ? " ↓" : " ↑" } ?? ""
            return Table.markdownEscape(c.name) + arrow
        }
        out += Table.pipeRow(header)
        out += Table.pipeRow(columns.indices.map { isNumeric($0) ? "---:" : ":---" })
        for i in rows.indices {
            let cells = columns.indices.map { j -> String in
                let text = Table.markdownText(displayCell(i, j, commonN: commonN))
                return best.contains(CellIndex(row: i, column: j)) ? "**\(text)**" : text
            }
            out += Table.pipeRow(cells)
        }
        let notes = self.notes
        if !notes.isEmpty {
            out += "\n" + notes.map { "*" + Table.markdownEscape($0) + "*" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func pipeRow(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |\n"
    }

    static func markdownText(_ cell: DisplayCell) -> String {
        switch cell {
        case let .text(s): return markdownEscape(s)
        case let .integer(k): return String(k)
        case let .number(f): return f.description
        case let .meanStd(mean, std, n):
            var s = mean.description
            if let std { s += " ± " + std.description }
            if let n { s += " (n=\(n))" }
            return s
        case .missing: return "—"
        }
    }

    /// `s` with Markdown-active characters escaped and line breaks replaced by spaces.
    public static func markdownEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\", "|", "*", "_", "`", "$": out += "\\" + String(c)
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
