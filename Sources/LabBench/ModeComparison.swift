// ModeComparison.swift — the lab's central demonstration: one discrete system run as an RNN
// (recurrent, modal) and as a CNN (direct convolution, FFT convolution) over inputs of growing
// length, with the time per mode and the deviation of each output from the recurrent one.

import LinearAlgebra
import StateSpace

/// One (mode, length) measurement.
public struct ModeComparisonRow: Sendable {
    public let mode: SimulationMode
    public let length: Int
    /// Median seconds per simulation (nil when skipped).
    public let seconds: Double?
    /// max_k,o |y_mode − y_recurrent| (nil when skipped).
    public let maxAbsDeviation: Double?
    /// maxAbsDeviation / max |y_recurrent|.
    public let relativeDeviation: Double?
    /// Why the case was skipped, if it was.
    public let note: String?
    public let runs: Int
}

public enum ModeComparison {
    /// Runs every mode on a seeded uniform input (U(−1, 1), one column per input) for each length.
    /// Direct convolution is O(L²): lengths above `maxDirectLength` skip it (noted in the row).
    /// Modal mode is skipped with a note when A is not (well) diagonalisable.
    public static func run(_ system: DiscreteLTI, lengths: [Int], x0: [Double]? = nil, seed: UInt64 = 1,
                           maxDirectLength: Int = 20_000, policy: TimingPolicy = .quick) throws -> [ModeComparisonRow] {
        var rows: [ModeComparisonRow] = []
        for length in lengths {
            var rng = SplitMix64(seed: seed)
            let u = Matrix.uniform(length, system.inputCount, using: &rng)
            var reference = Matrix(rows: 0, cols: 0)
            for mode in SimulationMode.allCases {
                if mode == .convolution && length > maxDirectLength {
                    rows.append(ModeComparisonRow(mode: mode, length: length, seconds: nil, maxAbsDeviation: nil, relativeDeviation: nil,
                                                  note: "skipped: direct convolution is O(L²) (length > \(maxDirectLength))", runs: 0))
                    continue
                }
                var y = Matrix(rows: 0, cols: 0)
                let timing: Timing
                do {
                    timing = try measure(policy) { y = try system.simulate(u, x0: x0, mode: mode).outputs }
                } catch let error as StateSpaceError {
                    rows.append(ModeComparisonRow(mode: mode, length: length, seconds: nil, maxAbsDeviation: nil, relativeDeviation: nil,
                                                  note: "skipped: \(error.description)", runs: 0))
                    continue
                }
                if mode == .recurrent { reference = y }
                var dev = 0.0, scale = 0.0
                for (a, b) in zip(y.elements, reference.elements) { dev = Swift.max(dev, Swift.abs(a - b)); scale = Swift.max(scale, Swift.abs(b)) }
                rows.append(ModeComparisonRow(mode: mode, length: length, seconds: timing.median, maxAbsDeviation: dev,
                                              relativeDeviation: scale > 0 ? dev / scale : dev, note: nil, runs: timing.runs))
            }
        }
        return rows
    }
}
