// SSMKernelCommand.swift — `sslab ssm-kernel`: the convolution kernels an S4D initialisation
// makes (S4D-LegS, -Lin, -Inv), through the S4D layer's public API.

import ArgumentParser
import Foundation
import Numerics
import StateSpaceLab

extension S4DInitialization: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "legs": self = .legS
        case "lin": self = .lin
        case "inv": self = .inv
        default: return nil
        }
    }
    /// The name used on the command line.
    var argumentName: String { self == .legS ? "legs" : rawValue }
    var title: String { self == .legS ? "S4D-LegS" : self == .lin ? "S4D-Lin" : "S4D-Inv" }
}

extension SSMDiscretization: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "zoh": self = .zeroOrderHold
        case "bilinear": self = .bilinear
        default: return nil
        }
    }
}

enum SSMKernelView: String, ExpressibleByArgument, CaseIterable {
    case kernel, basis, modes
}

struct SSMKernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssm-kernel",
        abstract: "Kernels of an S4D layer at initialisation: legs | lin | inv, state size N, step Δ, length L.",
        discussion: """
        The layer is built with every default of the S4D paper except the step: Δ = --dt on every \
        channel (not log-uniform), so the kernels depend only on the flags and --seed (which draws C).
        Views:
          kernel  K[l] = 2 Re Σ_n C_n B̄_n Ā_n^l (without D) per channel: CSV k, K1…KH
          basis   the basis kernel of each mode, 2 Re(B̄_n Ā_n^l) (C = 1): CSV k, mode0…
          modes   per mode n: Re A, Im A, |Ā|, the angle of Ā per step, and the steps until |Ā|^l < 1e-3
        With --output FILE.svg, kernel and basis are drawn as a line plot instead.
        Example: sslab ssm-kernel --init legs --state-size 64 --dt 0.01 --length 1000 -o legs.svg
        """)
    @Option(name: .customLong("init"), help: "legs | lin | inv") var initialization: S4DInitialization = .legS
    @Option(help: "N, the state size (even; N/2 complex modes).") var stateSize: Int = 64
    @Option(parsing: .unconditional, help: "The step Δ (> 0).") var dt: Double = 0.01
    @Option(help: "Number of kernel taps L.") var length: Int = 1000
    @Option(help: "zoh | bilinear") var discretization: SSMDiscretization = .zeroOrderHold
    @Option(help: "kernel | basis | modes") var show: SSMKernelView = .kernel
    @Option(help: "Channels H (view kernel): one kernel per channel, each with its own C.") var channels: Int = 1
    @Option(help: "Modes to show (views basis and modes): the first M.") var maxModes: Int?
    @Flag(help: "Use B̃ = V*B (HiPPO-LegS's B in the eigenbasis, each eigenvector's phase fixed so that B̃ₙ > 0) instead of B = 1 (legs only).") var hippoInput = false
    @Option(help: "Seed of C (view kernel).") var seed: UInt64 = 0
    @Option(help: "Table format of the modes view: md | csv | json | latex") var format: OutputFormat = .csv
    @OptionGroup var out: OutputOption

    func validate() throws {
        guard stateSize >= 2, stateSize % 2 == 0, stateSize <= 4096 else { throw ValidationError("--state-size must be even and in 2…4096, got \(stateSize)") }
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be a positive finite number, got \(dt)") }
        guard length >= 1, length <= 10_000_000 else { throw ValidationError("--length must be in 1…1e7, got \(length)") }
        guard channels >= 1, channels <= 1024 else { throw ValidationError("--channels must be in 1…1024, got \(channels)") }
        if let m = maxModes, m < 1 { throw ValidationError("--max-modes must be ≥ 1, got \(m)") }
        if hippoInput && initialization != .legS { throw ValidationError("--hippo-input applies only to --init legs") }
        if format != .csv && show != .modes { throw ValidationError("--format applies only to --show modes (kernels are CSV or, with -o FILE.svg, a plot)") }
        if show == .modes && (out.output ?? "").lowercased().hasSuffix(".svg") { throw ValidationError("--show modes prints a table; an .svg output is for kernel and basis") }
    }

    func run() throws {
        let config = S4DConfiguration(channels: show == .kernel ? channels : 1, stateSize: stateSize, initialization: initialization,
                                      discretization: discretization, dtMin: dt, dtMax: dt, learnableInput: hippoInput)
        var rng = SplitMix64(seed: seed)
        let layer: S4D<Double>
        do { layer = try S4D<Double>(configuration: config, using: &rng) } catch { throw CLIError("ssm-kernel: \(error)") }
        let system = layer.discreteSystem()
        let modes = min(maxModes ?? config.modes, config.modes)
        let name = "\(initialization.title) (N = \(stateSize), Δ = \(dt)\(discretization == .bilinear ? ", bilinear" : ""))"
        switch show {
        case .modes:
            try out.emit(try modeTable(system, modes: modes, caption: "Modes of \(name)").rendered(format.table))
        case .kernel:
            // With --hippo-input the layer's B̃ carries the arbitrary phases of LAPACK's
            // eigenvectors; the kernel is recomputed with those phases fixed (see canonicalInput).
            let k = hippoInput
                ? VandermondeKernel(channels: config.channels, modes: config.modes, eigenvalues: system.aBar,
                                    weights: zip(system.c, canonicalInput(system)).map { $0 * $1 }).kernel(length: length)
                : layer.kernel(length: length)   // (H, L)
            try emitCurves(header: (1...config.channels).map { "K\($0)" }, values: k, count: config.channels,
                           title: "\(name): kernel", yLabel: "K[k]")
        case .basis:
            let basis = VandermondeKernel(channels: modes, modes: 1, eigenvalues: Array(system.aBar.prefix(modes)),
                                          weights: Array(canonicalInput(system).prefix(modes))).kernel(length: length)   // (M, L)
            try emitCurves(header: (0..<modes).map { "mode\($0)" }, values: basis, count: modes,
                           title: "\(name): basis kernels 2 Re(B̄ₙ Āₙᵏ)", yLabel: "basis kernel")
        }
    }

    /// B̄ per mode with the phase of each eigenvector fixed so that B̃ₙ = vₙ*B is real and ≥ 0.
    /// An eigenvector is defined only up to a factor e^{iφ}, and LAPACK's choice can change with
    /// the BLAS kernel; multiplying by conj(B̃ₙ)/|B̃ₙ| picks the one reproducible choice. With
    /// B = 1 (every init but `--hippo-input`) nothing changes.
    func canonicalInput(_ s: S4DDiscreteSystem) -> [Complex<Double>] {
        zip(s.bBar, s.b).map { bBar, b in
            let r = b.length
            return r > 0 ? bBar * Complex(b.real / r, -b.imaginary / r) : bBar
        }
    }

    /// Row-major (count, L) curves as CSV `k, header…`, or as a line plot for an .svg output.
    func emitCurves(header: [String], values: [Double], count: Int, title: String, yLabel: String) throws {
        if let o = out.output, o.lowercased().hasSuffix(".svg") {
            let xs = (0..<length).map(Double.init)
            let series = (0..<count).map { c in Series(header[c], x: xs, y: Array(values[(c * length)..<((c + 1) * length)])) }
            try LinePlot(title: title, xAxis: .linear("k"), yAxis: .linear(yLabel), series: series,
                         legend: count > 1 && count <= 12 ? .automatic : .hidden).write(to: o)
            return
        }
        try out.emit(csvText(header: ["k"] + header, rows: length) { row, col in
            col == 0 ? "\(row)" : num(values[(col - 1) * length + row])
        })
    }

    /// Per mode of channel 1: A, |Ā|, arg Ā and the steps until |Ā|^l falls below 1e-3.
    func modeTable(_ s: S4DDiscreteSystem, modes: Int, caption: String) throws -> Table {
        let columns: [TableColumn] = [.integer("n"), .number("re_A", significantDigits: 4), .number("im_A", significantDigits: 5),
                                      .number("abs_Abar", significantDigits: 6), .number("angle_per_step", significantDigits: 4),
                                      .integer("steps_to_1e-3")]
        let rows: [[TableValue]] = (0..<modes).map { n in
            let z = s.aBar[n]
            let r = z.length
            let steps: TableValue = r < 1 ? .integer(Int((Foundation.log(1e-3) / Foundation.log(r)).rounded(.up))) : .missing
            return [.integer(n), .number(s.a[n].real), .number(s.a[n].imaginary), .number(r),
                    .number(Foundation.atan2(z.imaginary, z.real)), steps]
        }
        return try Table(columns: columns, rows: rows, caption: caption,
                         footnote: "Ā = exp(ΔA) (zoh) or (1 + ΔA/2)/(1 − ΔA/2) (bilinear); |Ā|^l < 1e-3 after the last column's number of steps.")
    }
}
