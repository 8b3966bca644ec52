import LinearAlgebra
import Numerics
import Spectral
import TestSupport
import Testing

/// (L, K) pairs: K < L, K = L, K > L, K = 1, L = 1, and the empty cases.
let convolutionShapes: [(Int, Int)] = [
    (0, 0), (0, 5), (5, 0), (1, 1), (1, 7), (7, 1), (13, 13), (64, 3), (100, 37), (37, 100),
    (257, 256), (1000, 10), (3001, 129), (2048, 2048),
]

@Suite struct CausalConvolutionTests {
    @Test func knownValues() {
        // numpy.convolve([1, 2, 3], [1, 1])[:3] = [1, 3, 5]
        for method in ConvolutionMethod.allCases {
            expectSignalsClose(causalConvolve([1, 2, 3], [1, 1], method: method), [1, 3, 5], "\(method)")
        }
    }

    @Test(arguments: convolutionShapes.indices)
    func methodsAgreeWithDefiningSum(index: Int) {
        let (L, K) = convolutionShapes[index]
        let x = uniforms(L, seed: UInt64(1000 + index)), k = uniforms(K, seed: UInt64(2000 + index))
        let reference = referenceCausalConvolution(x, k)
        for method in ConvolutionMethod.allCases {
            let y = causalConvolve(x, k, method: method)
            #expect(y.count == L)
            expectSignalsClose(y, reference, "L \(L), K \(K), \(method)")
        }
    }

    @Test(arguments: [1, 2, 5, 16, 31, 100, 4096])
    func overlapSaveBlockLengths(blockLength: Int) {
        // Every block length ≥ K' gives the same result, including one-output blocks (N = K').
        let x = uniforms(500, seed: 31), k = uniforms(min(blockLength, 17), seed: 32)
        expectSignalsClose(causalConvolveOverlapSave(x, k, blockLength: max(blockLength, k.count)),
                           referenceCausalConvolution(x, k))
    }

    @Test func autoPicksByCost() {
        #expect(ConvolutionMethod.auto.resolved(length: 1000, kernelLength: 4) == .direct)
        #expect(ConvolutionMethod.auto.resolved(length: 1 << 16, kernelLength: 1 << 16) == .fft)
        #expect(ConvolutionMethod.auto.resolved(length: 1 << 20, kernelLength: 1000) == .overlapSave)
        let model = ConvolutionCostModel()
        #expect(model.overlapSaveBlockLength(length: 1 << 20, kernelLength: 1000) >= 2000)
    }

    @Test func pointerAPIWritesIntoCallerBuffer() {
        let x = uniforms(300, seed: 33), k = uniforms(40, seed: 34)
        var y = [Double](repeating: .nan, count: 300)
        x.withUnsafeBufferPointer { xs in
            k.withUnsafeBufferPointer { ks in y.withUnsafeMutableBufferPointer { causalConvolve(xs, ks, into: $0, method: .fft) } }
        }
        expectSignalsClose(y, referenceCausalConvolution(x, k))
    }
}

@Suite struct BatchedAndMIMOConvolutionTests {
    @Test(arguments: [(3, 50, 7), (4, 200, 200), (2, 30, 45), (5, 1, 1), (3, 0, 4), (64, 128, 128)])
    func channelBatches(channels: Int, length L: Int, kernelLength K: Int) {
        let x = uniforms(channels * L, seed: 41), k = uniforms(channels * K, seed: 42)
        let shared = Array(k.prefix(K))
        var perChannelReference: [Double] = [], sharedReference: [Double] = []
        for c in 0..<channels {
            let xc = Array(x[c * L ..< (c + 1) * L])
            perChannelReference += referenceCausalConvolution(xc, Array(k[c * K ..< (c + 1) * K]))
            sharedReference += referenceCausalConvolution(xc, shared)
        }
        for method in ConvolutionMethod.allCases {
            expectSignalsClose(causalConvolve(channels: x, channelCount: channels, kernels: .perChannel(k, kernelLength: K), method: method),
                               perChannelReference, "per-channel \(method)")
            expectSignalsClose(causalConvolve(channels: x, channelCount: channels, kernels: .shared(shared), method: method),
                               sharedReference, "shared \(method)")
        }
    }

    @Test(arguments: [(2, 3, 100, 20), (1, 1, 40, 40), (3, 2, 17, 60), (4, 4, 1000, 64), (2, 2, 0, 3), (2, 1, 8, 0)])
    func mimoEqualsSumOfSingleChannels(outputs p: Int, inputs m: Int, length L: Int, kernelLength K: Int) {
        var rng = SplitMix64(seed: 51)
        let u = (0..<m).map { _ in rng.uniforms(L) }
        let h = (0..<p).map { _ in (0..<m).map { _ in rng.uniforms(K) } }
        let reference = (0..<p).map { o in
            (0..<m).reduce([Double](repeating: 0, count: L)) { acc, i in
                zip(acc, referenceCausalConvolution(u[i], h[o][i])).map { $0 + $1 }
            }
        }
        for method in ConvolutionMethod.allCases {
            let y = causalConvolveMIMO(kernels: h, inputs: u, method: method)
            #expect(y.count == p)
            for o in 0..<p { expectSignalsClose(y[o], reference[o], "output \(o), \(method)") }
        }
    }
}

@Suite struct ReusableConvolverTests {
    @Test(arguments: convolutionShapes.indices)
    func causalConvolverMatchesDirect(index: Int) {
        let (L, K) = convolutionShapes[index]
        let x = uniforms(L, seed: UInt64(3000 + index)), k = uniforms(K, seed: UInt64(4000 + index))
        let convolver = CausalConvolver(length: L, kernelLength: K)
        let reference = causalConvolve(x, k, method: .direct)
        expectSignalsClose(convolver.convolve(x, kernel: k), reference)
        // Reuse: a second call with other data must not see the first call's buffers.
        let x2 = uniforms(L, seed: UInt64(5000 + index)), k2 = uniforms(K, seed: UInt64(6000 + index))
        expectSignalsClose(convolver.convolve(x2, kernel: k2), causalConvolve(x2, k2, method: .direct))
    }

    @Test func measuredPlansGiveTheSameResult() {
        let x = uniforms(1000, seed: 61), k = uniforms(1000, seed: 62)
        let convolver = CausalConvolver(length: 1000, rigor: .measure)
        #expect(convolver.fftLength == 2000)   // 2^4·5^3, the smallest 7-smooth ≥ 1999
        expectSignalsClose(convolver.convolve(x, kernel: k), causalConvolve(x, k, method: .direct))
    }

    @Test(arguments: [(2, 3, 50, 50), (1, 4, 33, 10), (3, 1, 20, 31), (2, 2, 1, 1), (0, 2, 5, 5), (2, 2, 0, 3)])
    func batchedConvolverDouble(batch B: Int, channels H: Int, length L: Int, kernelLength K: Int) {
        let x = uniforms(B * H * L, seed: 71), k = uniforms(H * K, seed: 72)
        let engine = BatchedCausalConvolver<Double>(batch: B, channels: H, length: L, kernelLength: K)
        let y = engine.forward(x, kernels: k)
        var reference: [Double] = []
        for b in 0..<B {
            for h in 0..<H {
                let row = (b * H + h) * L
                reference += referenceCausalConvolution(Array(x[row ..< row + L]), Array(k[h * K ..< (h + 1) * K]))
            }
        }
        expectSignalsClose(y, reference)
        expectSignalsClose(engine.convolve(x, kernels: k), reference, "inference pass")
        // With B = 1 the engine is the per-channel batch; with H = 1 it is the shared-kernel batch.
        if B == 1 {
            expectSignalsClose(y, causalConvolve(channels: x, channelCount: H, kernels: .perChannel(k, kernelLength: K), method: .fft))
        }
    }

    @Test func batchedConvolverFloat() {
        // The S4D shape: (B, H, L) input, (H, L) kernels.
        let B = 3, H = 4, L = 200
        let x = uniforms(B * H * L, seed: 81), k = uniforms(H * L, seed: 82)
        let engine = BatchedCausalConvolver<Float>(batch: B, channels: H, length: L)
        let y = engine.forward(x.map { Float($0) }, kernels: k.map { Float($0) })
        let xd = x.map { Double(Float($0)) }, kd = k.map { Double(Float($0)) }   // the Float inputs, exactly
        let reference = causalConvolve(channels: xd, channelCount: B * H, kernels: .perChannel(Array((0..<B).map { _ in kd }.joined()), kernelLength: L), method: .direct)
        // Float: ε ≈ 6e-8 times the FFT's log n growth relative to the signal norm; 1e-5 leaves headroom.
        expectSignalsClose(y.map { Double($0) }, reference, rtol: 1e-5)
    }
}

@Suite struct ConcurrentConvolutionTests {
    @Test func oneShotCallsFromManyTasks() async {
        // One-shot calls share plans and pooled scratch; concurrent calls must not see each
        // other's buffers.
        let shapes = (0..<12).map { i in (200 + 37 * i, 20 + 11 * i) }
        let expected = shapes.enumerated().map { i, shape in
            causalConvolve(uniforms(shape.0, seed: UInt64(i)), uniforms(shape.1, seed: UInt64(100 + i)), method: .direct)
        }
        let results = await withTaskGroup(of: (Int, [Double], [Double]).self) { group in
            for (i, shape) in shapes.enumerated() {
                group.addTask {
                    let x = uniforms(shape.0, seed: UInt64(i)), k = uniforms(shape.1, seed: UInt64(100 + i))
                    var fft: [Double] = [], overlapSave: [Double] = []
                    for _ in 0..<5 {
                        fft = causalConvolve(x, k, method: .fft)
                        overlapSave = causalConvolve(x, k, method: .overlapSave)
                    }
                    return (i, fft, overlapSave)
                }
            }
            var collected: [(Int, [Double], [Double])] = []
            for await r in group { collected.append(r) }
            return collected
        }
        #expect(results.count == shapes.count)
        for (i, fft, overlapSave) in results {
            expectSignalsClose(fft, expected[i], "fft, shape \(shapes[i])")
            expectSignalsClose(overlapSave, expected[i], "overlapSave, shape \(shapes[i])")
        }
    }
}
