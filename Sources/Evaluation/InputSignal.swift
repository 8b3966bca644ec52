// InputSignal.swift — excitation signals for system-identification experiments.
//
// Every signal is drawn from a `SplitMix64` passed in, one channel after another, so the same
// seed gives the same matrix. Channels are independent realisations.

import LinearAlgebra
import Numerics

/// An excitation signal design. `generate` returns a time-major `(length, channels)` matrix.
public enum InputSignal: Sendable, Equatable {
    /// Random-phase multisine with period N and harmonics k = kMin…kMax (k ≤ N/2):
    ///     u[t] = s · Σ_k cos(2π k t / N + φ_k),   φ_k ~ U[0, 2π),
    /// with s = rms / √(K/2) (K harmonics), so that the RMS over one period is `rms`.
    case multisine(period: Int, minHarmonic: Int, maxHarmonic: Int, rms: Double)
    /// Pseudo-random binary sequence from a maximum-length linear-feedback shift register of
    /// `order` n (period 2ⁿ − 1, 2 ≤ n ≤ 20), each bit held for `hold` samples, levels ±amplitude.
    /// The register starts from a random non-zero state.
    case prbs(order: Int, hold: Int, amplitude: Double)
    /// White Gaussian noise through a 2nd-order Butterworth low-pass (`cutoff` as a fraction of
    /// Nyquist), after discarding 200 samples of filter transient, rescaled to sample std `std`.
    case filteredNoise(cutoff: Double, std: Double)
    /// Random steps: levels drawn from U[low, high), each held for a uniform random number of
    /// samples in minHold…maxHold.
    case steps(low: Double, high: Double, minHold: Int, maxHold: Int)

    /// The default design: a multisine of period 1024 over harmonics 1…100, RMS 1.
    public static let standard = InputSignal.multisine(period: 1024, minHarmonic: 1, maxHarmonic: 100, rms: 1)

    /// Feedback taps (1-based register positions) of maximal-length LFSRs, orders 2…20.
    static let lfsrTaps: [Int: [Int]] = [
        2: [2, 1], 3: [3, 2], 4: [4, 3], 5: [5, 3], 6: [6, 5], 7: [7, 6], 8: [8, 6, 5, 4], 9: [9, 5],
        10: [10, 7], 11: [11, 9], 12: [12, 11, 10, 4], 13: [13, 12, 11, 8], 14: [14, 13, 12, 2],
        15: [15, 14], 16: [16, 15, 13, 4], 17: [17, 14], 18: [18, 11], 19: [19, 18, 17, 14], 20: [20, 17],
    ]

    /// Checks the design's parameters; nil when valid, else the reason.
    public var invalidReason: String? {
        switch self {
        case let .multisine(period, lo, hi, rms):
            if period < 2 { return "multisine period must be ≥ 2" }
            if lo < 1 || hi < lo || hi > period / 2 { return "multisine harmonics must satisfy 1 ≤ min ≤ max ≤ period/2" }
            if !(rms > 0 && rms.isFinite) { return "multisine rms must be positive" }
        case let .prbs(order, hold, amplitude):
            if InputSignal.lfsrTaps[order] == nil { return "PRBS order must lie in 2…20" }
            if hold < 1 { return "PRBS hold must be ≥ 1" }
            if !(amplitude > 0 && amplitude.isFinite) { return "PRBS amplitude must be positive" }
        case let .filteredNoise(cutoff, std):
            if !(cutoff > 0 && cutoff < 1) { return "noise cutoff must lie in (0, 1) of Nyquist" }
            if !(std > 0 && std.isFinite) { return "noise std must be positive" }
        case let .steps(low, high, minHold, maxHold):
            if !(low.isFinite && high.isFinite && low < high) { return "step levels need low < high" }
            if minHold < 1 || maxHold < minHold { return "step holds need 1 ≤ min_hold ≤ max_hold" }
        }
        return nil
    }

    /// `(length, channels)` samples of this design.
    /// - Complexity: O(length · channels) (multisine: O(length · channels · K)).
    public func generate(length: Int, channels: Int = 1, rng: inout SplitMix64) -> Matrix {
        precondition(invalidReason == nil, invalidReason ?? "") // invariant: validated by the parser
        precondition(length >= 0 && channels >= 1, "length ≥ 0 and channels ≥ 1") // invariant: programmer misuse
        var m = Matrix(rows: length, cols: channels)
        for c in 0..<channels {
            let column = oneChannel(length, &rng)
            for t in 0..<length { m.elements[t * channels + c] = column[t] }
        }
        return m
    }

    private func oneChannel(_ length: Int, _ rng: inout SplitMix64) -> [Double] {
        switch self {
        case let .multisine(period, lo, hi, rms):
            let k = hi - lo + 1
            let scale = rms / (Double(k) / 2).squareRoot()
            let phases = (lo...hi).map { _ in rng.uniform(0, 2 * Double.pi) }
            return (0..<length).map { t in
                var s = 0.0
                for (i, h) in (lo...hi).enumerated() {
                    s += Double.cos(2 * Double.pi * Double(h * (t % period)) / Double(period) + phases[i])
                }
                return scale * s
            }
        case let .prbs(order, hold, amplitude):
            let taps = InputSignal.lfsrTaps[order]!
            var state = UInt32(1 + rng.next() % UInt64((1 << order) - 1))
            var out: [Double] = []
            out.reserveCapacity(length)
            while out.count < length {
                let bit = state & 1
                for _ in 0..<hold where out.count < length { out.append(bit == 1 ? amplitude : -amplitude) }
                state = InputSignal.lfsrStep(state, order: order, taps: taps)
            }
            return out
        case let .filteredNoise(cutoff, std):
            let burn = 200
            let raw = rng.normals(length + burn)
            let y = Array(DigitalFilter.butterworthLowpass2(cutoff: cutoff).apply(raw).dropFirst(burn))
            guard !y.isEmpty else { return [] }
            let mean = y.reduce(0, +) / Double(y.count)
            let sd = (y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)).squareRoot()
            return y.map { sd > 0 ? ($0 - mean) * std / sd : 0 }
        case let .steps(low, high, minHold, maxHold):
            var out: [Double] = []
            out.reserveCapacity(length)
            while out.count < length {
                let level = rng.uniform(low, high)
                let hold = minHold + Int(rng.next() % UInt64(maxHold - minHold + 1))
                for _ in 0..<hold where out.count < length { out.append(level) }
            }
            return out
        }
    }

    /// One step of a Fibonacci LFSR: the new bit is the XOR of the tapped positions (position p
    /// is bit n − p of the state), shifted in at the top.
    static func lfsrStep(_ state: UInt32, order n: Int, taps: [Int]) -> UInt32 {
        var bit: UInt32 = 0
        for p in taps { bit ^= (state >> UInt32(n - p)) & 1 }
        return (state >> 1) | (bit << UInt32(n - 1))
    }

    /// The period of the register of `order` from state 1 (2ⁿ − 1 for a maximal-length LFSR).
    public static func prbsPeriod(order: Int) -> Int? {
        guard let taps = lfsrTaps[order] else { return nil }
        var s: UInt32 = 1, n = 0
        repeat { s = lfsrStep(s, order: order, taps: taps); n += 1 } while s != 1 && n <= 1 << order
        return n
    }
}
