// GeneratorSpec.swift — the generators an experiment can name, and their options.
//
// In a `[[dataset]]` table, `generator = "<kind>"` selects a generator and the generator's
// options sit beside it as plain keys (`length = 5000`, `noise_std = 0.01`). Each option has a
// type, a default and a range, listed in `GeneratorKind.options` and docs/experiment-format.md.

/// A value constraint on a generator option.
public enum OptionConstraint: Sendable, Equatable {
    case none
    /// ≥ the bound.
    case atLeast(Double)
    /// > 0.
    case positive
    /// Strictly between 0 and 1.
    case openUnit
    /// An integer in lo…hi.
    case intRange(Int, Int)
    /// A number in (lo, hi].
    case leftOpen(Double, Double)
    /// One of the strings.
    case choices([String])

    /// Why `value` breaks the constraint, or nil.
    public func violation(_ value: ParameterValue) -> String? {
        switch self {
        case .none: return nil
        case let .atLeast(b): return (value.doubleValue ?? .nan) >= b ? nil : "must be ≥ \(b.formatted)"
        case .positive: return (value.doubleValue ?? .nan) > 0 ? nil : "must be > 0"
        case .openUnit: return (value.doubleValue ?? .nan) > 0 && (value.doubleValue ?? .nan) < 1 ? nil : "must lie strictly between 0 and 1"
        case let .intRange(lo, hi): return (lo...hi).contains(value.intValue ?? Int.min) ? nil : "must lie in \(lo)…\(hi)"
        case let .leftOpen(lo, hi):
            let v = value.doubleValue ?? .nan
            return v > lo && v <= hi ? nil : "must lie in (\(lo.formatted), \(hi)]"
        case let .choices(c): return c.contains(value.stringValue ?? "") ? nil : "must be one of: \(c.joined(separator: ", "))"
        }
    }
}

extension Double {
    /// Integers without a trailing ".0".
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

/// One option of a generator.
public struct GeneratorOption: Sendable, Equatable {
    public let key: String
    public let type: ParameterType
    /// nil when the default depends on other options (documented in `summary`).
    public let defaultValue: ParameterValue?
    public let constraint: OptionConstraint
    public let summary: String
}

/// What a generator produces.
public enum GeneratorFamily: String, Sendable {
    /// An input/output system (sysid tasks).
    case system
    /// A time series (forecast tasks).
    case series
    /// A long-range sequence task (sequence tasks).
    case sequenceTask
}

/// The generators an experiment can name.
public enum GeneratorKind: String, Sendable, CaseIterable {
    /// A random stable LTI system (provided by the StateSpace module; reserved here).
    case lti
    case wienerHammerstein = "wiener-hammerstein"
    case duffing
    case cascadedTanks = "cascaded-tanks"
    case mackeyGlass = "mackey-glass"
    case lorenz
    case adding
    case copyMemory = "copy-memory"
    case selectiveCopy = "selective-copy"
    case delayedRecall = "delayed-recall"

    public var family: GeneratorFamily {
        switch self {
        case .lti, .wienerHammerstein, .duffing, .cascadedTanks: return .system
        case .mackeyGlass, .lorenz: return .series
        case .adding, .copyMemory, .selectiveCopy, .delayedRecall: return .sequenceTask
        }
    }

    /// The tasks the generated data serves; the first is the default.
    public var tasks: [TaskKind] {
        switch family {
        case .system: return [.simulation, .prediction]
        case .series: return [.forecast]
        case .sequenceTask: return [.sequence]
        }
    }

    private static func opt(_ key: String, _ type: ParameterType, _ value: ParameterValue?, _ c: OptionConstraint,
                            _ summary: String) -> GeneratorOption {
        GeneratorOption(key: key, type: type, defaultValue: value, constraint: c, summary: summary)
    }

    /// Options shared by the input/output systems (length, excitation, measurement noise).
    /// `maxHarmonic` is the default top multisine harmonic: 100 of 1024 (band-limited, like the
    /// nonlinear benchmarks) for the nonlinear systems, 512 (the whole band) for `lti`, whose
    /// random poles may lie anywhere on the unit disc and must all be excited to be identifiable.
    static func systemOptions(amplitude: Double = 1, offset: Double = 0, maxHarmonic: Int = 100) -> [GeneratorOption] {
        [
            opt("length", .int, .int(2000), .atLeast(10), "number of samples"),
            opt("input_signal", .string, .string("multisine"), .choices(["multisine", "prbs", "filtered-noise", "steps"]), "excitation design"),
            opt("input_amplitude", .double, .double(amplitude), .positive, "multisine RMS, PRBS level, noise std, or step half-range"),
            opt("input_offset", .double, .double(offset), .none, "constant added to the excitation"),
            opt("input_period", .int, .int(1024), .atLeast(2), "multisine period in samples"),
            opt("input_max_harmonic", .int, .int(maxHarmonic), .atLeast(1), "highest multisine harmonic (≤ input_period / 2)"),
            opt("input_cutoff", .double, .double(0.2), .openUnit, "filtered-noise cutoff as a fraction of Nyquist"),
            opt("input_hold", .int, .int(10), .atLeast(1), "PRBS bit hold; shortest step hold (longest is 4×)"),
            opt("prbs_order", .int, .int(10), .intRange(2, 20), "PRBS shift-register order (period 2^n − 1)"),
            opt("noise_std", .double, .double(0), .atLeast(0), "std of white Gaussian noise added to the outputs"),
        ]
    }

    /// Every option of this generator with its default.
    public var options: [GeneratorOption] {
        let count = GeneratorKind.opt("count", .int, .int(1000), .atLeast(3), "number of example sequences")
        switch self {
        case .lti:
            return GeneratorKind.systemOptions(maxHarmonic: 512) + [
                GeneratorKind.opt("state_dim", .int, .int(4), .atLeast(1), "state dimension n"),
                GeneratorKind.opt("input_count", .int, .int(1), .atLeast(1), "number of inputs m"),
                GeneratorKind.opt("output_count", .int, .int(1), .atLeast(1), "number of outputs p"),
                GeneratorKind.opt("max_pole_radius", .double, .double(0.95), .openUnit, "largest pole modulus"),
                GeneratorKind.opt("max_pole_angle", .double, .double(Double.pi), .leftOpen(0, Double.pi),
                                  "largest pole angle in rad/sample (π: anywhere on the disc; small: slow, smooth dynamics)"),
            ]
        case .wienerHammerstein:
            return GeneratorKind.systemOptions() + [
                GeneratorKind.opt("nonlinearity", .string, .string("tanh"), .choices(["tanh", "cubic", "saturation", "dead-zone"]), "static nonlinearity f"),
                GeneratorKind.opt("nonlinearity_parameter", .double, nil, .none,
                                  "tanh gain (default 1), cubic coefficient (0.1), saturation limit (0.5) or dead-zone half-width (0.1)"),
            ]
        case .duffing:
            return GeneratorKind.systemOptions() + [
                GeneratorKind.opt("natural_frequency", .double, .double(1), .positive, "ω₀ in rad/s"),
                GeneratorKind.opt("damping", .double, .double(0.05), .atLeast(0), "damping ratio ζ"),
                GeneratorKind.opt("cubic_stiffness", .double, .double(1), .none, "α of the α·x³ term"),
                GeneratorKind.opt("sample_time", .double, .double(0.2), .positive, "sampling interval Ts"),
                GeneratorKind.opt("substeps", .int, .int(20), .atLeast(1), "RK4 steps per sample"),
            ]
        case .cascadedTanks:
            return GeneratorKind.systemOptions(amplitude: 1.5, offset: 4) + [
                GeneratorKind.opt("sample_time", .double, .double(4), .positive, "sampling interval Ts in seconds"),
                GeneratorKind.opt("substeps", .int, .int(10), .atLeast(1), "RK4 steps per sample"),
                GeneratorKind.opt("max_level", .double, .double(10), .positive, "overflow level x_max"),
            ]
        case .mackeyGlass:
            return [
                GeneratorKind.opt("length", .int, .int(2000), .atLeast(10), "number of samples"),
                GeneratorKind.opt("tau", .double, .double(17), .positive, "delay τ"),
                GeneratorKind.opt("sample_interval", .double, .double(1), .positive, "time between samples (a multiple of the step 0.1)"),
                GeneratorKind.opt("transient", .double, .double(1000), .atLeast(0), "time discarded before sampling"),
            ]
        case .lorenz:
            return [
                GeneratorKind.opt("length", .int, .int(2000), .atLeast(10), "number of samples"),
                GeneratorKind.opt("sample_interval", .double, .double(0.01), .positive, "time between samples (a multiple of the step 0.01)"),
                GeneratorKind.opt("transient", .double, .double(10), .atLeast(0), "time discarded before sampling"),
            ]
        case .adding:
            return [GeneratorKind.opt("length", .int, .int(100), .atLeast(2), "sequence length T"), count]
        case .copyMemory:
            return [
                GeneratorKind.opt("delay", .int, .int(100), .atLeast(1), "blank steps T between the symbols and the recall"),
                GeneratorKind.opt("symbols", .int, .int(10), .atLeast(1), "symbols to copy S"),
                GeneratorKind.opt("alphabet", .int, .int(8), .atLeast(1), "alphabet size A"), count,
            ]
        case .selectiveCopy:
            return [
                GeneratorKind.opt("length", .int, .int(256), .atLeast(1), "steps L holding the scattered symbols"),
                GeneratorKind.opt("symbols", .int, .int(16), .atLeast(1), "symbols to copy S (≤ length)"),
                GeneratorKind.opt("alphabet", .int, .int(16), .atLeast(1), "alphabet size A"), count,
            ]
        case .delayedRecall:
            return [
                GeneratorKind.opt("length", .int, .int(100), .atLeast(2), "sequence length T"),
                GeneratorKind.opt("delay", .int, .int(10), .atLeast(1), "recall delay d (< length)"),
                GeneratorKind.opt("alphabet", .int, .int(8), .atLeast(1), "alphabet size A"), count,
            ]
        }
    }
}

/// A generator with the options an experiment gave (others take their defaults).
public struct GeneratorSpec: Sendable, Equatable {
    public var kind: GeneratorKind
    /// Options given explicitly (already type- and range-checked by the parser).
    public var options: [String: ParameterValue]

    public init(kind: GeneratorKind, options: [String: ParameterValue] = [:]) {
        self.kind = kind
        self.options = options
    }

    /// The option's value: explicit, else its default.
    public func value(_ key: String) -> ParameterValue? {
        options[key] ?? kind.options.first { $0.key == key }?.defaultValue
    }

    public func int(_ key: String) -> Int {
        guard let v = value(key)?.intValue else { preconditionFailure("\(kind.rawValue) has no integer option '\(key)'") } // invariant: keys come from `options`
        return v
    }

    public func double(_ key: String) -> Double {
        guard let v = value(key)?.doubleValue else { preconditionFailure("\(kind.rawValue) has no numeric option '\(key)'") } // invariant: keys come from `options`
        return v
    }

    public func string(_ key: String) -> String {
        guard let v = value(key)?.stringValue else { preconditionFailure("\(kind.rawValue) has no string option '\(key)'") } // invariant: keys come from `options`
        return v
    }
}
