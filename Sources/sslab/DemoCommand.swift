// DemoCommand.swift — `make demo`: the lab's main job.

import ArgumentParser
import Foundation
import LabBench
import StateSpaceLab

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The lab's main demonstration: discretisation, RNN = CNN mode comparison, figures.",
        discussion: """
        Discretises the classic systems by every method and scores them against the continuous
        system, simulates systems in recurrent, modal, convolution and FFT mode across input
        lengths (time and deviation), and writes Markdown and CSV tables and SVG figures into
        --out. Example: sslab demo --out results
        """)
    @Option(help: "Output directory.") var out: String = "results"
    @Flag(help: "Shorter inputs (up to 10 000 steps) for a fast run.") var quick = false

    func run() throws {
        let lengths = quick ? [100, 1000, 10_000] : [100, 1000, 10_000, 100_000]
        let log: (String) -> Void = { FileHandle.standardError.write(Data("demo: \($0)\n".utf8)) }
        let art = try LTIDemo.run(directory: out, lengths: lengths, log: log)
        for (_, table) in art.tables { print(table.rendered(.markdown)) }
        print("Wrote:")
        for f in art.files { print("  \(f)") }
    }
}
