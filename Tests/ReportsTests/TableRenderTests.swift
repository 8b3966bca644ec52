import Foundation
import Reports
import TestSupport
import Testing

/// Splits a Markdown pipe-table line on unescaped `|` and removes backslash escapes.
private func markdownCells(_ line: String) -> [String] {
    var cells: [String] = []
    var cell = ""
    var escaped = false
    for c in line {
        if escaped { cell.append(c); escaped = false; continue }
        if c == "\\" { escaped = true; continue }
        if c == "|" { cells.append(cell); cell = ""; continue }
        cell.append(c)
    }
    cells.append(cell)
    // The leading and trailing pipes leave empty first/last pieces.
    return cells.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
}

/// Awkward Doubles that a lossy printer would change.
private let awkward: [Double] = [0.1, 1.0 / 3.0, .pi, 1e-300, .leastNonzeroMagnitude, 1.7976931348623157e308,
                                 123456789.123456789, -2.5e-8, 1e22, 100]

@Suite struct TableRenderTests {
    @Test func csvGoldenText() throws {
        let expected = #"""
            dataset,model,rmse_mean,rmse_std,rmse_n,time_s,params
            cascade,S4D,0.1234567,0.0045,5,1.5e-05,1234
            cascade,"GRU, ""big""",0.25,0.125,5,0.031,5000
            cascade,ridge,,,,0.1,10
            copy|task,S4D,0.9,0.01,5,nan,1234
            copy|task,LSTM_x,0.5,0.2,5,12.5,800

            """#
        #expect(try sampleTable().csv() == expected)
        #expect(try sampleTable().csv(lineTerminator: "\r\n") == expected.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func csvParsesBackToTheValues() throws {
        let table = try sampleTable()
        let records = try CSV.parse(table.csv())
        #expect(records.first == table.csvHeader)
        #expect(records.count == table.rows.count + 1)
        for (row, fields) in zip(table.rows, records.dropFirst()) {
            var k = 0
            for cell in row {
                switch cell {
                case let .text(s): #expect(fields[k] == s); k += 1
                case let .integer(i): #expect(Int(fields[k]) == i); k += 1
                case let .number(x):
                    // Round trip of a stored value: bit-exact, not a computed float.
                    let y = Double(fields[k])
                    #expect(y.map { $0 == x || ($0.isNaN && x.isNaN) } == true); k += 1
                case let .meanStd(s):
                    #expect(Double(fields[k]) == s.mean && Double(fields[k + 1]) == s.std && Int(fields[k + 2]) == s.n)
                    k += 3
                case .missing: k += 3  // only the mean ± std column has a missing cell here
                }
            }
            #expect(k == fields.count)
        }
    }

    @Test func csvAndJSONRoundTripAwkwardDoubles() throws {
        let t = try Table(columns: [.number("x")], rows: awkward.map { [.number($0)] })
        let parsed = try CSV.parse(t.csv()).dropFirst().map { Double($0[0]) }
        #expect(parsed == awkward.map { Optional($0) })   // exact: printing must round-trip
        let json = try JSONSerialization.jsonObject(with: Data(t.json().utf8)) as? [[String: Any]]
        #expect(json?.map { ($0["x"] as? NSNumber)?.doubleValue } == awkward.map { Optional($0) })
    }

    @Test func csvParserHandlesQuotesAndErrors() throws {
        #expect(try CSV.parse("a,\"b\r\nc\",\"\"\"q\"\"\"\r\nx,,\n") == [["a", "b\r\nc", "\"q\""], ["x", "", ""]])
        #expect(try CSV.parse("") == [])
        #expect(try CSV.parse("single") == [["single"]])
        #expect(CSV.quote(" padded") == "\" padded\"")
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try CSV.parse("a\n\"open,b\n") }
        #expect(throws: CSVError.characterAfterQuote(line: 1, character: "x")) { try CSV.parse("\"a\"x,b") }
    }

    @Test func jsonParsesBackWithTypedValues() throws {
        let table = try sampleTable()
        let text = table.json()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 5)
        let r0 = parsed[0]
        #expect(r0["dataset"] as? String == "cascade" && r0["model"] as? String == "S4D")
        let rmse = try #require(r0["rmse"] as? [String: Any])
        #expect((rmse["mean"] as? NSNumber)?.doubleValue == 0.1234567)
        #expect((rmse["std"] as? NSNumber)?.doubleValue == 0.0045)
        #expect((rmse["n"] as? NSNumber)?.intValue == 5)
        #expect((r0["time_s"] as? NSNumber)?.doubleValue == 1.5e-5)
        #expect((r0["params"] as? NSNumber)?.intValue == 1234)
        #expect(parsed[1]["model"] as? String == "GRU, \"big\"")
        #expect(parsed[2]["rmse"] is NSNull)            // missing
        #expect(parsed[3]["time_s"] is NSNull)          // NaN has no JSON form
        #expect(parsed[4]["model"] as? String == "LSTM_x")
        // Keys keep column order.
        let line = text.split(separator: "\n")[1]
        let positions = ["dataset", "model", "rmse", "time_s", "params"].map { line.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(Table.jsonString("a\u{1}\"\\\n") == "\"a\\u0001\\\"\\\\\\n\"")
        #expect(try Table(columns: [.text("a")]).json() == "[]\n")
    }

    @Test func markdownParsesBackToCells() throws {
        let md = try sampleTable().markdown()
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "RMSE & time\\_s: 50% of \\$budget")
        let tableLines = lines.filter { $0.hasPrefix("|") }
        #expect(tableLines.count == 7)
        let cells = tableLines.map(markdownCells)
        #expect(cells[0] == ["dataset", "model", "rmse ↓", "time_s ↓", "params ↑"])
        #expect(cells[1] == [":---", ":---", "---:", "---:", "---:"])
        #expect(cells[2] == ["cascade", "S4D", "**0.1235 ± 0.0045**", "**1.50e-5**", "1234"])
        #expect(cells[3] == ["cascade", "GRU, \"big\"", "0.2500 ± 0.1250", "0.0310", "**5000**"])
        #expect(cells[4] == ["cascade", "ridge", "—", "0.100", "10"])
        #expect(cells[5] == ["copy|task", "S4D", "0.9000 ± 0.0100", "NaN", "**1234**"])
        #expect(cells[6] == ["copy|task", "LSTM_x", "**0.5000 ± 0.2000**", "**12.5**", "800"])
        #expect(md.contains("*Seeds 0–4.*"))
        #expect(md.contains("*mean ± sample standard deviation (n − 1 denominator) over n = 5 runs.*"))
    }

    @Test func markdownShowsDifferingSampleCounts() throws {
        let t = try Table(columns: [.text("m"), .meanStd("acc", better: .higher, significantDigits: 2)],
                          rows: [["a", .meanStd(MeanStd(mean: 0.91, std: 0.02, n: 5))],
                                 ["b", .meanStd(MeanStd(mean: 0.8, std: .nan, n: 1))]])
        let md = t.markdown()
        #expect(md.contains("| a | **0.91 ± 0.02 (n=5)** |"))
        #expect(md.contains("| b | 0.80 (n=1) |"))
        #expect(md.contains("shown as (n=…)"))
    }

    @Test func latexHasRowsRulesAndEscapes() throws {
        let tex = try sampleTable().latex(label: "tab:results")
        let expectedLines = [
            "\\begin{table}[t]",
            "\\caption{RMSE \\& time\\_s: 50\\% of \\$budget}",
            "\\label{tab:results}",
            "\\begin{tabular}{llrrr}",
            "\\toprule",
            "dataset & model & rmse $\\downarrow$ & time\\_s $\\downarrow$ & params $\\uparrow$ \\\\",
            "cascade & S4D & \\textbf{0.1235 $\\pm$ 0.0045} & \\textbf{$1.50\\times10^{-5}$} & 1234 \\\\",
            "cascade & GRU, \"big\" & 0.2500 $\\pm$ 0.1250 & 0.0310 & \\textbf{5000} \\\\",
            "cascade & ridge & -- & 0.100 & 10 \\\\",
            "copy\\textbar{}task & S4D & 0.9000 $\\pm$ 0.0100 & NaN & \\textbf{1234} \\\\",
            "copy\\textbar{}task & LSTM\\_x & \\textbf{0.5000 $\\pm$ 0.2000} & \\textbf{12.5} & 800 \\\\",
            "\\bottomrule",
            "\\end{tabular}",
            "\\end{table}",
        ]
        let lines = tex.split(separator: "\n").map(String.init)
        var cursor = 0
        for expected in expectedLines {   // in this order
            guard let k = lines[cursor...].firstIndex(of: expected) else {
                Issue.record("missing or out of order: \(expected)\n\(tex)")
                return
            }
            cursor = k + 1
        }
        // One rule between the two datasets: the line before the first copy|task row.
        let firstCopy = try #require(lines.firstIndex { $0.hasPrefix("copy") })
        #expect(lines[firstCopy - 1] == "\\midrule")
        #expect(Table.latexEscape("a~b^c\\d{e}#<>") == "a\\textasciitilde{}b\\textasciicircum{}c\\textbackslash{}d\\{e\\}\\#\\textless{}\\textgreater{}")
        #expect(tex.contains("$\\pm$ sample standard deviation (n $-$ 1 denominator)"))
        let bare = try sampleTable().latex(float: false)
        #expect(!bare.contains("\\begin{table}"))
    }

    @Test func writesEachFormatAtomically() throws {
        let dir = try makeTemporaryDirectory("reports-table")
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = try sampleTable()
        for format in TableFormat.allCases {
            let path = dir.appendingPathComponent("t.\(format.rawValue)").path
            try table.write(to: path, format: format)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == table.rendered(format))
        }
    }
}
