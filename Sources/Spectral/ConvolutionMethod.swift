// ConvolutionMethod.swift — how a causal convolution is computed, and the cost model behind `.auto`.
//
// All methods compute the same thing, the first L samples of the linear convolution
//   y[t] = Σ_{j=0}^{min(t, K−1)} k[j] x[t−j],   t = 0..<L,
// and agree to rounding (tests pin direct == fft == overlapSave). Kernel taps at j ≥ L never
// reach an output, so every method uses only K' = min(K, L) taps.

import Numerics

/// The algorithm used for a causal convolution.
public enum ConvolutionMethod: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The defining sum, O(L·K'). The reference every other method is tested against; fastest
    /// for short kernels.
    case direct
    /// One FFT of a fast length n ≥ L + K' − 1 (zero padding, so no circular wrap-around):
    /// O(n log n).
    case fft
    /// Overlap-save: blocks of a fast FFT length N (a few times K'), each producing N − K' + 1
    /// outputs, with the kernel transformed once; O(L log N) for long signals and short kernels.
    case overlapSave
    /// Picks among the three by the operation-count model of `ConvolutionCostModel`.
    case auto

    public var description: String { rawValue }
}

/// The operation-count model `.auto` decides by, in nanoseconds on a 2-core Zen 2 (AVX2) with
/// FFTW 3.3.10: a direct multiply-add costs `directNanoseconds`, a real FFT of length n costs
/// `fftNanoseconds · n·log2(n)`, a spectrum product `productNanoseconds` per complex value.
/// The constants only rank the methods; a factor of two either way changes the choice only near
/// the crossover, where the methods cost about the same.
public struct ConvolutionCostModel: Sendable {
    public var directNanoseconds = 0.25
    public var fftNanoseconds = 0.2
    public var productNanoseconds = 1.0

    public init() {}

    /// Multiply-adds of the direct sum: Σ_{t<L} min(t + 1, K') = K'·L − K'(K' − 1)/2.
    public static func directMultiplyAdds(length L: Int, kernelLength K: Int) -> Double {
        let k = Double(min(K, L))
        return k * Double(L) - k * (k - 1) / 2
    }

    func fft(_ n: Int) -> Double {
        n <= 1 ? 1 : fftNanoseconds * Double(n) * Double.log2(Double(n))
    }

    /// Estimated time of one convolution graph (`inputs` signals, `kernels` kernels, `outputs`
    /// outputs, `terms` kernel–input products summed into the outputs) by `method` (not `.auto`).
    public func cost(_ method: ConvolutionMethod, length L: Int, kernelLength K: Int,
                     inputs: Int = 1, kernels: Int = 1, outputs: Int = 1, terms: Int = 1) -> Double {
        let k = min(K, L)
        guard L > 0, k > 0 else { return 0 }
        switch method {
        case .direct, .auto:
            return directNanoseconds * Double(terms) * ConvolutionCostModel.directMultiplyAdds(length: L, kernelLength: k)
        case .fft:
            let n = fastFFTLength(atLeast: L + k - 1)
            return Double(inputs + kernels + outputs) * fft(n) + productNanoseconds * Double(terms * (n / 2 + 1))
        case .overlapSave:
            let n = overlapSaveBlockLength(length: L, kernelLength: k, inputs: inputs, outputs: outputs, terms: terms)
            let blocks = (L + (n - k)) / (n - k + 1)
            return Double(kernels) * fft(n)
                + Double(blocks) * (Double(inputs + outputs) * fft(n) + productNanoseconds * Double(terms * (n / 2 + 1)))
        }
    }

    /// The cheapest concrete method for this shape.
    public func choose(length L: Int, kernelLength K: Int, inputs: Int = 1, kernels: Int = 1,
                       outputs: Int = 1, terms: Int = 1) -> ConvolutionMethod {
        let candidates: [ConvolutionMethod] = [.direct, .fft, .overlapSave]
        let costs = candidates.map { cost($0, length: L, kernelLength: K, inputs: inputs, kernels: kernels, outputs: outputs, terms: terms) }
        var best = 0
        for i in 1..<candidates.count where costs[i] < costs[best] { best = i }
        return candidates[best]
    }

    /// The overlap-save FFT length N for kernel length K' ≤ L: the power of two or three times a
    /// power of two in [2K', fast(L + K' − 1)] with the least estimated time per output sample
    /// (N − K' + 1 outputs per block). Never longer than the single-block length.
    public func overlapSaveBlockLength(length L: Int, kernelLength K: Int, inputs: Int = 1,
                                       outputs: Int = 1, terms: Int = 1) -> Int {
        let k = max(1, min(K, L))
        let single = fastFFTLength(atLeast: L + k - 1)
        var best = single
        var bestCost = Double.infinity
        var base = 1
        while base < 2 * k { base *= 2 }
        for n in [base / 2, base, 3 * base / 4, 3 * base / 2] where n >= 2 * k {
            var m = n
            while m < single {
                let blocks = (L + (m - k)) / (m - k + 1)
                let c = Double(blocks) * (Double(inputs + outputs) * fft(m) + productNanoseconds * Double(terms * (m / 2 + 1)))
                if c < bestCost { bestCost = c; best = m }
                m *= 2
            }
        }
        let singleCost = Double(inputs + outputs) * fft(single) + productNanoseconds * Double(terms * (single / 2 + 1))
        return singleCost <= bestCost ? single : best
    }
}

extension ConvolutionMethod {
    /// This method with `.auto` resolved by `ConvolutionCostModel()` for one signal and one kernel.
    public func resolved(length L: Int, kernelLength K: Int) -> ConvolutionMethod {
        self == .auto ? ConvolutionCostModel().choose(length: L, kernelLength: K) : self
    }
}
