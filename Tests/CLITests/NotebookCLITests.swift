// NotebookCLITests.swift — golden tests of `sslab notebook run` and `sslab notebook check` on
// small temporary notebooks, run by the built executable.

import Foundation
import TestSupport
import Testing

private let plantJSON = """
{"A": [[0.9, 0.1], [0, 0.8]], "B": [[0], [1]], "C": [[1, 0]], "D": [[0]], "dt": 0.1, "name": "plant"}
"""

/// A notebook without timings: its outputs are the same on every run.
private let steadyNotebook = """
# Plant

Prose stays *exactly* as written.

```sslab
sslab step plant.json --steps 3
```

```sslab plot=figs/impulse.svg title="Impulse"
sslab impulse plant.json --steps 30   # plant
```

```sslab
sslab c2d motor.json --dt 0.5 -o figs/motor-d.json
sslab analyze figs/motor-d.json
```
"""

@Suite(.serialized) struct NotebookCLITests {
    func scratch(_ notebook: String) throws -> Scratch {
        let s = try Scratch()
        try s.write("plant.json", plantJSON)
        try s.write("motor.json", motorJSON)
        try s.write("nb.md", notebook)
        return s
    }

    @Test func runWritesOutputsAndFiguresThenCheckPasses() throws {
        let s = try scratch(steadyNotebook); defer { s.remove() }
        let run = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout == "nb.md: ran 3 blocks, 3 outputs updated, 2 files written\n")
        let text = try String(contentsOfFile: s.path("nb.md"), encoding: .utf8)
        #expect(text.hasPrefix("# Plant\n\nProse stays *exactly* as written.\n\n```sslab\nsslab step plant.json --steps 3\n```\n\n<!-- sslab:begin id=1 digest="))
        #expect(text.contains("-->\n\n```text\ny1_u1\n0.0\n0.0\n0.1\n```\n\n<!-- sslab:end -->"), "the step reaches y after two steps")
        #expect(text.contains("![Impulse](figs/impulse.svg)"))
        #expect(text.contains("Wrote [figs/motor-d.json](figs/motor-d.json).") && text.contains("\"type\": \"discrete\""))
        let svg = try String(contentsOfFile: s.path("figs/impulse.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("data-name=\"plant\""))
        #expect(s.listing() == ["figs", "motor.json", "nb.md", "plant.json"])

        let check = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(check.status == 0 && check.stdout == "nb.md: up to date (3 blocks)\n" && check.stderr.isEmpty, "\(check.stdout)\(check.stderr)")

        let again = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(again.stdout == "nb.md: ran 3 blocks, unchanged, 2 files written\n")
        #expect(try String(contentsOfFile: s.path("nb.md"), encoding: .utf8) == text, "a second run changes nothing")
    }

    @Test func checkFailsWithADiffOnStaleOutput() throws {
        let s = try scratch(steadyNotebook); defer { s.remove() }
        _ = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        let good = try String(contentsOfFile: s.path("nb.md"), encoding: .utf8)
        try s.write("nb.md", good.replacingOccurrences(of: "0.0\n0.1\n```", with: "0.0\n0.2\n```"))
        let r = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("nb.md: OUT OF DATE (1 problem); run `sslab notebook run nb.md`\nnb.md:9: output of block 1 (line 5) differs from a fresh run\n"), "\(r.stdout)")
        #expect(r.stdout.contains("    - 0.2\n    + 0.1\n"))
        #expect(r.stderrLines == ["sslab: 1 of 1 notebook is out of date or failed: nb.md"])
        #expect(try String(contentsOfFile: s.path("nb.md"), encoding: .utf8) != good, "check writes nothing")

        // An edited figure is stale too; a missing one as well.
        try s.write("nb.md", good)
        let svg = try String(contentsOfFile: s.path("figs/impulse.svg"), encoding: .utf8)
        try s.write("figs/impulse.svg", svg.replacingOccurrences(of: "Impulse", with: "Impulses"))
        let fig = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(fig.status == 1 && fig.stdout.contains("figs/impulse.svg differs from a fresh run"), "\(fig.stdout)")
    }

    @Test func timingsAreMaskedAndRoundoffComparesAsZero() throws {
        let s = try scratch("```sslab roundoff=deviation\nsslab compare-modes plant.json --lengths 10,50 --format md\n```\n"); defer { s.remove() }
        let run = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: s.path("nb.md"), encoding: .utf8)
        #expect(text.contains("| mode | length | seconds ↓ |"))
        // Replace every timing cell with another number, and a tiny deviation with another tiny one.
        var lines = text.components(separatedBy: "\n")
        for i in lines.indices where lines[i].hasPrefix("| fft ") || lines[i].hasPrefix("| recurrent ") {
            var cells = lines[i].components(separatedBy: " | ")
            cells[2] = "**9.99**"
            lines[i] = cells.joined(separator: " | ")
        }
        try s.write("nb.md", lines.joined(separator: "\n"))
        let r = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(r.status == 0, "\(r.stdout)")
        try s.write("nb.md", text.replacingOccurrences(of: "| fft | 10 |", with: "| fft | 11 |"))
        #expect(try CLI.run(["notebook", "check", "nb.md"], in: s.url).status == 1, "a changed length is not volatile")
    }

    @Test func failingBlockLeavesEverythingUnchangedAndNamesTheLine() throws {
        let notebook = steadyNotebook + "\n\n```sslab\nsslab bode plant.json -o figs/bode.svg\nsslab analyze missing.json\n```\n"
        let s = try scratch(notebook); defer { s.remove() }
        let r = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderrLines.count == 2)
        #expect(r.stderrLines.first?.hasPrefix("sslab: nb.md:20: `sslab analyze missing.json` exited with status 1: sslab: ") == true, "\(r.stderr)")
        #expect(r.stderrLines.first?.hasSuffix("; the notebook was left unchanged") == true)
        #expect(r.stderrLines.last == "sslab: 1 of 1 notebook failed: nb.md")
        #expect(try String(contentsOfFile: s.path("nb.md"), encoding: .utf8) == notebook)
        #expect(s.listing() == ["motor.json", "nb.md", "plant.json"], "no figure, no folder, no temporary file: \(s.listing())")
    }

    @Test func slowNotebooksAreOnlyDigestCheckedWithSkipSlow() throws {
        let s = try scratch("<!-- sslab:notebook slow -->\n\n```sslab\nsslab analyze plant.json\n```\n"); defer { s.remove() }
        #expect(try CLI.run(["notebook", "run", "nb.md"], in: s.url).status == 0)
        try FileManager.default.removeItem(atPath: s.path("plant.json"))   // executing would now fail
        let skipped = try CLI.run(["notebook", "check", "--skip-slow", "nb.md"], in: s.url)
        #expect(skipped.status == 0 && skipped.stdout == "nb.md: up to date (1 block, slow: digests only, not executed)\n", "\(skipped.stdout)\(skipped.stderr)")
        let executed = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(executed.status == 1 && executed.stderr.contains("nb.md:4: `sslab analyze plant.json` exited with status 1"))
    }

    @Test func experimentBlocksRunAndTabulate() throws {
        let notebook = """
        ```sslab-experiment name=tiny metric=rmse
        name = "tiny"
        seeds = [1, 2]
        [[dataset]]
        name = "plant"
        generator = "lti"
        length = 300
        [[model]]
        name = "oracle"
        kind = "oracle"
        ```

        ```sslab
        sslab plot results/tiny --kind predictions -o pred.svg
        ```
        """
        let s = try scratch(notebook); defer { s.remove() }
        let r = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: s.path("nb.md"), encoding: .utf8)
        #expect(text.contains("| plant | oracle | ") && text.contains("0.000 ± 0.000"), "\(text)")
        #expect(text.contains("![pred.svg](pred.svg)"))
        #expect(s.listing() == ["motor.json", "nb.md", "plant.json", "pred.svg"], "the TOML and the run folder are scratch")
        #expect(try CLI.run(["notebook", "check", "nb.md"], in: s.url).status == 0, "train_s and infer_s are masked")

        try s.write("nb.md", notebook.replacingOccurrences(of: "length = 300", with: "length = 3"))
        let bad = try CLI.run(["notebook", "run", "nb.md"], in: s.url)
        #expect(bad.status == 1 && bad.stderr.hasPrefix("sslab: nb.md:7: `sslab run tiny.toml --out results/tiny` exited with status 1: sslab: experiment line 6: "), "\(bad.stderr)")
    }

    @Test func usageErrors() throws {
        let s = try scratch("```sslab frobnicate\nsslab info\n```\n"); defer { s.remove() }
        let r = try CLI.run(["notebook", "check", "nb.md"], in: s.url)
        #expect(r.status == 1 && r.stderrLines.first?.hasPrefix("sslab: nb.md:1: unknown option 'frobnicate' for a `sslab` block; valid: ") == true, "\(r.stderr)")
        let none = try CLI.run(["notebook", "run"], in: s.url)
        #expect(none.status == 64 && none.stderrLines.count == 1)
        let missing = try CLI.run(["notebook", "run", "nope.md"], in: s.url)
        #expect(missing.status == 1 && missing.stderrLines.first?.hasPrefix("sslab: nope.md: cannot read the notebook: ") == true)
        let help = try CLI.run(["--help"])
        #expect(help.stdout.contains("notebook") && help.stdout.contains("ssm-kernel"))
    }
}
