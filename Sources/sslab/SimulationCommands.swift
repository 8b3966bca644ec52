// SimulationCommands.swift — simulate, impulse, step, kernel.

import ArgumentParser
import Foundation
import StateSpaceLab

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a discrete system over an input signal.",
        discussion: """
        Input CSV: a header row and one column per input (a `k`, `t` or `time` column is ignored;
        when the system names its inputs, columns of those names are used). Output CSV: k, t, y1…yp.
        Modes: recurrent (state recursion), modal (diagonal recursion), convolution (direct),
        fft (FFT convolution) — all compute the same outputs.
        Example: sslab simulate plant.json --input u.csv --x0 0,1 --mode fft -o y.csv
        """)

    @Argument(help: "System JSON (discrete, or continuous with --dt).") var system: String
    @Option(help: "Input signal CSV.") var input: String
    @Option(parsing: .unconditional, help: "Initial state, comma-separated (default zero).") var x0: NumberList?
    @Option(help: "recurrent | modal | convolution | fft") var mode: SimulationMode = .recurrent
    @Option(parsing: .unconditional, help: "Discretise a continuous system with this sample time (zoh).") var dt: Double?
    @OptionGroup var out: OutputOption

    func run() throws {
        let sys = try loadDiscrete(system, dt: dt, command: "simulate")
        let u = try readInputSignal(input, system: sys)
        let r = try sys.simulate(u, x0: x0?.values, mode: mode)
        let p = sys.outputCount
        let header = ["k", "t"] + (0..<p).map { "y\($0 + 1)" }
        try out.emit(csvText(header: header, rows: r.outputs.rows) { row, col in
            switch col {
            case 0: return "\(row)"
            case 1: return num(Double(row) * sys.dt)
            default: return num(r.outputs[row, col - 2])
            }
        })
    }
}

/// Reads the input CSV for `sys`: columns named like the system's inputs if it names them, else
/// every column except a leading time index.
func readInputSignal(_ path: String, system sys: DiscreteLTI) throws -> Matrix {
    let table = try SignalTable.read(URL(fileURLWithPath: path), textColumns: [])
    let timeColumns: Set<String> = ["k", "t", "time"]
    if let names = sys.labels.inputs, names.allSatisfy({ table.channelNames.contains($0) }) {
        return try table.channels(names)
    }
    let names = table.channelNames.filter { !timeColumns.contains($0) }
    guard names.count == sys.inputCount else {
        throw CLIError("\(path): \(names.count) input column(s) (\(names.joined(separator: ", "))), the system has \(sys.inputCount) input(s)")
    }
    return try table.channels(names)
}

/// impulse / step / kernel share their output: one column y<o>_u<i> per pair, row k = step k.
func kernelCSV(_ k: Kernel) -> String {
    let header = pairNames(outputs: k.outputs, inputs: k.inputs)
    let pm = k.outputs * k.inputs
    return csvText(header: header, rows: k.length) { row, col in num(k.values[row * pm + col]) }
}

func checkSteps(_ n: Int, flag: String) throws {
    guard n >= 0 else { throw CLIError("--\(flag) must be ≥ 0, got \(n)") }
}

/// Options shared by `impulse` and `step`.
struct ResponseOptions: ParsableArguments {
    @Argument(help: "System JSON (discrete, or continuous with --dt).") var system: String
    @Option(help: "Number of steps.") var steps: Int
    @Option(parsing: .unconditional, help: "Discretise a continuous system with this sample time (zoh).") var dt: Double?
    @OptionGroup var out: OutputOption

    /// Loads the system, computes `response` and writes it as a kernel CSV.
    func emit(_ command: String, _ response: (DiscreteLTI, Int) throws -> Kernel) throws {
        try checkSteps(steps, flag: "steps")
        try out.emit(kernelCSV(try response(try loadDiscrete(system, dt: dt, command: command), steps)))
    }
}

struct Impulse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Impulse response (impulse at k = 0, as scipy.signal.dimpulse).",
        discussion: "Output CSV: one column y<o>_u<i> per output/input pair; row k is step k.\nExample: sslab impulse plant.json --steps 50")
    @OptionGroup var options: ResponseOptions
    func run() throws { try options.emit("impulse") { try $0.impulseResponse(steps: $1) } }
}

struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step response (unit step from k = 0, as scipy.signal.dstep).",
        discussion: "Output CSV: one column y<o>_u<i> per output/input pair; row k is step k.\nExample: sslab step plant.json --steps 50")
    @OptionGroup var options: ResponseOptions
    func run() throws { try options.emit("step") { try $0.stepResponse(steps: $1) } }
}

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Convolution kernel h[0] = D, h[k] = C A^(k-1) B.",
        discussion: """
        Methods: power (repeated products), doubling (O(log L) matrix products), diagonal
        (eigendecomposition + Vandermonde GEMM; falls back to doubling when A is defective,
        noted on stderr). Output as for `impulse`.
        Example: sslab kernel plant.json --length 4096 --method diagonal
        """)
    @Argument(help: "System JSON (discrete, or continuous with --dt).") var system: String
    @Option(help: "Number of taps.") var length: Int
    @Option(help: "power | doubling | diagonal") var method: KernelMethod = .diagonal
    @Option(parsing: .unconditional, help: "Discretise a continuous system with this sample time (zoh).") var dt: Double?
    @OptionGroup var out: OutputOption

    func run() throws {
        try checkSteps(length, flag: "length")
        let k = try loadDiscrete(system, dt: dt, command: "kernel").kernel(length: length, method: method)
        if k.method != method {
            FileHandle.standardError.write(Data("sslab: note: A is not well diagonalisable; used the \(k.method.rawValue) method\n".utf8))
        }
        try out.emit(kernelCSV(k))
    }
}

extension SimulationMode: ExpressibleByArgument {}
extension KernelMethod: ExpressibleByArgument {}
