// Table+LaTeX.swift — a booktabs `tabular`, optionally inside a `table` float with a caption.
//
// Needs `\usepackage{booktabs}`. Text columns are `l`, numbers `r`; ranked columns get
// $\downarrow$ / $\uparrow$ in the header; the best cell per group is in \textbf; mean ± std is
// `0.123 $\pm$ 0.004`; scientific numbers are `$1.2\times10^{-5}$`; a \midrule separates groups;
// notes follow the tabular in \footnotesize. Text is escaped: & % $ # _ { } get a backslash,
// ~ ^ \ | < > become \textasciitilde{}, \textasciicircum{}, \textbackslash{}, \textbar{},
// \textless{}, \textgreater{} (in the default OT1 font encoding they would print other glyphs).

extension Table {
    /// The table as LaTeX. With `float: true` (default) it is wrapped in
    /// `\begin{table}[t] \centering … \end{table}` with the caption (and an optional `\label`);
    /// with `float: false` only the tabular and the notes are returned, for `\input` into an
    /// existing environment.
    public func latex(float: Bool = true, label: String? = nil) -> String {
        let best = bestCells()
        let commonN = commonSampleCount
        var out = ""
        if float {
            out += "\\begin{table}[t]\n\\centering\n"
            if let c = caption, !c.isEmpty { out += "\\caption{\(Table.latexEscape(c))}\n" }
            if let label { out += "\\label{\(label)}\n" }
        }
        let spec = columns.indices.map { isNumeric($0) ? "r" : "l" }.joined()
        out += "\\begin{tabular}{\(spec)}\n\\toprule\n"
        let header = columns.map { c -> String in
            let arrow = c.better.map { $0 == .lower ? " $\\downarrow$" : " $\\uparrow$" } ?? ""
            return Table.latexEscape(c.name) + arrow
        }
        out += header.joined(separator: " & ") + " \\\\\n\\midrule\n"
        for i in rows.indices {
            if startsNewGroup(i) { out += "\\midrule\n" }
            let cells = columns.indices.map { j -> String in
                let text = Table.latexText(displayCell(i, j, commonN: commonN))
                return best.contains(CellIndex(row: i, column: j)) ? "\\textbf{\(text)}" : text
            }
            out += cells.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        let notes = self.notes
        if !notes.isEmpty {
            out += "\\par\\smallskip{\\footnotesize " + notes.map(Table.latexEscapeNote).joined(separator: " ") + "}\n"
        }
        if float { out += "\\end{table}\n" }
        return out
    }

    static func latexNumber(_ f: FormattedNumber) -> String {
        guard let e = f.exponent else {
            switch f.mantissa {
            case "NaN": return "NaN"
            case "inf": return "$\\infty$"
            case "-inf": return "$-\\infty$"
            default: return f.mantissa
            }
        }
        return "$\(f.mantissa)\\times10^{\(e)}$"
    }

    static func latexText(_ cell: DisplayCell) -> String {
        switch cell {
        case let .text(s): return latexEscape(s)
        case let .integer(k): return String(k)
        case let .number(f): return latexNumber(f)
        case let .meanStd(mean, std, n):
            var s = latexNumber(mean)
            if let std { s += " $\\pm$ " + latexNumber(std) }
            if let n { s += " (n=\(n))" }
            return s
        case .missing: return "--"
        }
    }

    /// `s` with LaTeX special characters escaped (see the file header).
    public static func latexEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "\\": out += "\\textbackslash{}"
            case "|": out += "\\textbar{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// A note escaped, with ± and − typeset in math mode (so it compiles without unicode setup).
    static func latexEscapeNote(_ s: String) -> String {
        latexEscape(s).replacingOccurrences(of: "±", with: "$\\pm$").replacingOccurrences(of: "−", with: "$-$")
    }
}
