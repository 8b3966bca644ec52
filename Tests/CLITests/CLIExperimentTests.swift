// CLIExperimentTests.swift — `sslab run`, `table`, `plot` through the executable, including a
// real interruption (SIGKILL mid-run) followed by a resume.

import Foundation
import TestSupport
import Testing

let cliExperiment = """
name = "cli"
seeds = [1, 2, 3, 4, 5, 6]

[[dataset]]
name = "tanks"
generator = "cascaded-tanks"
length = 3000

[[dataset]]
name = "duffing"
generator = "duffing"
length = 3000

[[model]]
name = "mean"
kind = "mean"

[[model]]
name = "oracle"
kind = "oracle"
"""

@Suite(.serialized) struct CLIExperimentTests {
    @Test func runTablePlotAndResumeAfterKill() throws {
        let s = try Scratch(); defer { s.remove() }
        let exp = try s.write("exp.toml", cliExperiment)
        let out = s.path("out")
        // Start a run, kill it as soon as its first record is on disk, then resume.
        guard let exe = CLI.executable else { Issue.record("no sslab executable"); return }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["run", exp, "--out", out]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let records = s.path("out/records.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let t = try? String(contentsOfFile: records, encoding: .utf8), !t.isEmpty { break }
            usleep(2_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let resumed = try CLI.run(["run", exp, "--out", out])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let lines = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 24, "every run recorded exactly once after the resume")
        let keys = try lines.map { line -> String in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return "\(o["dataset"]!)|\(o["model"]!)|\(o["seed"]!)"
        }
        #expect(Set(keys).count == 24)

        let table = try CLI.run(["table", out, "--format", "csv", "--metric", "rmse,fit"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("dataset,model,rmse_mean,rmse_std,rmse_n,fit_mean"))
        let plot = try CLI.run(["plot", out, "--kind", "predictions", "--dataset", "duffing", "--output", s.path("p.svg")])
        #expect(plot.status == 0 && s.exists("p.svg"))
        let svg = try String(contentsOfFile: s.path("p.svg"), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("oracle"))
    }

    @Test func badExperimentInputs() throws {
        let s = try Scratch(); defer { s.remove() }
        let unknownKey = try s.write("unknown.toml", "name = \"x\"\nseed = [1]\n[[dataset]]\nname = \"nile\"\n[[model]]\nname = \"m\"\nkind = \"mean\"\n")
        try expectRejected(["run", unknownKey, "--out", s.path("o1")], mentions: ["unknown.toml:2", "seed"], scratch: s, withOutputFile: false)
        let badKind = try s.write("kind.toml", "name = \"x\"\n[[dataset]]\nname = \"nile\"\n[[model]]\nname = \"m\"\nkind = \"svm\"\n")
        try expectRejected(["run", badKind, "--out", s.path("o2")], mentions: ["kind.toml:6", "svm", "valid"], scratch: s, withOutputFile: false)
        let badFile = try s.write("file.toml", "name = \"x\"\n[[dataset]]\nname = \"d\"\npath = \"nope.csv\"\ntask = \"simulation\"\ninputs = [\"u\"]\noutputs = [\"y\"]\n[[model]]\nname = \"m\"\nkind = \"mean\"\n")
        try expectRejected(["run", badFile, "--out", s.path("o3")], mentions: ["nope.csv"], scratch: s, withOutputFile: false)
        try expectRejected(["run", s.path("absent.toml"), "--out", s.path("o4")], mentions: ["absent.toml"], scratch: s, withOutputFile: false)
        try expectRejected(["table", s.path("nothing")], mentions: ["records.jsonl"], scratch: s)
        try expectRejected(["run", badKind, "--out", s.path("o5"), "--jobs", "0"], mentions: ["--jobs"], scratch: s, withOutputFile: false)
    }
}
