// PlotCommands.swift — bode: the frequency response as an SVG figure.

import ArgumentParser
import Foundation
import StateSpaceLab

struct Bode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bode plot (magnitude in dB and unwrapped phase over log ω) as SVG.",
        discussion: """
        One curve per output/input pair. Default frequencies: 400 log-spaced points over
        10^-2 … 10^3 rad/s (continuous) or up to the Nyquist frequency π/dt (discrete).
        Example: sslab bode motor.json --output bode.svg
        """)
    @Argument(help: "System JSON.") var system: String
    @Option(parsing: .unconditional, help: "Angular frequencies in rad/s, comma-separated.") var omega: NumberList?
    @Option(parsing: .unconditional, help: "LO,HI,N: N log-spaced frequencies from 10^LO to 10^HI rad/s.") var logspace: NumberList?
    @Option(help: "Figure title (default: the system's name or file).") var title: String?
    @OptionGroup var out: OutputOption

    func validate() throws {
        if omega != nil && logspace != nil { throw ValidationError("give at most one of --omega and --logspace") }
        if let l = logspace?.values {
            guard l.count == 3, l[2] >= 2, l[2] == l[2].rounded(), l[0] < l[1] else {
                throw ValidationError("--logspace needs LO,HI,N with LO < HI and an integer N ≥ 2")
            }
        }
        if let o = omega?.values, o.contains(where: { $0 <= 0 }) { throw ValidationError("--omega values must be > 0 on a log axis") }
    }

    func run() throws {
        let sys = try loadSystem(system)
        let grid: [Double]
        if let o = omega?.values { grid = o } else if let l = logspace?.values {
            grid = StateSpaceLab.logspace(l[0], l[1], count: Int(l[2]))
        } else if case let .discrete(d) = sys {
            grid = StateSpaceLab.logspace(Foundation.log10(Double.pi / d.dt) - 4, Foundation.log10(0.999 * Double.pi / d.dt), count: 400)
        } else {
            grid = StateSpaceLab.logspace(-2, 3, count: 400)
        }
        let fr = try frequencyResponse(of: sys, omega: grid)
        var curves: [BodeCurve] = []
        for o in 0..<fr.outputs { for i in 0..<fr.inputs {
            curves.append(BodeCurve("y\(o + 1) ← u\(i + 1)", frequencies: grid, magnitudeDB: fr.magnitudeDB(output: o, input: i),
                                    phaseDegrees: fr.phaseDegrees(output: o, input: i)))
        } }
        let name: String
        switch sys {
        case let .continuous(s): name = s.labels.name ?? system
        case let .discrete(s): name = s.labels.name ?? system
        }
        try out.emit(Figure.bode(curves, title: title ?? "Bode plot: \(name)").svg())
    }
}
