// NotebookPlot.swift — a `plot=FILE.svg` block: what its commands print, drawn as one line plot.
//
// Each command's stdout is a table: CSV with a header row (what `impulse`, `step`, `kernel`,
// `simulate`, `freqresp`, `ssm-kernel` print), or a Markdown pipe table (`--format md`; bold,
// escapes and the ↓/↑ header arrows are dropped, and a `mean ± std` cell plots its mean). Empty
// and `—` cells are gaps. The x values are the column `x=COL`, else a `k` or `omega` column,
// else the row index 0, 1, 2, …; the y columns are `y=COL,…`, else every other numeric column
// except `t`. With `series=COL` the rows are split into one curve per distinct value of that
// column (e.g. one per simulation mode). A curve is named after its column (and series value),
// prefixed by the command line's `# label` — the label alone when it is the only curve of its
// command.

/// One command's output for a plot block.
struct PlotInput {
    var csv: String
    var label: String?
    /// 1-based notebook line of the command (for errors).
    var line: Int
}

enum NotebookPlot {
    /// The line plot of `inputs` per `options`; `fail(line, message)` builds the error.
    static func plot(_ inputs: [PlotInput], options o: NotebookPlotOptions,
                     fail: (Int, String) -> NotebookError) throws(NotebookError) -> LinePlot {
        var series: [Series] = []
        var xName: String? = nil
        var yNames: [String] = []
        for input in inputs {
            let (header, rows) = try table(input, fail: fail)
            func column(_ name: String, _ role: String) throws(NotebookError) -> Int {
                guard let i = header.firstIndex(of: name) else {
                    throw fail(input.line, "plot: \(role)=\(name) is not a column of the output (columns: \(header.joined(separator: ", ")))")
                }
                return i
            }
            func numbers(_ c: Int) throws(NotebookError) -> [Double] {
                var out: [Double] = []
                for (r, row) in rows.enumerated() {
                    let cell = row[c]
                    if cell.isEmpty || cell == "—" { out.append(.nan); continue }
                    guard let v = Double(cell) else {
                        throw fail(input.line, "plot: row \(r + 1), column '\(header[c])': '\(cell)' is not a number")
                    }
                    out.append(v)
                }
                return out
            }
            let xIndex: Int? = try o.x.map { (x: String) throws(NotebookError) -> Int in try column(x, "x") }
                ?? header.firstIndex(of: "k") ?? header.firstIndex(of: "omega")
            let groupIndex: Int? = try o.series.map { (s: String) throws(NotebookError) -> Int in try column(s, "series") }
            let xs = try xIndex.map { (i: Int) throws(NotebookError) -> [Double] in try numbers(i) } ?? rows.indices.map(Double.init)
            xName = xName ?? xIndex.map { header[$0] }
            let ys: [Int]
            if let wanted = o.y {
                ys = try wanted.map { (name: String) throws(NotebookError) -> Int in try column(name, "y") }
            } else {
                ys = header.indices.filter { c in
                    c != xIndex && c != groupIndex && header[c] != "t" && header[c] != "k"
                        && rows.allSatisfy { $0[c].isEmpty || $0[c] == "—" || Double($0[c]) != nil }
                }
            }
            guard !ys.isEmpty else { throw fail(input.line, "plot: the output has no numeric column to plot") }
            var groups: [(name: String?, rows: [Int])] = []
            if let g = groupIndex {
                for (r, row) in rows.enumerated() {
                    if let k = groups.firstIndex(where: { $0.name == row[g] }) { groups[k].rows.append(r) } else { groups.append((row[g], [r])) }
                }
            } else {
                groups = [(nil, Array(rows.indices))]
            }
            let single = ys.count * groups.count == 1
            for c in ys {
                let values = try numbers(c)
                for group in groups {
                    var parts: [String] = []
                    if let l = input.label { parts.append(l) }
                    if !(single && input.label != nil) {
                        if ys.count > 1 || group.name == nil { parts.append(header[c]) }
                        if let n = group.name { parts.append(n) }
                    }
                    let name = input.label != nil && parts.count > 1 ? parts[0] + ": " + parts.dropFirst().joined(separator: " ") : parts.joined(separator: " ")
                    let y = group.rows.map { o.absolute ? Swift.abs(values[$0]) : values[$0] }
                    series.append(Series(name, x: group.rows.map { xs[$0] }, y: y))
                }
                if !yNames.contains(header[c]) { yNames.append(header[c]) }
            }
        }
        let xLabel = o.xLabel ?? xName ?? "k"
        let yLabel = o.yLabel ?? (yNames.count == 1 ? (o.absolute ? "|\(yNames[0])|" : yNames[0]) : nil)
        return LinePlot(title: o.title,
                        xAxis: o.logX ? .log(xLabel, range: o.xRange) : .linear(xLabel, range: o.xRange),
                        yAxis: o.logY ? .log(yLabel, range: o.yRange) : .linear(yLabel, range: o.yRange),
                        series: series,
                        legend: series.count > 1 ? .automatic : .hidden)
    }

    /// The header and rows (cells cleaned, every row as long as the header) of one output.
    static func table(_ input: PlotInput, fail: (Int, String) -> NotebookError) throws(NotebookError) -> ([String], [[String]]) {
        var records: [[String]]
        if NotebookOutput.isMarkdownTable(input.csv) {
            let lines = input.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = zip(lines.indices, lines.dropFirst()).first(where: { VolatileMask.isTableRow(lines[$0.0]) && VolatileMask.isDelimiterRow($0.1) })?.0 else {
                throw fail(input.line, "plot: no table in the output")
            }
            records = [VolatileMask.cells(lines[start]).map(markdownHeader)]
            for line in lines[(start + 2)...] {
                guard VolatileMask.isTableRow(line) else { break }
                records.append(VolatileMask.cells(line).map(markdownCell))
            }
        } else {
            do { records = try CSV.parse(input.csv) } catch { throw fail(input.line, "plot: the command's output is not CSV: \(error)") }
            records = records.map { $0.map { $0.trimmingBlanks() } }
        }
        guard let header = records.first, records.count >= 2 else {
            throw fail(input.line, "plot: the command printed no CSV or Markdown table rows to plot")
        }
        for (r, record) in records.enumerated().dropFirst() where record.count != header.count {
            throw fail(input.line, "plot: row \(r) has \(record.count) fields, the header has \(header.count)")
        }
        return (header, Array(records.dropFirst()))
    }

    static func markdownHeader(_ cell: String) -> String {
        markdownCell(cell).replacingOccurrences(of: "↓", with: "").replacingOccurrences(of: "↑", with: "").trimmingBlanks()
    }

    /// A Markdown cell as plain text: no bold, no escapes; `m ± s (n=k)` becomes `m`.
    static func markdownCell(_ cell: String) -> String {
        var out = ""
        var escaped = false
        for c in cell.replacingOccurrences(of: "**", with: "") {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        if let pm = out.range(of: " ± "), Double(String(out[..<pm.lowerBound]).trimmingBlanks()) != nil {
            out = String(out[..<pm.lowerBound])
        }
        return out.trimmingBlanks()
    }
}
