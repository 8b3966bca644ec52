// SystemCommands.swift — c2d, d2c, reduce: system in, system out.

import ArgumentParser
import StateSpaceLab

struct C2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "c2d",
        abstract: "Discretise a continuous system (scipy.signal.cont2discrete semantics).",
        discussion: "Prints the discrete system JSON (keys A, B, C, D, dt).\nExample: sslab c2d motor.json --dt 0.01 --method zoh")

    @Argument(help: "Continuous system JSON (no dt).") var system: String
    @Option(parsing: .unconditional, help: "Sample time in seconds (> 0).") var dt: Double
    @Option(help: "zoh | foh | impulse | bilinear | euler | backward-euler | gbt") var method: String = "zoh"
    @Option(parsing: .unconditional, help: "Weight α ∈ [0, 1] for --method gbt.") var alpha: Double?
    @OptionGroup var out: OutputOption

    func validate() throws { try checkSampleTime(dt) }

    func run() throws {
        let m = try discretizationMethod(method, alpha: alpha)
        guard case let .continuous(sys) = try loadSystem(system) else {
            throw CLIError("\(system): the system is already discrete (it has a \"dt\" key)")
        }
        let d = try sys.discretized(dt: dt, method: m)
        try out.emit(SystemFile.encode(.discrete(d)))
    }
}

struct D2C: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "d2c",
        abstract: "Recover the continuous system whose discretisation is the given system.",
        discussion: "Supported methods: zoh (matrix logarithm) and the gbt family.\nExample: sslab d2c plant_d.json --method bilinear")

    @Argument(help: "Discrete system JSON (with dt).") var system: String
    @Option(help: "zoh | bilinear | euler | backward-euler | gbt") var method: String = "zoh"
    @Option(parsing: .unconditional, help: "Weight α ∈ [0, 1] for --method gbt.") var alpha: Double?
    @OptionGroup var out: OutputOption

    func run() throws {
        let m = try discretizationMethod(method, alpha: alpha)
        guard case let .discrete(sys) = try loadSystem(system) else {
            throw CLIError("\(system): the system is continuous (no \"dt\" key); d2c needs a discrete one")
        }
        try out.emit(SystemFile.encode(.continuous(try sys.continuous(method: m))))
    }
}

struct Reduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reduce",
        abstract: "Balanced truncation of a stable system to a given order.",
        discussion: "Prints the reduced system JSON; the Hankel singular values and the H∞ error bound go to stderr.\nExample: sslab reduce big.json --order 4")

    @Argument(help: "System JSON (continuous or discrete, stable).") var system: String
    @Option(help: "Number of states to keep.") var order: Int
    @OptionGroup var out: OutputOption

    func run() throws {
        let text: String, bound: Double
        switch try loadSystem(system) {
        case let .continuous(s):
            let r = try s.balancedTruncation(order: order)
            text = SystemFile.encode(.continuous(r.system)); bound = r.errorBound
        case let .discrete(s):
            let r = try s.balancedTruncation(order: order)
            text = SystemFile.encode(.discrete(r.system)); bound = r.errorBound
        }
        try out.emit(text)
        FileHandle.standardError.write(Data("reduced to \(order) states; H∞ error bound 2·Σ tail σ = \(bound)\n".utf8))
    }
}

import Foundation
