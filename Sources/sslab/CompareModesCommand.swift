// CompareModesCommand.swift — the RNN/CNN equivalence, measured.

import ArgumentParser
import Foundation
import StateSpaceLab
import LabBench

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case md, csv, json, latex
    var table: TableFormat {
        switch self {
        case .md: return .markdown
        case .csv: return .csv
        case .json: return .json
        case .latex: return .latex
        }
    }
}

struct CompareModes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-modes",
        abstract: "Run one system in every simulation mode across input lengths: time and deviation.",
        discussion: """
        For each length, a seeded uniform input is simulated in recurrent, modal, convolution and
        fft mode; each row gives the median time and the max deviation from the recurrent output.
        Direct convolution (O(L²)) is skipped above --max-direct-length.
        Example: sslab compare-modes plant.json --lengths 100,1000,1e4,1e5 --format md
        """)
    @Argument(help: "System JSON (discrete, or continuous with --dt).") var system: String
    @Option(help: "Input lengths, comma-separated (1e4 and 2^14 accepted).") var lengths: LengthList
    @Option(help: "md | csv | json | latex") var format: OutputFormat = .md
    @Option(help: "Seed of the input signal.") var seed: UInt64 = 1
    @Option(help: "Longest input for direct convolution.") var maxDirectLength: Int = 20_000
    @Option(parsing: .unconditional, help: "Discretise a continuous system with this sample time (zoh).") var dt: Double?
    @OptionGroup var out: OutputOption

    func validate() throws {
        if lengths.values.contains(0) { throw ValidationError("--lengths must be positive") }
    }

    func run() throws {
        let sys = try loadDiscrete(system, dt: dt, command: "compare-modes")
        let rows = try ModeComparison.run(sys, lengths: lengths.values, seed: seed, maxDirectLength: maxDirectLength)
        try out.emit(modeTable(rows, caption: "Simulation modes of \(sys.labels.name ?? system) (n = \(sys.stateCount), m = \(sys.inputCount), p = \(sys.outputCount))").rendered(format.table))
    }
}

/// The mode-comparison table: mode, length, time, deviations, note.
func modeTable(_ rows: [ModeComparisonRow], caption: String) throws -> Table {
    let columns: [TableColumn] = [.text("mode"), .integer("length"), .number("seconds", better: .lower, significantDigits: 3),
                                  .number("max_abs_deviation", significantDigits: 3), .number("relative_deviation", significantDigits: 3),
                                  .text("note")]
    let cells: [[TableValue]] = rows.map { r in
        [.text(r.mode.rawValue), .integer(r.length), r.seconds.map { .number($0) } ?? .missing,
         r.maxAbsDeviation.map { .number($0) } ?? .missing, r.relativeDeviation.map { .number($0) } ?? .missing,
         .text(r.note ?? "")]
    }
    return try Table(columns: columns, rows: cells, groupColumn: "length", caption: caption,
                     footnote: "Deviation is measured against the recurrent output; best time per length in bold.")
}
