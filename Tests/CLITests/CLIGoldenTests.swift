// CLIGoldenTests.swift — the CLI contract other programs script against: outputs, column names,
// and every bad-input path (one stderr line naming the file/key/row/flag, non-zero exit, no
// output file left behind).

import Foundation
import LinearAlgebra
import StateSpace
import TestSupport
import Testing

let motorJSON = """
{"A": [[-10, 1], [-0.02, -2]], "B": [[0], [2]], "C": [[1, 0]], "D": [[0]], "name": "dc-motor"}
"""
let mimoJSON = """
{"A": [[0.5, 0.1, 0], [0, 0.8, 0.2], [0.1, 0, -0.3]], "B": [[1, 0], [0, 1], [1, 1]],
 "C": [[1, 0, 0], [0, 1, 1]], "D": [[0.1, 0], [0, 0.2]], "dt": 0.5}
"""

@Suite(.serialized) struct CLIGoldenTests {
    @Test func helpListsEveryCommand() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        for cmd in ["c2d", "d2c", "simulate", "impulse", "step", "kernel", "freqresp", "bode", "analyze", "reduce", "compare-modes", "demo", "bench"] {
            #expect(r.stdout.contains(cmd), "help lists \(cmd)")
        }
    }

    @Test func c2dPrintsTheLibrarysDiscretisation() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("motor.json", motorJSON)
        let r = try CLI.run(["c2d", sys, "--dt", "0.1", "--method", "foh"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        guard case let .discrete(d) = try SystemFile.decode(Data(r.stdout.utf8)) else { Issue.record("not discrete"); return }
        guard case let .continuous(c) = try SystemFile.read(path: sys) else { Issue.record("not continuous"); return }
        let ref = try c.discretized(dt: 0.1, method: .foh)
        #expect(d.matrices == ref.matrices, "printed numbers round-trip exactly")
        #expect(d.dt == 0.1)
        for key in ["\"A\"", "\"B\"", "\"C\"", "\"D\"", "\"dt\""] { #expect(r.stdout.contains(key)) }
    }

    @Test func simulateWritesKTAndOutputs() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("mimo.json", mimoJSON)
        var csv = "t,u1,u2\n"
        for k in 0..<20 { csv += "\(Double(k) * 0.5),\(sin(Double(k))),\(k % 3 == 0 ? 1.0 : -0.5)\n" }
        let input = try s.write("u.csv", csv)
        guard case let .discrete(d) = try SystemFile.read(path: sys) else { return }
        let u = Matrix(rows: 20, cols: 2, elements: (0..<20).flatMap { [sin(Double($0)), $0 % 3 == 0 ? 1.0 : -0.5] })
        let ref = try d.simulate(u, x0: [1, -1, 0.5]).outputs
        for mode in ["recurrent", "modal", "convolution", "fft"] {
            let out = s.path("y-\(mode).csv")
            let r = try CLI.run(["simulate", sys, "--input", input, "--x0", "1,-1,0.5", "--mode", mode, "--output", out])
            #expect(r.status == 0, "\(r.stderr)")
            let parsed = parseNumericCSV(try String(contentsOfFile: out, encoding: .utf8))
            #expect(parsed.header == ["k", "t", "y1", "y2"])
            #expect(parsed.rows.count == 20)
            expectClose(parsed.rows.flatMap { Array($0[2...]) }, ref.elements, rtol: 1e-12, atol: 1e-13, "mode \(mode)")
            #expect(parsed.rows.map { $0[0] } == (0..<20).map(Double.init))
        }
    }

    @Test func responsesNameEveryPair() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("mimo.json", mimoJSON)
        guard case let .discrete(d) = try SystemFile.read(path: sys) else { return }
        let impulse = try CLI.run(["impulse", sys, "--steps", "8"])
        let parsed = parseNumericCSV(impulse.stdout)
        #expect(parsed.header == ["y1_u1", "y1_u2", "y2_u1", "y2_u2"])
        expectClose(parsed.rows.flatMap { $0 }, try d.impulseResponse(steps: 8).values, rtol: 1e-15, atol: 0)
        #expect(parsed.rows[0] == [0.1, 0, 0, 0.2], "row 0 is D (impulse at k = 0)")
        let step = parseNumericCSV(try CLI.run(["step", sys, "--steps", "5"]).stdout)
        expectClose(step.rows.flatMap { $0 }, try d.stepResponse(steps: 5).values, rtol: 1e-15, atol: 0)
        for method in ["power", "doubling", "diagonal"] {
            let k = parseNumericCSV(try CLI.run(["kernel", sys, "--length", "30", "--method", method]).stdout)
            #expect(k.header == parsed.header)
            expectClose(k.rows.flatMap { $0 }, try d.kernel(length: 30, method: .power).values, rtol: 1e-12, atol: 1e-14, "\(method)")
        }
    }

    @Test func freqrespColumnsAndValues() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("motor.json", motorJSON)
        let r = try CLI.run(["freqresp", sys, "--omega", "0.1,1,10"])
        let parsed = parseNumericCSV(r.stdout)
        #expect(parsed.header == ["omega", "re_y1_u1", "im_y1_u1", "mag_db_y1_u1", "phase_deg_y1_u1"])
        guard case let .continuous(c) = try SystemFile.read(path: sys) else { return }
        let fr = try c.frequencyResponse(omega: [0.1, 1, 10])
        expectClose(parsed.rows.map { $0[1] }, (0..<3).map { fr[$0, 0, 0].real })
        expectClose(parsed.rows.map { $0[2] }, (0..<3).map { fr[$0, 0, 0].imaginary })
        let log = parseNumericCSV(try CLI.run(["freqresp", sys, "--logspace", "-1,2,7"]).stdout)
        expectClose(log.rows.map { $0[0] }, logspace(-1, 2, count: 7))
    }

    @Test func analyzeReportsTheRequiredKeys() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("mimo.json", mimoJSON)
        let r = try CLI.run(["analyze", sys])
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        for key in ["poles", "stable", "spectral_radius", "controllable", "observable", "hankel_singular_values"] {
            #expect(obj[key] != nil, "key \(key)")
        }
        #expect((obj["poles"] as? [[Double]])?.count == 3)
        #expect(obj["stable"] as? Bool == true)
    }

    @Test func compareModesInEveryFormat() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("mimo.json", mimoJSON)
        let csv = try CLI.run(["compare-modes", sys, "--lengths", "50,200", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "mode,length,seconds,max_abs_deviation,relative_deviation,note")
        #expect(lines.count == 1 + 2 * 4)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(Double(fields[4])! < 1e-12, "relative deviation \(line)")
        }
        let json = try CLI.run(["compare-modes", sys, "--lengths", "64", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(rows.count == 4 && Set(rows.map { $0["mode"] as! String }) == ["recurrent", "modal", "convolution", "fft"])
        let md = try CLI.run(["compare-modes", sys, "--lengths", "64", "--format", "md"])
        #expect(md.stdout.contains("| mode |"))
    }
}

/// Every bad input: non-zero exit, exactly one stderr line starting "sslab: " and containing
/// `mentions`, and no output file (nor temporary file) left behind.
func expectRejected(_ args: [String], mentions: [String], scratch s: Scratch, withOutputFile: Bool = true,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let before = s.listing()
    let out = s.path("out.txt")
    let r = try CLI.run(args + (withOutputFile ? ["--output", out] : []))
    #expect(r.status != 0, "exit status for \(args)", sourceLocation: sourceLocation)
    #expect(r.stderrLines.count == 1, "one stderr line, got: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix("sslab: "), "prefix: \(r.stderr)", sourceLocation: sourceLocation)
    for m in mentions { #expect(r.stderr.contains(m), "stderr '\(r.stderr)' names '\(m)'", sourceLocation: sourceLocation) }
    #expect(r.stdout.isEmpty, "no stdout", sourceLocation: sourceLocation)
    #expect(s.listing() == before, "no file left behind: \(s.listing())", sourceLocation: sourceLocation)
}

@Suite(.serialized) struct CLIBadInputTests {
    @Test func badSystemFiles() throws {
        let s = try Scratch(); defer { s.remove() }
        let cases: [(String, String, [String])] = [
            ("malformed.json", #"{"A": [[1, 2]"#, ["malformed.json", "invalid JSON"]),
            ("nonnumeric.json", #"{"A": [["x"]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": 1}"#, ["nonnumeric.json", "A[0][0]", "number"]),
            ("shape.json", #"{"A": [[1, 0], [0, 1]], "B": [[1]], "C": [[1, 0]], "D": [[0]], "dt": 1}"#, ["shape.json", "rows of A (2) and B (1) differ"]),
            ("ragged.json", #"{"A": [[1, 0], [0]], "B": [[1], [1]], "C": [[1, 0]], "D": [[0]], "dt": 1}"#, ["ragged.json", "'A'", "row 1"]),
            ("missing.json", #"{"A": [[1]], "B": [[1]], "C": [[1]], "dt": 1}"#, ["missing.json", "missing key 'D'"]),
            ("dtzero.json", #"{"A": [[0.5]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": 0}"#, ["dtzero.json", "dt"]),
            ("dtneg.json", #"{"A": [[0.5]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": -0.1}"#, ["dtneg.json", "dt"]),
            ("nan.json", #"{"A": [[NaN]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": 1}"#, ["nan.json", "invalid JSON"]),
            ("inf.json", #"{"A": [[1e999]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": 1}"#, ["inf.json"]),
            ("unknown.json", #"{"A": [[0.5]], "B": [[1]], "C": [[1]], "D": [[0]], "Dt": 1}"#, ["unknown.json", "Dt", "valid keys"]),
            ("labels.json", #"{"A": [[0.5]], "B": [[1]], "C": [[1]], "D": [[0]], "dt": 1, "inputs": ["a", "b"]}"#, ["labels.json", "inputs"]),
        ]
        for (name, text, mentions) in cases {
            let path = try s.write(name, text)
            try expectRejected(["analyze", path], mentions: mentions, scratch: s)
        }
        try expectRejected(["analyze", s.path("absent.json")], mentions: ["absent.json", "no such file"], scratch: s)
    }

    @Test func badSignalFiles() throws {
        let s = try Scratch(); defer { s.remove() }
        let sys = try s.write("mimo.json", mimoJSON)
        let cases: [(String, String, [String])] = [
            ("cols.csv", "u1\n1\n2\n", ["cols.csv", "1 input column", "2 input(s)"]),
            ("text.csv", "u1,u2\n1,2\n3,abc\n", ["text.csv", "abc", "3"]),
            ("ragged.csv", "u1,u2\n1,2\n3\n", ["ragged.csv", "3"]),
            ("empty.csv", "", ["empty.csv"]),
            ("nan.csv", "u1,u2\n1,nan\n", ["nan.csv"]),
        ]
        for (name, text, mentions) in cases {
            let input = try s.write(name, text)
            try expectRejected(["simulate", sys, "--input", input], mentions: mentions, scratch: s)
        }
        try expectRejected(["simulate", sys, "--input", s.path("none.csv")], mentions: ["none.csv"], scratch: s)
        let good = try s.write("good.csv", "u1,u2\n1,2\n")
        try expectRejected(["simulate", sys, "--input", good, "--x0", "1,2"], mentions: ["initial state", "3"], scratch: s)
        try expectRejected(["simulate", sys, "--input", good, "--mode", "rnn"], mentions: ["--mode", "rnn"], scratch: s)
    }

    @Test func badFlags() throws {
        let s = try Scratch(); defer { s.remove() }
        let motor = try s.write("motor.json", motorJSON)
        let mimo = try s.write("mimo.json", mimoJSON)
        try expectRejected(["c2d", motor, "--dt", "0.1", "--method", "tustinx"], mentions: ["--method", "tustinx", "zoh"], scratch: s)
        try expectRejected(["c2d", motor, "--dt", "0"], mentions: ["--dt"], scratch: s)
        try expectRejected(["c2d", motor, "--dt", "-1"], mentions: ["--dt"], scratch: s)
        try expectRejected(["c2d", motor, "--dt", "0.1", "--method", "gbt"], mentions: ["alpha"], scratch: s)
        try expectRejected(["c2d", motor, "--dt", "0.1", "--method", "gbt", "--alpha", "2"], mentions: ["--alpha"], scratch: s)
        try expectRejected(["c2d", mimo, "--dt", "0.1"], mentions: ["mimo.json", "already discrete"], scratch: s)
        try expectRejected(["impulse", mimo, "--steps", "-5"], mentions: ["--steps"], scratch: s)
        try expectRejected(["kernel", mimo, "--length", "-1"], mentions: ["--length"], scratch: s)
        try expectRejected(["kernel", mimo, "--length", "10", "--method", "fast"], mentions: ["--method", "fast"], scratch: s)
        try expectRejected(["compare-modes", mimo, "--lengths", "-3,10"], mentions: ["--lengths"], scratch: s)
        try expectRejected(["simulate", motor, "--input", s.path("x.csv")], mentions: ["motor.json", "discrete"], scratch: s)
        try expectRejected(["freqresp", motor], mentions: ["--omega"], scratch: s)
        try expectRejected(["freqresp", motor, "--omega", "1,abc"], mentions: ["--omega"], scratch: s)
        let unknown = try CLI.run(["nosuchcommand"])
        #expect(unknown.status != 0 && unknown.stderrLines.count == 1 && unknown.stderr.contains("nosuchcommand"), "\(unknown.stderr)")
    }
}
