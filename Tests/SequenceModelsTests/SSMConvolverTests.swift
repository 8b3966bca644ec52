// The tiled time-major convolver of the S4D layer against the direct O(B·H·L²) convolution
// (forward and both adjoints, Float and Double, full and partial channel tiles, odd batches,
// lengths that are not multiples of the 8 × 8 blocks, FFT lengths that are not powers of two),
// and the S4D layer's tiled path against its transposed reference path.

import LinearAlgebra
import Numerics
import SequenceModels
import Spectral
import TestSupport
import Testing

@Suite struct SSMConvolverTests {
    /// (B, L, H): odd and even batches (pairs and a lone last sequence), H below, at and above
    /// the tile width 8 (a partial last tile), L with and without a remainder of 8-step blocks;
    /// L = 37 gives n = 75 (not a power of two).
    static let shapes = [(1, 1, 1), (3, 37, 11), (2, 64, 8), (4, 20, 16), (1, 9, 3), (5, 16, 24)]

    func deviations<S: NeuralScalar & FFTScalar>(_ type: S.Type, batch B: Int, length L: Int, channels H: Int)
        -> (forward: Double, input: Double, kernels: Double) {
        var rng = SplitMix64(seed: UInt64(100 + B * 1000 + L * 10 + H))
        let x = rng.uniforms(B * L * H).map { S($0) }
        let k = rng.uniforms(H * L).map { S($0) }
        let gy = rng.uniforms(B * L * H).map { S($0) }
        let conv = TimeMajorConvolver<S>(batch: B, length: L, channels: H)
        let y = conv.forward(x, kernels: k)
        let (gx, gk) = conv.backward(outputGradient: gy, input: x)
        let yRef = TimeMajorConvolver<S>.directForward(x, kernels: k, batch: B, length: L, channels: H)
        let (gxRef, gkRef) = TimeMajorConvolver<S>.directBackward(outputGradient: gy, input: x, kernels: k, batch: B, length: L, channels: H)
        let d = { (a: [S]) in a.map { Double($0) } }
        return (relativeError(d(y), d(yRef)), relativeError(d(gx), d(gxRef)), relativeError(d(gk), d(gkRef)))
    }

    @Test(arguments: shapes)
    func tiledConvolutionMatchesDirectSums(shape: (Int, Int, Int)) {
        let (B, L, H) = shape
        let double = deviations(Double.self, batch: B, length: L, channels: H)
        #expect(double.forward < 1e-13 && double.input < 1e-13 && double.kernels < 1e-13, "\(shape) Double: \(double)")
        // Float: FFT rounding grows like ε·log n relative to the largest output (the direct sums
        // round too, in Float); 2e-6 is ~20 ε.
        let float = deviations(Float.self, batch: B, length: L, channels: H)
        #expect(float.forward < 2e-6 && float.input < 2e-6 && float.kernels < 2e-6, "\(shape) Float: \(float)")
    }

    @Test func emptyShapesLeaveOutputsAlone() {
        for (B, L, H) in [(0, 5, 3), (2, 0, 3), (2, 5, 0)] {
            let conv = TimeMajorConvolver<Float>(batch: B, length: L, channels: H)
            #expect(conv.fftLength == 0)
            #expect(conv.forward([Float](repeating: 1, count: B * L * H), kernels: [Float](repeating: 1, count: H * L)).count == B * L * H)
            let (gx, gk) = conv.backward(outputGradient: [Float](repeating: 1, count: B * L * H), input: [Float](repeating: 1, count: B * L * H))
            #expect(gx.count == B * L * H && gk == [Float](repeating: 0, count: H * L))
        }
    }

    /// The S4D layer's output, input gradient and every parameter gradient on both paths.
    func pathDeviation<S: NeuralScalar & FFTScalar>(_ type: S.Type, batch B: Int, length L: Int, channels H: Int,
                                                    discretization: SSMDiscretization) throws -> Double {
        var rng = SplitMix64(seed: 71)
        let config = S4DConfiguration(channels: H, stateSize: 8, discretization: discretization, dtMin: 0.01, dtMax: 0.3, learnableInput: true)
        let layer = try S4D<S>(configuration: config, using: &rng)
        let x = Tensor<S>.uniform([B, L, H], using: &rng), g = Tensor<S>.uniform([B, L, H], using: &rng)
        var results: [[[Double]]] = []
        for path in [S4DConvolutionPath.tiled, .transposed] {
            layer.convolutionPath = path
            layer.zeroGradients()
            let y = layer.forward(x).scalars, dx = layer.backward(g).scalars
            results.append([y, dx].map { $0.map { Double($0) } } + layer.parameters.map { $0.gradient.scalars.map { Double($0) } })
        }
        return zip(results[0], results[1]).map { relativeError($0, $1) }.max() ?? 0
    }

    @Test(arguments: SSMDiscretization.allCases)
    func tiledPathMatchesTransposedPath(discretization: SSMDiscretization) throws {
        #expect(try pathDeviation(Double.self, batch: 3, length: 45, channels: 11, discretization: discretization) < 1e-12)
        // Float: both paths round their FFTs (the tiled one also rounds K + D once); 1e-5 allows
        // the parameter gradients' sums over B·L products.
        #expect(try pathDeviation(Float.self, batch: 3, length: 45, channels: 11, discretization: discretization) < 1e-5)
        #expect(try pathDeviation(Float.self, batch: 4, length: 64, channels: 16, discretization: discretization) < 1e-5)
    }

    @Test func tiledPathGradientsMatchFiniteDifferencesWithFullTiles() throws {
        // H = 9: one full tile of 8 channels and a tile of 1; B = 3: one pair and a lone sequence.
        var rng = SplitMix64(seed: 72)
        let config = S4DConfiguration(channels: 9, stateSize: 4, dtMin: 0.02, dtMax: 0.4, learnableInput: true)
        let layer = try S4D<Double>(configuration: config, using: &rng)
        #expect(layer.convolutionPath == .tiled)
        checkLayerGradients(layer, input: .uniform([3, 10, 9], using: &rng), seed: 73)
    }

    /// Outputs and input gradients returned earlier keep their values through later calls (the
    /// layers reuse their buffers only when nobody else holds them), and calls with other shapes
    /// give what a fresh layer gives.
    @Test func layersKeepReturnedTensors() throws {
        var rng = SplitMix64(seed: 74)
        let makers: [(String, (inout SplitMix64) throws -> any Layer<Double>)] = [
            ("s4d", { try S4D<Double>(configuration: S4DConfiguration(channels: 9, stateSize: 4), using: &$0) }),
            ("block", { try SSMBlock<Double>(ssm: S4DConfiguration(channels: 9, stateSize: 4), using: &$0) }),
        ]
        for (name, make) in makers {
            let start = rng
            var a = start
            let layer = try make(&a)
            rng = a
            /// What a layer that has never run gives for (x, g).
            func freshResults(_ x: Tensor<Double>, _ g: Tensor<Double>) throws -> ([Double], [Double]) {
                var c = start
                let fresh = try make(&c)
                return (fresh.forward(x).scalars, fresh.backward(g).scalars)
            }
            for shape in [[2, 12, 9], [3, 5, 9], [2, 12, 9]] {
                let x = Tensor<Double>.uniform(shape, using: &rng), g = Tensor<Double>.uniform(shape, using: &rng)
                let y1 = layer.forward(x), dx1 = layer.backward(g)
                let y1Values = y1.scalars, dx1Values = dx1.scalars
                let y2 = layer.forward(x * 0.5), dx2 = layer.backward(g * 2)
                expectClose(y1.scalars, y1Values, rtol: 0, atol: 0, "\(name): first output after a second call, \(shape)")
                expectClose(dx1.scalars, dx1Values, rtol: 0, atol: 0, "\(name): first gradient after a second call, \(shape)")
                let (yFresh1, dxFresh1) = try freshResults(x, g)
                let (yFresh2, dxFresh2) = try freshResults(x * 0.5, g * 2)
                expectClose(y1.scalars, yFresh1, "\(name): output, \(shape)")
                expectClose(dx1.scalars, dxFresh1, "\(name): input gradient, \(shape)")
                expectClose(y2.scalars, yFresh2, "\(name): second output, \(shape)")
                expectClose(dx2.scalars, dxFresh2, "\(name): second input gradient, \(shape)")
            }
        }
    }
}
