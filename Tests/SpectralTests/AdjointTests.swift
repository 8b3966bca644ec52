import LinearAlgebra
import Numerics
import Spectral
import TestSupport
import Testing

/// Reference adjoints, looping over the output index.
func referenceInputAdjoint(_ gy: [Double], _ k: [Double]) -> [Double] {
    let L = gy.count
    return (0..<L).map { t in
        var sum = 0.0
        for j in 0..<k.count where t + j < L { sum += k[j] * gy[t + j] }
        return sum
    }
}

func referenceKernelAdjoint(_ gy: [Double], _ x: [Double], kernelLength K: Int) -> [Double] {
    (0..<K).map { j in
        var sum = 0.0
        for t in 0..<gy.count where t >= j { sum += gy[t] * x[t - j] }
        return sum
    }
}

@Suite struct AdjointTests {
    @Test(arguments: convolutionShapes.indices)
    func adjointIdentities(index: Int) {
        // ⟨k * x, g⟩ = ⟨x, gx(g)⟩ = ⟨k, gk(g)⟩ for every method.
        let (L, K) = convolutionShapes[index]
        let x = uniforms(L, seed: UInt64(7000 + index)), k = uniforms(K, seed: UInt64(8000 + index))
        let g = uniforms(L, seed: UInt64(9000 + index))
        let y = causalConvolve(x, k, method: .direct)
        let lhs = dot(y, g)
        let referenceGx = referenceInputAdjoint(g, k), referenceGk = referenceKernelAdjoint(g, x, kernelLength: K)
        for method in ConvolutionMethod.allCases {
            let gx = causalConvolutionInputAdjoint(g, kernel: k, method: method)
            let gk = causalConvolutionKernelAdjoint(g, input: x, kernelLength: K, method: method)
            #expect(gx.count == L && gk.count == K)
            expectSignalsClose(gx, referenceGx, "input adjoint, \(method)")
            expectSignalsClose(gk, referenceGk, "kernel adjoint, \(method)")
            // The inner products sum L·K' terms of size ~1; scale the slack by that.
            let scale = max(1, Double(L) * Double(min(K, L)).squareRoot())
            expectClose(dot(x, gx), lhs, rtol: 1e-12, atol: 1e-12 * scale, "⟨x, gx⟩, \(method)")
            expectClose(dot(k, gk), lhs, rtol: 1e-12, atol: 1e-12 * scale, "⟨k, gk⟩, \(method)")
        }
    }

    @Test(arguments: [(2, 3, 60, 60), (1, 2, 40, 15), (3, 1, 25, 40), (2, 2, 1, 1)])
    func batchedBackwardDouble(batch B: Int, channels H: Int, length L: Int, kernelLength K: Int) {
        let x = uniforms(B * H * L, seed: 91), k = uniforms(H * K, seed: 92), g = uniforms(B * H * L, seed: 93)
        let engine = BatchedCausalConvolver<Double>(batch: B, channels: H, length: L, kernelLength: K)
        let y = engine.forward(x, kernels: k)
        let (gx, gk) = engine.backward(outputGradient: g)
        var referenceGx: [Double] = [], referenceGk = [Double](repeating: 0, count: H * K)
        for b in 0..<B {
            for h in 0..<H {
                let row = (b * H + h) * L
                let xs = Array(x[row ..< row + L]), gs = Array(g[row ..< row + L]), ks = Array(k[h * K ..< (h + 1) * K])
                referenceGx += referenceInputAdjoint(gs, ks)
                for (j, v) in referenceKernelAdjoint(gs, xs, kernelLength: K).enumerated() { referenceGk[h * K + j] += v }
            }
        }
        expectSignalsClose(gx, referenceGx)
        expectSignalsClose(gk, referenceGk)
        let scale = Double(B * H * L) * Double(min(K, L)).squareRoot()
        expectClose(dot(x, gx), dot(y, g), rtol: 1e-12, atol: 1e-12 * scale)
        expectClose(dot(k, gk), dot(y, g), rtol: 1e-12, atol: 1e-12 * scale)
        // backward can be repeated for the same forward.
        let (gx2, _) = engine.backward(outputGradient: g)
        expectSignalsClose(gx2, gx)
    }

    @Test func batchedBackwardFloat() {
        let B = 2, H = 3, L = 128
        let x = uniforms(B * H * L, seed: 94), k = uniforms(H * L, seed: 95), g = uniforms(B * H * L, seed: 96)
        let xf = x.map { Float($0) }, kf = k.map { Float($0) }, gf = g.map { Float($0) }
        let engine = BatchedCausalConvolver<Float>(batch: B, channels: H, length: L, rigor: .measure)
        _ = engine.forward(xf, kernels: kf)
        let (gx, gk) = engine.backward(outputGradient: gf)
        let double = BatchedCausalConvolver<Double>(batch: B, channels: H, length: L)
        _ = double.forward(xf.map { Double($0) }, kernels: kf.map { Double($0) })
        let (gxd, gkd) = double.backward(outputGradient: gf.map { Double($0) })
        // Float: ε ≈ 6e-8 times the FFT's log n growth relative to the signal norm (and gk sums B
        // rows); 1e-5 leaves headroom.
        expectSignalsClose(gx.map { Double($0) }, gxd, rtol: 1e-5)
        expectSignalsClose(gk.map { Double($0) }, gkd, rtol: 1e-5)
    }
}

@Suite struct ChunkedBatchTests {
    /// Forward and backward of a (B, H, L) engine against the one-shot FFT paths (themselves
    /// tested against the defining sums), for shapes that need several row chunks.
    func check<S: FFTScalar>(_ type: S.Type, batch B: Int, channels H: Int, length L: Int, rtol: Double) {
        let x = uniforms(B * H * L, seed: 101), k = uniforms(H * L, seed: 102), g = uniforms(B * H * L, seed: 103)
        let xs = x.map { S($0) }, ks = k.map { S($0) }, gs = g.map { S($0) }
        let engine = BatchedCausalConvolver<S>(batch: B, channels: H, length: L)
        #expect(engine.rowsPerChunk < B * H, "the shape should need several chunks")
        let inference = engine.convolve(xs, kernels: ks).map { Double($0) }
        let y = engine.forward(xs, kernels: ks).map { Double($0) }
        let (gx, gk) = engine.backward(outputGradient: gs)
        // References from the exact scalar values the engine saw.
        let xd = xs.map { Double($0) }, kd = ks.map { Double($0) }, gd = gs.map { Double($0) }
        var referenceY: [Double] = [], referenceGx: [Double] = [], referenceGk = [Double](repeating: 0, count: H * L)
        for b in 0..<B {
            for h in 0..<H {
                let row = (b * H + h) * L
                let xr = Array(xd[row ..< row + L]), gr = Array(gd[row ..< row + L]), kr = Array(kd[h * L ..< (h + 1) * L])
                referenceY += causalConvolve(xr, kr, method: .fft)
                referenceGx += causalConvolutionInputAdjoint(gr, kernel: kr, method: .fft)
                for (j, v) in causalConvolutionKernelAdjoint(gr, input: xr, kernelLength: L, method: .fft).enumerated() {
                    referenceGk[h * L + j] += v
                }
            }
        }
        expectSignalsClose(y, referenceY, rtol: rtol)
        expectSignalsClose(inference, referenceY, rtol: rtol)
        expectSignalsClose(gx.map { Double($0) }, referenceGx, rtol: rtol)
        expectSignalsClose(gk.map { Double($0) }, referenceGk, rtol: rtol)
    }

    @Test func doubleWithRemainderChunks() {
        check(Double.self, batch: 2, channels: 3, length: 2000, rtol: 1e-12)
    }

    @Test func singleBatchElementKeepsKernelSpectraInScratch() {
        // B = 1: `convolve` transforms each chunk's kernels into scratch, `forward` keeps them.
        check(Double.self, batch: 1, channels: 5, length: 2000, rtol: 1e-12)
    }

    @Test func floatWithOddHalfSpectrum() {
        // n = 4200, n/2 + 1 = 2101 is odd: chunks must start on 16-byte boundaries of the Float
        // spectra. Float tolerance: ε ≈ 6e-8 times the FFT's log n growth (n = 4200), and the
        // kernel gradient sums B rows; 2e-5 leaves headroom.
        check(Float.self, batch: 3, channels: 5, length: 2100, rtol: 2e-5)
    }
}
