// ConvolutionSimulation.swift — the CNN view of a discrete system:
//
//     y[k] = C A^k x[0] + Σ_{j=0}^{k} h[j] u[k−j],   h[0] = D, h[j] = C A^(j−1) B,
//
// the kernel convolved with the input (direct sum or FFT, through Spectral's MIMO
// convolution, which transforms each input and each kernel once) plus the free response of
// the initial state.

import LinearAlgebra
import Spectral

extension DiscreteLTI {
    /// Simulates by convolution with the L-tap kernel (diagonal method, doubling fallback).
    /// - Complexity: direct O(L² p m), fft O(p m L log L); plus O(L n²) for the free response
    ///   when x0 ≠ 0.
    func simulateByConvolution(_ u: Matrix, x0: [Double], useFFT: Bool) throws(StateSpaceError) -> SimulationResult {
        let steps = u.rows, p = outputCount, m = inputCount
        var y = x0.allSatisfy { $0 == 0 } ? Matrix(rows: steps, cols: p) : freeResponse(x0: x0, steps: steps)
        if steps > 0 && m > 0 && p > 0 {
            let h = try kernel(length: steps, method: .diagonal)
            let kernels = (0..<p).map { o in (0..<m).map { i in h.series(output: o, input: i) } }
            let inputs = (0..<m).map { u.column($0) }
            let forced = causalConvolveMIMO(kernels: kernels, inputs: inputs, method: useFFT ? .fft : .direct)
            for o in 0..<p { for k in 0..<steps { y[k, o] += forced[o][k] } }
        }
        return SimulationResult(outputs: y, finalState: nil)
    }
}
