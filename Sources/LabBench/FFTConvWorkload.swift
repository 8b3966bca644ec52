// FFTConvWorkload.swift — the peers' `fft_conv` workload (README section c):
//   x = U(11, C·L) (C, L), k = U(13, C·L) · exp(−t / (L/8)) (same decay for every channel),
//   y[c, t] = Σ_{j ≤ t} k[c, j] x[c, t − j], t < L. Timed: (x, k) → y including the kernel's FFT;
//   plans (FFTW_MEASURE) are made before timing, as for the peers' FFTW reference.
// Peers: `sslab:fft` (Spectral's CausalConvolver / BatchedCausalConvolver), `sslab:direct`
// (the O(L²) defining sum, L ≤ 2^16 like numpy.convolve in the peers).

import Foundation
import Reports
import Spectral

public enum FFTConvWorkload {
    static func data(channels c: Int, length l: Int) -> (x: [Double], k: [Double]) {
        let x = PeerData.uniform(11, c * l)
        var k = PeerData.uniform(13, c * l)
        let tau = Double(l) / 8
        for ch in 0..<c { for t in 0..<l { k[ch * l + t] *= Foundation.exp(-Double(t) / tau) } }
        return (x, k)
    }

    public static func run(_ opts: BenchOptions, directMaxLength: Int = 1 << 16, emit: (JSONValue) -> Void) throws {
        let cases = opts.fftL.map { (1, $0) } + opts.fftBatch
        for (c, l) in cases {
            let (x, k) = data(channels: c, length: l)
            let params: [(String, JSONValue)] = [("channels", .integer(c)), ("L", .integer(l)), ("kernel_len", .integer(l)),
                                                 ("dtype", "float64"), ("mode", "causal, output[:L] of full linear convolution")]
            var y = [Double](repeating: 0, count: c * l)
            var reference: [Double]? = nil
            if opts.wants("sslab:fft") {
                let t: Timing
                if c == 1 {
                    let conv = CausalConvolver(length: l, rigor: .measure)
                    t = x.withUnsafeBufferPointer { xs in k.withUnsafeBufferPointer { ks in y.withUnsafeMutableBufferPointer { ys in
                        measure(opts.policy) { conv.convolve(xs, kernel: ks, into: ys) }
                    } } }
                } else {
                    let conv = BatchedCausalConvolver<Double>(batch: 1, channels: c, length: l, rigor: .measure)
                    t = measure(opts.policy) { y = conv.forward(x, kernels: k) }
                }
                reference = y
                emit(BenchRecord(workload: "fft_conv", params: params, peer: "sslab:fft", timing: t, units: Double(c * l),
                                 unit: "samples/s", extra: [("checksum", .number(y.reduce(0, +))), ("rigor", "FFTW_MEASURE")]).json)
            }
            if opts.wants("sslab:direct") && l <= directMaxLength {
                let t = measure(opts.policy) {
                    y = causalConvolve(channels: x, channelCount: c, kernels: .perChannel(k, kernelLength: l), method: .direct)
                }
                var extra: [(String, JSONValue)] = [("checksum", .number(y.reduce(0, +)))]
                if let r = reference { extra.append(("rel_err_vs_sslab:fft", .number(relErr(y, r)))) }
                emit(BenchRecord(workload: "fft_conv", params: params, peer: "sslab:direct", timing: t, units: Double(c * l),
                                 unit: "samples/s", extra: extra).json)
            }
        }
    }
}
