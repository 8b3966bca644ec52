// NotebookEngineTests.swift — `run`: outputs in place, prose untouched, files atomic, failures
// leave everything as it was.

import Foundation
import Reports
import TestSupport
import Testing

@Suite struct NotebookRunTests {
    let notebook = """
    # A notebook

    Some *prose* with trailing spaces.  \n\tand a tab.

    ```sslab
    echo hello   world
    ```

    More prose.

    ```sslab
    write "file body" -o out/data.txt
    cat out/data.txt
    ```

    ```json
    {"not": "run"}
    ```
    """

    @Test func writesOutputsAndNeverTouchesProse() throws {
        let s = try NotebookScratch(notebook); defer { s.remove() }
        let fake = FakeSSLab()
        let summary = try NotebookEngine(executor: fake).run(path: s.notebook)
        #expect(summary.blocks == 2 && summary.changedBlocks == 2 && summary.documentChanged)
        #expect(summary.files == ["out/data.txt"])
        #expect(fake.calls.count == 3)
        let text = s.text
        #expect(prose(text) == notebook, "prose and blocks are byte-for-byte what they were")
        #expect(text.contains("```text\nhello world\n```"))
        #expect(text.contains("`sslab cat out/data.txt`:\n\n```text\nout/data.txt: file body\n```"),
                "the later command read the new file, and its output names the notebook's name, not the temporary one")
        #expect(text.contains("Wrote [out/data.txt](out/data.txt)."))
        #expect(s.file("out/data.txt") == "file body\n")
        #expect(s.listing() == ["nb.md", "out", "out/data.txt"], "no temporary file is left")
        #expect(!text.contains(".sslab-"))
    }

    @Test func runningTwiceChangesNothing() throws {
        let s = try NotebookScratch(notebook); defer { s.remove() }
        let engine = NotebookEngine(executor: FakeSSLab())
        _ = try engine.run(path: s.notebook)
        let first = s.text
        let again = try engine.run(path: s.notebook)
        #expect(s.text == first)
        #expect(!again.documentChanged && again.changedBlocks == 0)
    }

    @Test func editedOutputIsReplacedAndOrphansRemoved() throws {
        let s = try NotebookScratch(notebook); defer { s.remove() }
        let engine = NotebookEngine(executor: FakeSSLab())
        _ = try engine.run(path: s.notebook)
        let good = s.text
        try s.write(good.replacingOccurrences(of: "hello world", with: "stale") + "\n<!-- sslab:begin id=7 -->\norphan\n<!-- sslab:end -->\n")
        let r = try engine.run(path: s.notebook)
        #expect(r.changedBlocks == 1 && r.removedOrphans == 1)
        #expect(s.text == good + "\n", "the orphan's blank line before it is prose and stays")
    }

    @Test func failingBlockLeavesTheFolderUnchangedAndNamesTheLine() throws {
        let text = notebook + "\n\n```sslab\nsvg 1 -o fig.svg\necho fine\n\nfail --now\n```\n"
        let s = try NotebookScratch(text); defer { s.remove() }
        try Data("<svg>committed</svg>\n".utf8).write(to: s.url.appendingPathComponent("fig.svg"))
        let before = s.listing()
        #expect(throws: NotebookError.commandFailed(path: s.notebook, line: 25, command: "sslab fail --now", status: 1, detail: "sslab: something broke")) {
            try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        }
        #expect(s.text == text, "document unchanged")
        #expect(s.file("fig.svg") == "<svg>committed</svg>\n", "figure written by an earlier command is not put in place")
        #expect(s.listing() == before, "temporary files and new folders are gone: \(s.listing())")
        let message = NotebookError.commandFailed(path: "nb.md", line: 25, command: "sslab fail --now", status: 1, detail: "sslab: something broke").description
        #expect(message == "nb.md:25: `sslab fail --now` exited with status 1: sslab: something broke; the notebook was left unchanged")
    }

    @Test func outputsMustStayInsideTheFolder() throws {
        let s = try NotebookScratch("```sslab\nwrite x -o ../escape.txt\n```\n"); defer { s.remove() }
        #expect(throws: NotebookError.output(path: s.notebook, line: 2, message: "output '../escape.txt' must be a relative path inside the notebook's folder (no '..', not absolute)")) {
            try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        }
    }

    @Test func figuresAreLinkedAsImagesWithTheirLabel() throws {
        let s = try NotebookScratch("```sslab\nsvg 3 -o figs/a.svg   # The figure\n```\n"); defer { s.remove() }
        _ = try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        #expect(s.text.contains("![The figure](figs/a.svg)"))
        #expect(s.file("figs/a.svg") == "<svg><text x=\"1\">3</text></svg>\n")
    }

    @Test func plotBlocksDrawTheCSVOfEveryCommand() throws {
        let s = try NotebookScratch("```sslab plot=p.svg logy title=\"Two curves\"\ncsv 1  # one\ncsv 3  # three\n```\n"); defer { s.remove() }
        _ = try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        #expect(s.text.contains("![Two curves](p.svg)"))
        #expect(!s.text.contains("k,y"), "the CSV itself is not shown")
        let svg = try #require(s.file("p.svg"))
        #expect(svg.contains("data-name=\"one\"") && svg.contains("data-name=\"three\"") && svg.contains("Two curves"))

        let bad = try NotebookScratch("```sslab plot=p.svg\necho not, a csv\n```\n"); defer { bad.remove() }
        #expect(throws: NotebookError.output(path: bad.notebook, line: 2, message: "plot: the command printed no CSV or Markdown table rows to plot")) {
            try NotebookEngine(executor: FakeSSLab()).run(path: bad.notebook)
        }
        #expect(bad.listing() == ["nb.md"])
    }

    @Test func plotBlocksSplitMarkdownTablesIntoSeriesAndCanShowThem() throws {
        // The fake's `table` prints: | mode | seconds ↓ | deviation | with one row.
        let s = try NotebookScratch("```sslab plot=t.svg x=deviation y=seconds series=mode show\ntable fft 0.5\ntable rnn 0.25\n```\n"); defer { s.remove() }
        _ = try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        let svg = try #require(s.file("t.svg"))
        #expect(svg.contains("data-name=\"fft\"") && svg.contains("data-name=\"rnn\""))
        #expect(s.text.contains("| rnn | **0.25** | 1e-16 |"), "the same measurement is shown as a table")
        #expect(s.text.contains("![t.svg](t.svg)"))

        let bad = try NotebookScratch("```sslab plot=t.svg y=mode\ntable fft 0.5\n```\n"); defer { bad.remove() }
        #expect(throws: NotebookError.output(path: bad.notebook, line: 2, message: "plot: row 1, column 'mode': 'fft' is not a number")) {
            try NotebookEngine(executor: FakeSSLab()).run(path: bad.notebook)
        }
    }

    @Test func experimentBlocksRunTheTOMLAndTabulate() throws {
        let text = "Intro\n\n```sslab-experiment name=tiny metric=rmse\nname = \"tiny\"\nseeds = [1]\n```\n\n```sslab\ncat results/tiny/records.jsonl\n```\n"
        let s = try NotebookScratch(text); defer { s.remove() }
        let fake = FakeSSLab()
        _ = try NotebookEngine(executor: fake).run(path: s.notebook)
        #expect(fake.calls.count == 3)
        #expect(fake.calls[0][0] == "run" && fake.calls[0][1].hasSuffix("-tiny.toml") && fake.calls[0][3].hasPrefix("results/.sslab-"))
        #expect(fake.calls[1].prefix(1) == ["table"] && fake.calls[1].suffix(4) == ["--format", "md", "--metric", "rmse"])
        #expect(s.text.contains("| results/tiny | 0.5 |"), "the table names the scratch folder as the notebook does")
        #expect(s.text.contains("results/tiny/records.jsonl: {}"), "later blocks reach the experiment's folder")
        #expect(s.listing() == ["nb.md"], "the TOML and the run folder are scratch")

        let bad = try NotebookScratch("x\n```sslab-experiment name=e\nname = \"e\"\nbad = 1\n```\n"); defer { bad.remove() }
        #expect(throws: NotebookError.commandFailed(path: bad.notebook, line: 4, command: "sslab run e.toml --out results/e", status: 1, detail: "sslab: experiment line 2: unknown key 'bad'")) {
            try NotebookEngine(executor: FakeSSLab()).run(path: bad.notebook)
        }
    }

    @Test func processExecutorCapturesBothStreamsAndTheStatus() throws {
        let dir = try makeTemporaryDirectory("reports-exec"); defer { try? FileManager.default.removeItem(at: dir) }
        let sh = ProcessExecutor(executable: URL(fileURLWithPath: "/bin/sh"))
        let big = 200_000   // larger than a pipe buffer on both streams
        let r = try sh.run(["-c", "pwd; head -c \(big) /dev/zero | tr '\\0' e >&2; echo $OPENBLAS_NUM_THREADS; exit 3"], in: dir)
        #expect(r.status == 3)
        #expect(r.stderr.count == big)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasSuffix(dir.lastPathComponent))
        #expect(ProcessExecutor.currentExecutable() != nil)
    }
}
