// GeneratorSpec+Build.swift — from generator options to generators and data.

import LinearAlgebra

extension GeneratorSpec {
    /// A check involving two options that fails, as (key to blame, reason); nil when consistent.
    public var inconsistency: (String, String)? {
        switch kind {
        case .lti, .wienerHammerstein, .duffing, .cascadedTanks:
            if string("input_signal") == "multisine" && int("input_max_harmonic") > int("input_period") / 2 {
                return ("input_max_harmonic", "must be ≤ input_period / 2 = \(int("input_period") / 2), found \(int("input_max_harmonic"))")
            }
        case .mackeyGlass:
            let sub = double("sample_interval") / 0.1
            if abs(sub - sub.rounded()) > 1e-9 { return ("sample_interval", "must be a multiple of the integration step 0.1") }
        case .lorenz:
            let sub = double("sample_interval") / 0.01
            if abs(sub - sub.rounded()) > 1e-9 { return ("sample_interval", "must be a multiple of the integration step 0.01") }
        case .selectiveCopy:
            if int("symbols") > int("length") { return ("symbols", "must be ≤ length = \(int("length")), found \(int("symbols"))") }
        case .delayedRecall:
            if int("delay") >= int("length") { return ("delay", "must be < length = \(int("length")), found \(int("delay"))") }
        case .adding, .copyMemory:
            break
        }
        return nil
    }

    /// The excitation of a system generator: `input_signal` with `input_amplitude` as its scale
    /// (steps: levels input_offset ± input_amplitude, holds input_hold…4·input_hold).
    public var inputSignal: InputSignal {
        precondition(kind.family == .system, "\(kind.rawValue) has no input signal") // invariant: programmer misuse
        let amplitude = double("input_amplitude")
        switch string("input_signal") {
        case "prbs": return .prbs(order: int("prbs_order"), hold: int("input_hold"), amplitude: amplitude)
        case "filtered-noise": return .filteredNoise(cutoff: double("input_cutoff"), std: amplitude)
        case "steps": return .steps(low: -amplitude, high: amplitude, minHold: int("input_hold"), maxHold: 4 * int("input_hold"))
        default: return .multisine(period: int("input_period"), minHarmonic: 1, maxHarmonic: int("input_max_harmonic"), rms: amplitude)
        }
    }

    /// The nonlinear system of a system generator; nil for `lti`, which `DatasetBuilder` gets
    /// from its `ltiFactory` (the StateSpace module).
    public func nonlinearSystem() -> (any SystemSimulator)? {
        switch kind {
        case .wienerHammerstein:
            let p = value("nonlinearity_parameter")?.doubleValue
            let f: StaticNonlinearity
            switch string("nonlinearity") {
            case "cubic": f = .cubic(p ?? 0.1)
            case "saturation": f = .saturation(limit: p ?? 0.5)
            case "dead-zone": f = .deadZone(width: p ?? 0.1)
            default: f = .tanh(gain: p ?? 1)
            }
            return WienerHammerstein(nonlinearity: f)
        case .duffing:
            return DuffingOscillator(naturalFrequency: double("natural_frequency"), damping: double("damping"),
                                     cubicStiffness: double("cubic_stiffness"), samplingInterval: double("sample_time"),
                                     substeps: int("substeps"))
        case .cascadedTanks:
            return CascadedTanks(maxLevel: double("max_level"), samplingInterval: double("sample_time"), substeps: int("substeps"))
        default:
            return nil
        }
    }

    /// The long-range task of a sequence-task generator (nil for the others).
    public var longRangeTask: LongRangeTask? {
        switch kind {
        case .adding: return .adding(length: int("length"))
        case .copyMemory: return .copyMemory(delay: int("delay"), symbols: int("symbols"), alphabet: int("alphabet"))
        case .selectiveCopy: return .selectiveCopy(length: int("length"), symbols: int("symbols"), alphabet: int("alphabet"))
        case .delayedRecall: return .delayedRecall(length: int("length"), delay: int("delay"), alphabet: int("alphabet"))
        default: return nil
        }
    }
}

/// Generated long-range examples split into train / validation / test.
public struct SequenceTaskData: Sendable {
    public var name: String
    public var task: LongRangeTask
    public var train: [SequenceExample]
    public var validation: [SequenceExample]
    public var test: [SequenceExample]
    /// Token classes (nil for the adding problem).
    public var classCount: Int?
}
