// NotebookPlot.swift — a `plot=FILE.svg` block: the CSV that its commands print, drawn as one
// line plot.
//
// Each command's stdout must be CSV with a header row and numeric cells (what `impulse`, `step`,
// `kernel`, `simulate`, `freqresp`, `ssm-kernel` print). The x values are the column `x=COL`,
// else a `k` or `omega` column, else the row index 0, 1, 2, …; the y columns are `y=COL,…`, else
// every other column except `t`. A series is named after its column, prefixed by the command
// line's `# label` when it has one (the label alone when the command gives a single column).

/// One command's CSV for a plot block.
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
            let records: [[String]]
            do { records = try CSV.parse(input.csv) } catch { throw fail(input.line, "plot: the command's output is not CSV: \(error)") }
            guard let header = records.first, records.count >= 2 else {
                throw fail(input.line, "plot: the command printed no CSV rows to plot")
            }
            var columns = [[Double]](repeating: [], count: header.count)
            for (r, record) in records.dropFirst().enumerated() {
                guard record.count == header.count else {
                    throw fail(input.line, "plot: CSV row \(r + 2) has \(record.count) fields, the header has \(header.count)")
                }
                for (c, field) in record.enumerated() {
                    guard let v = Double(field.trimmingBlanks()) else {
                        throw fail(input.line, "plot: CSV row \(r + 2), column '\(header[c])': '\(field)' is not a number")
                    }
                    columns[c].append(v)
                }
            }
            let xIndex: Int?
            if let x = o.x {
                guard let i = header.firstIndex(of: x) else {
                    throw fail(input.line, "plot: x=\(x) is not a column of the output (columns: \(header.joined(separator: ", ")))")
                }
                xIndex = i
            } else {
                xIndex = header.firstIndex(of: "k") ?? header.firstIndex(of: "omega")
            }
            let xs = xIndex.map { columns[$0] } ?? (0..<(records.count - 1)).map(Double.init)
            xName = xName ?? xIndex.map { header[$0] }
            let ys: [Int]
            if let wanted = o.y {
                ys = try wanted.map { (name: String) throws(NotebookError) -> Int in
                    guard let i = header.firstIndex(of: name) else {
                        throw fail(input.line, "plot: y=\(name) is not a column of the output (columns: \(header.joined(separator: ", ")))")
                    }
                    return i
                }
            } else {
                ys = header.indices.filter { $0 != xIndex && header[$0] != "t" && header[$0] != "k" }
            }
            guard !ys.isEmpty else { throw fail(input.line, "plot: the output has no column to plot") }
            for c in ys {
                let name: String
                if let label = input.label { name = ys.count == 1 ? label : "\(label): \(header[c])" } else { name = header[c] }
                let values = o.absolute ? columns[c].map { Swift.abs($0) } : columns[c]
                series.append(Series(name, x: xs, y: values))
                if !yNames.contains(header[c]) { yNames.append(header[c]) }
            }
        }
        let xLabel = o.xLabel ?? xName ?? "k"
        let yLabel = o.yLabel ?? (yNames.count == 1 ? (o.absolute ? "|\(yNames[0])|" : yNames[0]) : nil)
        return LinePlot(title: o.title,
                        xAxis: o.logX ? .log(xLabel) : .linear(xLabel),
                        yAxis: o.logY ? .log(yLabel) : .linear(yLabel),
                        series: series,
                        legend: series.count > 1 ? .automatic : .hidden)
    }
}
