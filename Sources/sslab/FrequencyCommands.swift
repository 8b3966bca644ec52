// FrequencyCommands.swift — freqresp (CSV); bode (SVG) lives in PlotCommands.swift.

import ArgumentParser
import Foundation
import StateSpaceLab

/// `--omega w1,…` or `--logspace LO,HI,N` (10^LO … 10^HI rad/s).
struct FrequencyGrid: ParsableArguments {
    @Option(parsing: .unconditional, help: "Angular frequencies in rad/s, comma-separated.") var omega: NumberList?
    @Option(parsing: .unconditional, help: "LO,HI,N: N log-spaced frequencies from 10^LO to 10^HI rad/s.") var logspace: NumberList?

    func validate() throws {
        if (omega == nil) == (logspace == nil) { throw ValidationError("give exactly one of --omega and --logspace") }
        if let l = logspace?.values {
            guard l.count == 3, l[2] >= 1, l[2] == l[2].rounded(), l[0] < l[1] else {
                throw ValidationError("--logspace needs LO,HI,N with LO < HI and an integer N ≥ 1")
            }
        }
    }

    var values: [Double] {
        if let o = omega?.values { return o }
        let l = logspace!.values
        return StateSpaceLab.logspace(l[0], l[1], count: Int(l[2]))
    }
}

func frequencyResponse(of system: AnySystem, omega: [Double]) throws -> FrequencyResponse {
    switch system {
    case let .continuous(s): return try s.frequencyResponse(omega: omega)
    case let .discrete(s): return try s.frequencyResponse(omega: omega)
    }
}

struct FreqResp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freqresp",
        abstract: "Frequency response: H(jω) (continuous) or H(e^{jω dt}) (discrete), ω in rad/s.",
        discussion: """
        Output CSV: omega, then re_y<o>_u<i> and im_y<o>_u<i> per pair, then mag_db_y<o>_u<i> and
        phase_deg_y<o>_u<i> (phase unwrapped along ω).
        Example: sslab freqresp motor.json --omega 0.1,1,10 ; sslab freqresp motor.json --logspace -2,3,200
        """)
    @Argument(help: "System JSON.") var system: String
    @OptionGroup var grid: FrequencyGrid
    @OptionGroup var out: OutputOption

    func run() throws {
        let omega = grid.values
        let fr = try frequencyResponse(of: try loadSystem(system), omega: omega)
        let p = fr.outputs, m = fr.inputs
        var header = ["omega"]
        var columns: [[String]] = [omega.map(num)]
        for o in 0..<p { for i in 0..<m {
            header += ["re_y\(o + 1)_u\(i + 1)", "im_y\(o + 1)_u\(i + 1)"]
            columns.append((0..<omega.count).map { num(fr[$0, o, i].real) })
            columns.append((0..<omega.count).map { num(fr[$0, o, i].imaginary) })
        } }
        for o in 0..<p { for i in 0..<m {
            header += ["mag_db_y\(o + 1)_u\(i + 1)", "phase_deg_y\(o + 1)_u\(i + 1)"]
            columns.append(fr.magnitudeDB(output: o, input: i).map(num))
            columns.append(fr.phaseDegrees(output: o, input: i).map(num))
        } }
        try out.emit(csvText(header: header, rows: omega.count) { r, c in columns[c][r] })
    }
}
