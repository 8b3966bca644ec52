// ConvolutionSimulation.swift — the CNN view: y = h * u + C A^k x0.

import LinearAlgebra

extension DiscreteLTI {
    /// y[k] = C A^k x0 + Σ_{j=0}^{k} h[j] u[k−j], with the kernel from the diagonal method
    /// (doubling fallback) and the convolution direct or through the FFT.
    func simulateByConvolution(_ u: Matrix, x0: [Double], useFFT: Bool) throws(StateSpaceError) -> SimulationResult {
        let steps = u.rows, p = outputCount, m = inputCount
        let h = try kernel(length: steps, method: .diagonal)
        var y = x0.allSatisfy { $0 == 0 } ? Matrix(rows: steps, cols: p) : freeResponse(x0: x0, steps: steps)
        // TEMPORARY direct sum until Spectral lands.
        for k in 0..<steps { for o in 0..<p { var s = 0.0
            for j in 0...k { for i in 0..<m { s += h[j, o, i] * u[k - j, i] } }
            y[k, o] += s } }
        _ = useFFT
        let finalState = DenseRecurrence(self).run(u, x0: x0).finalState
        return SimulationResult(outputs: y, finalState: finalState)
    }
}
