// NotebookCheckTests.swift — masking volatile values, and `check` telling fresh from stale.

import Foundation
import Reports
import TestSupport
import Testing

@Suite struct VolatileMaskTests {
    let table = [
        "Timings", "",
        "| mode | length | seconds ↓ | train\\_s | wall time | max_abs_deviation | note |",
        "| :--- | ---: | ---: | ---: | ---: | ---: | :--- |",
        "| fft | 100 | **0.00123** | 1.5 | 2e-3 | 2.2e-16 | y1_u1 ok |",
        "| recurrent | 1000 | 1.2e-05 | — | 7 | **0.001** | 3 runs |",
        "", "median time 0.5 s, 3 runs",
    ]

    @Test func timingColumnsAreMaskedByDefault() {
        let m = VolatileMask().apply(table)
        #expect(m[4] == "| fft | 100 | # | # | # | 2.2e-16 | y1_u1 ok |")
        #expect(m[5] == "| recurrent | 1000 | # | — | # | **0.001** | 3 runs |", "a missing cell stays visible")
        #expect(m[7] == table[7], "plain lines are masked only when a block asks")
        #expect(m.count == table.count)
    }

    @Test func blockPatternsAddColumnsLinesAndRoundoff() {
        let m = VolatileMask(volatile: ["runs"], roundoff: ["deviation"]).apply(table)
        #expect(m[4] == "| fft | 100 | # | # | # | ≈0 | y1_u1 ok |")
        #expect(m[5] == "| recurrent | 1000 | # | — | # | 0.001 | 3 runs |", "big deviations still compare; bold dropped")
        #expect(m[7] == "median time # s, # runs")
    }

    @Test func numbersInsideWordsAreNotNumbers() {
        let m = VolatileMask(volatile: ["x"]).apply(["x y1_u1 K2 -3.5e+2 +4 .5 1e3x (n=3)"])
        #expect(m == ["x y1_u1 K2 # # # #x (n=#)"])
    }
}

@Suite struct TokenComparisonTests {
    @Test func roundingNoiseMatchesButChangedValuesDoNot() {
        let same: [(String, String)] = [("0.9231190640347159", "0.9231190640347161"), ("0.1235", "0.1234"), ("1.23e-5", "1.24e-5"),
                                        ("-0.500", "-0.501"), ("12", "12"), ("1e-16", "1e-16")]
        for (a, b) in same { #expect(TokenComparison.numbersMatch(a, b), "\(a) ~ \(b)") }
        let different: [(String, String)] = [("0.1235", "0.1237"), ("12", "13"), ("1382", "1383"), ("1.23e-5", "1.23e-6"),
                                             ("0.12", "0.123"), ("2.2e-16", "4.4e-16"), ("0.5", "0.6"), ("-0.50", "-0.51")]
        for (a, b) in different { #expect(!TokenComparison.numbersMatch(a, b), "\(a) ≁ \(b)") }
        #expect(TokenComparison.lineMatches("| fft | 0.1235 | y1_u1 |", "| fft | 0.1234 | y1_u1 |"))
        #expect(!TokenComparison.lineMatches("| fft | 0.1235 |", "| rnn | 0.1235 |"))
        #expect(TokenComparison.firstDifference("a 1 b", "a 1 c", extra: nil) == "' b' is now ' c'")
        #expect(TokenComparison.firstDifference("x=1.00", "x=1.04", extra: { abs($0 - $1) <= 0.05 }) == nil)
    }
}

@Suite struct NotebookCheckTests {
    let notebook = """
    Intro.

    ```sslab
    table fft 0.125
    ```

    ```sslab
    svg 10 -o fig.svg
    ```
    """

    func fresh() throws -> (NotebookScratch, NotebookEngine) {
        let s = try NotebookScratch(notebook)
        let engine = NotebookEngine(executor: FakeSSLab())
        _ = try engine.run(path: s.notebook)
        return (s, engine)
    }

    @Test func freshNotebookPassesAndNothingIsWritten() throws {
        let (s, engine) = try fresh(); defer { s.remove() }
        let before = s.text, files = s.listing()
        let r = try engine.check(path: s.notebook)
        #expect(r.isUpToDate && r.executed && r.blocks == 2, "\(r.rendered)")
        #expect(r.rendered == "\(s.notebook): up to date (2 blocks)\n")
        #expect(s.text == before && s.listing() == files)
    }

    @Test func staleOutputFailsWithADiff() throws {
        let (s, engine) = try fresh(); defer { s.remove() }
        try s.write(s.text.replacingOccurrences(of: "| fft |", with: "| rnn |"))
        let r = try engine.check(path: s.notebook)
        #expect(r.problems.count == 1)
        let p = try #require(r.problems.first)
        #expect(p.line == 7 && p.message == "output of block 1 (line 3) differs from a fresh run")
        #expect(p.diff.contains("- | rnn | **0.125** | 1e-16 |") && p.diff.contains("+ | fft | **0.125** | 1e-16 |"), "\(p.diff)")
        #expect(r.rendered.contains("OUT OF DATE"))
    }

    @Test func changedTimingsStillPass() throws {
        let (s, engine) = try fresh(); defer { s.remove() }
        try s.write(s.text.replacingOccurrences(of: "**0.125**", with: "0.25"))
        #expect(try engine.check(path: s.notebook).isUpToDate)
    }

    @Test func editedBlockMissingOutputAndOrphansAreReported() throws {
        let (s, engine) = try fresh(); defer { s.remove() }
        let good = s.text
        try s.write(good.replacingOccurrences(of: "table fft 0.125", with: "table fft   0.125"))
        let edited = try engine.check(path: s.notebook)
        #expect(edited.problems.map(\.message).contains { $0.hasPrefix("block 1 was edited after its output was generated") })
        try s.write(good + "\n\n```sslab\necho new\n```\n\ntext\n\n<!-- sslab:begin id=9 -->\n<!-- sslab:end -->\n")
        let messages = try engine.check(path: s.notebook).problems.map(\.message)
        #expect(messages.contains("block 3 has no output section yet"))
        #expect(messages.contains("output section follows no lab block"))
    }

    @Test func changedOrMissingFiguresFail() throws {
        let (s, engine) = try fresh(); defer { s.remove() }
        let figure = s.url.appendingPathComponent("fig.svg")
        try Data("<svg><text x=\"1.03\">10</text></svg>\n".utf8).write(to: figure)
        #expect(try engine.check(path: s.notebook).isUpToDate, "SVG numbers within 0.05 pass")
        try Data("<svg><text x=\"1\">11</text></svg>\n".utf8).write(to: figure)
        #expect(try engine.check(path: s.notebook).problems.map(\.message) == ["fig.svg differs from a fresh run: number 11 is now 10"])
        try FileManager.default.removeItem(at: figure)
        #expect(try engine.check(path: s.notebook).problems.map(\.message) == ["fig.svg is missing (a fresh run writes it)"])
    }

    @Test func volatileFiguresAreCheckedForExistenceOnly() throws {
        let s = try NotebookScratch("```sslab volatile-figures\nsvg 1 -o v.svg\n```\n"); defer { s.remove() }
        let engine = NotebookEngine(executor: FakeSSLab())
        _ = try engine.run(path: s.notebook)
        try Data("<svg>other</svg>".utf8).write(to: s.url.appendingPathComponent("v.svg"))
        #expect(try engine.check(path: s.notebook).isUpToDate)
    }

    @Test func slowNotebooksAreOnlyDigestCheckedWhenAsked() throws {
        let s = try NotebookScratch("<!-- sslab:notebook slow -->\n\n```sslab\necho slow\n```\n"); defer { s.remove() }
        _ = try NotebookEngine(executor: FakeSSLab()).run(path: s.notebook)
        let fake = FakeSSLab()
        let skipped = try NotebookEngine(executor: fake).check(path: s.notebook, executeSlow: false)
        #expect(skipped.isUpToDate && !skipped.executed && fake.calls.isEmpty)
        #expect(skipped.rendered.contains("slow: digests only, not executed"))
        try s.write(s.text.replacingOccurrences(of: "echo slow", with: "echo edited"))
        #expect(try !NotebookEngine(executor: fake).check(path: s.notebook, executeSlow: false).isUpToDate, "an edited block is caught without running it")
        #expect(fake.calls.isEmpty)
    }

    @Test func failingBlockDuringCheckIsAnError() throws {
        let (s, _) = try fresh(); defer { s.remove() }
        try s.write(s.text + "\n\n```sslab\nfail\n```\n")
        let files = s.listing()
        #expect(throws: NotebookError.self) { try NotebookEngine(executor: FakeSSLab()).check(path: s.notebook) }
        #expect(s.listing() == files)
    }
}
