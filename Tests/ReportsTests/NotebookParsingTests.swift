// NotebookParsingTests.swift — splitting command lines, finding lab blocks and output markers.

import Foundation
import Reports
import Testing

@Suite struct ShellWordsTests {
    @Test func quotesEscapesAndComments() throws {
        let w = try ShellWords.split(##"plot "a b" 'c "d"' e\ f "x\"y" --t=$HOME * # label "text" # here"##)
        #expect(w.words == ["plot", "a b", "c \"d\"", "e f", "x\"y", "--t=$HOME", "*"])
        #expect(w.comment == #"label "text" # here"#)
        #expect(try ShellWords.split("a#b c").words == ["a#b", "c"], "# inside a word is literal")
        #expect(try ShellWords.split("  ").words.isEmpty)
        #expect(try ShellWords.split("''").words == [""], "an empty quoted word is a word")
    }

    @Test func refusesShellOperatorsAndOpenQuotes() throws {
        #expect(throws: ShellWordsError(column: 11, message: "the double quote is not closed")) { try ShellWords.split(#"analyze x "y"#) }
        for op in ["|", ">", ";", "&", "<"] {
            #expect(throws: ShellWordsError.self, "\(op)") { try ShellWords.split("analyze x \(op) y") }
        }
        #expect(try ShellWords.split("analyze '>'").words == ["analyze", ">"], "quoted operators pass")
    }

    @Test func quoteRoundTrips() throws {
        let words = ["a b", "it's", "", "plain-1.5", "$x", "tab\there"]
        let line = words.map(ShellWords.quote).joined(separator: " ")
        #expect(try ShellWords.split(line).words == words)
    }
}

@Suite struct NotebookDocumentTests {
    let sample = """
    # Title

    ```bash
    sslab not-run
    ```

    ```sslab volatile=time
    sslab analyze a.json   # first
    # a comment line
    compare-modes a.json \\
        --lengths 10,100
    ```

    Prose between.

    ~~~~sslab-experiment name=tiny metric=rmse
    name = "x"
    ~~~~

    <!-- sslab:begin id=2 digest=0000000000000000 -->

    old

    <!-- sslab:end -->

    ```markdown
    <!-- sslab:begin id=9 -->
    ```
    """

    @Test func findsLabBlocksCommandsAndSections() throws {
        let d = try NotebookDocument(text: sample, path: "nb.md")
        #expect(d.blocks.count == 2)
        let a = d.blocks[0], b = d.blocks[1]
        #expect(a.kind == .commands && a.openingLine == 7 && a.closingLine == 12 && a.ordinal == 1)
        #expect(a.options.volatile == ["time"])
        #expect(a.commands.map(\.arguments) == [["analyze", "a.json"], ["compare-modes", "a.json", "--lengths", "10,100"]])
        #expect(a.commands.map(\.line) == [8, 10])
        #expect(a.commands[0].label == "first")
        #expect(a.output == nil)
        #expect(b.kind == .experiment && b.options.experimentName == "tiny" && b.options.metric == "rmse")
        #expect(b.output?.beginLine == 20 && b.output?.endLine == 24 && b.output?.id == "2")
        #expect(d.orphans.isEmpty, "the marker inside the markdown fence is text, not a section")
        #expect(!d.isSlow)
        #expect(d.text == sample)
    }

    @Test func plotOptionsAreParsed() throws {
        let d = try NotebookDocument(text: "```sslab plot=f.svg x=length y=seconds,t series=mode show logx logy abs xrange=1,10 yrange=1e-6,1 title=\"A b\"\nx\n```\n", path: "nb.md")
        let p = try #require(d.blocks.first?.options.plot)
        #expect(p == NotebookPlotOptions(file: "f.svg", x: "length", y: ["seconds", "t"], series: "mode", showsOutput: true, logX: true, logY: true,
                                         xRange: 1...10, yRange: 1e-6...1, absolute: true, title: "A b", xLabel: nil, yLabel: nil))
    }

    @Test func digestChangesWithTheBlockOnly() throws {
        let d1 = try NotebookDocument(text: sample, path: "nb.md")
        let d2 = try NotebookDocument(text: sample.replacingOccurrences(of: "Prose between.", with: "Other prose."), path: "nb.md")
        let d3 = try NotebookDocument(text: sample.replacingOccurrences(of: "--lengths 10,100", with: "--lengths 10,1000"), path: "nb.md")
        #expect(d1.blocks.map(\.digest) == d2.blocks.map(\.digest))
        #expect(d1.blocks[0].digest != d3.blocks[0].digest)
        #expect(d1.blocks[1].digest == d3.blocks[1].digest)
        #expect(d1.blocks[0].digest.count == 16)
    }

    @Test func orphanSectionsAndTheSlowMarker() throws {
        let text = "<!-- sslab:notebook slow -->\nText\n\n<!-- sslab:begin id=1 -->\nx\n<!-- sslab:end -->\n"
        let d = try NotebookDocument(text: text, path: "nb.md")
        #expect(d.isSlow)
        #expect(d.orphans.map(\.beginLine) == [4])
        #expect(d.replacingOutputs([:]) == "<!-- sslab:notebook slow -->\nText\n\n", "run drops orphan output")
    }

    @Test func malformedStructureNamesTheLine() {
        func error(_ text: String) -> NotebookError? {
            do { _ = try NotebookDocument(text: text, path: "nb.md"); return nil } catch { return error }
        }
        #expect(error("a\n\n```sslab\nanalyze x\n")?.description == "nb.md:3: the `sslab` block is not closed (no matching ``` line)")
        #expect(error("```sslab\n```\n")?.description == "nb.md:1: the `sslab` block has no command line")
        #expect(error("```sslab colour=red\nx\n```\n")?.description.hasPrefix("nb.md:1: unknown option 'colour' for a `sslab` block; valid: ") == true)
        #expect(error("```sslab\nanalyze 'x\n```\n")?.description == "nb.md:2: command line: column 9: the single quote is not closed")
        #expect(error("```sslab\nx\n```\n<!-- sslab:begin id=1 -->\ny\n")?.description == "nb.md:4: the output section is not closed (no `<!-- sslab:end -->` line)")
        #expect(error("x\n<!-- sslab:end -->\n")?.description == "nb.md:2: `<!-- sslab:end -->` without a begin marker")
        #expect(error("<!-- sslab:frobnicate -->\n")?.description == "nb.md:1: unknown marker `sslab:frobnicate` (known: begin, end, notebook)")
        #expect(error("```sslab-experiment\na = 1\n```\n")?.description == "nb.md:1: a `sslab-experiment` block needs name=NAME")
        #expect(error("```sslab logy\nx\n```\n")?.description == "nb.md:1: option 'logy' applies only with plot=FILE.svg")
        #expect(error("```sslab plot=a.png\nx\n```\n")?.description == "nb.md:1: option 'plot' names an .svg file, got 'a.png'")
        #expect(error("```sslab\nx \\\n```\n")?.description == "nb.md:2: the last command line ends with a continuation backslash")
        #expect(error("```sslab plot=a.svg logy yrange=0,1\nx\n```\n")?.description == "nb.md:1: option 'yrange' needs LO,HI with LO < HI and LO > 0 on a log axis, got '0,1'")
        #expect(error("```sslab plot=a.svg xrange=2,1\nx\n```\n")?.description == "nb.md:1: option 'xrange' needs LO,HI with LO < HI, got '2,1'")
        #expect(error("```sslab stderr=yes\nx\n```\n")?.description == "nb.md:1: option 'stderr' is a flag and takes no value")
        #expect(error("```sslab head=0\nx\n```\n")?.description == "nb.md:1: option 'head' needs a positive integer, got '0'")
    }

    @Test func replacingOutputsKeepsEverythingElseByteForByte() throws {
        // CRLF prose, a block at the end of the file without a final line break.
        let text = "Intro\r\nline two  \r\n\r\n```sslab\r\necho 1\r\n```\r\n\r\n<!-- sslab:begin id=1 digest=x -->\nold\n<!-- sslab:end -->\nMiddle\r\n```sslab\necho 2\n```"
        let d = try NotebookDocument(text: text, path: "nb.md")
        #expect(d.blocks.count == 2 && d.blocks[0].output != nil && d.blocks[1].output == nil)
        let new = d.replacingOutputs([1: "<!-- sslab:begin id=1 digest=y -->\nNEW\n<!-- sslab:end -->", 2: "<!-- sslab:begin id=2 digest=z -->\n<!-- sslab:end -->"])
        #expect(new == "Intro\r\nline two  \r\n\r\n```sslab\r\necho 1\r\n```\r\n\r\n<!-- sslab:begin id=1 digest=y -->\nNEW\n<!-- sslab:end -->\nMiddle\r\n```sslab\necho 2\n```\n\n<!-- sslab:begin id=2 digest=z -->\n<!-- sslab:end -->\n")
        let again = try NotebookDocument(text: new, path: "nb.md")
        #expect(again.blocks.allSatisfy { $0.output != nil })
        #expect(again.replacingOutputs([1: "<!-- sslab:begin id=1 digest=y -->\nNEW\n<!-- sslab:end -->", 2: "<!-- sslab:begin id=2 digest=z -->\n<!-- sslab:end -->"]) == new, "idempotent")
    }
}
