// The fused paths of the SSM block (one pair of sequences at a time through LayerNorm, S4D,
// GELU, mixing and GLU) and of the whole model, against their layered reference paths and
// against finite differences.

import LinearAlgebra
import Numerics
import SequenceModels
import Spectral
import TestSupport
import Testing

@Suite struct SSMFusedBlockTests {
    /// Largest relative deviation between the fused and layered paths over the output, the input
    /// gradient and every parameter gradient.
    func pathDeviation<S: NeuralScalar & FFTScalar>(_ type: S.Type, batch B: Int, length L: Int, channels H: Int,
                                                    mode: LayerMode = .training) throws -> Double {
        var rng = SplitMix64(seed: 91)
        let config = S4DConfiguration(channels: H, stateSize: 8, dtMin: 0.01, dtMax: 0.3, learnableInput: true)
        let block = try SSMBlock<S>(ssm: config, using: &rng)
        block.mode = mode
        let x = Tensor<S>.uniform([B, L, H], using: &rng), g = Tensor<S>.uniform([B, L, H], using: &rng)
        var results: [[[Double]]] = []
        for path in [SSMExecutionPath.fused, .layered] {
            block.executionPath = path
            block.zeroGradients()
            let y = block.forward(x).scalars, dx = block.backward(g).scalars
            results.append([y, dx].map { $0.map { Double($0) } } + block.parameters.map { $0.gradient.scalars.map { Double($0) } })
        }
        #expect(results[0].count == 2 + block.parameters.count)
        return zip(results[0], results[1]).map { relativeError($0, $1) }.max() ?? 0
    }

    @Test(arguments: [(3, 37, 11), (2, 64, 16), (1, 9, 3), (4, 20, 8)])
    func fusedPathMatchesLayeredPath(shape: (Int, Int, Int)) throws {
        let (B, L, H) = shape
        #expect(try pathDeviation(Double.self, batch: B, length: L, channels: H) < 1e-12, "\(shape) Double")
        // Float: the paths round their FFTs, sums over rows (∂W, ∂b, ∂γ, ∂β) and D u differently.
        #expect(try pathDeviation(Float.self, batch: B, length: L, channels: H) < 1e-5, "\(shape) Float")
        #expect(try pathDeviation(Double.self, batch: B, length: L, channels: H, mode: .inference) < 1e-12, "\(shape) inference")
    }

    @Test func fusedPathGradientsMatchFiniteDifferences() throws {
        // H = 9: a full channel tile and a partial one; B = 3: a pair and a lone sequence.
        var rng = SplitMix64(seed: 92)
        let block = try SSMBlock<Double>(ssm: S4DConfiguration(channels: 9, stateSize: 4, dtMin: 0.02, dtMax: 0.4, learnableInput: true),
                                         using: &rng)
        #expect(block.executionPath == .fused)
        checkLayerGradients(block, input: .uniform([3, 10, 9], using: &rng), seed: 93, limit: 40)
    }

    @Test func blocksTheFusedPathDoesNotCoverRunLayered() throws {
        // GELU mixing, and dropout in training, take the layered path whatever executionPath says:
        // both settings give identical numbers.
        var rng = SplitMix64(seed: 94)
        let config = S4DConfiguration(channels: 4, stateSize: 4)
        let gelu = try SSMBlock<Double>(ssm: config, mixing: .gelu, using: &rng)
        let dropout = try SSMBlock<Double>(ssm: config, dropout: 0.3, using: &rng)
        let x = Tensor<Double>.uniform([2, 6, 4], using: &rng)
        for block in [gelu, dropout] {
            let starts = (block.dropout.generator, block.outputDropout.generator)
            var outputs: [[Double]] = []
            for path in [SSMExecutionPath.fused, .layered] {
                block.executionPath = path
                block.dropout.generator = starts.0
                block.outputDropout.generator = starts.1
                outputs.append(block.forward(x).scalars)
                _ = block.backward(x)
            }
            expectClose(outputs[0], outputs[1], rtol: 0, atol: 0)
        }
    }

    /// The model's output, input gradient and parameter gradients on both paths.
    func modelDeviation<S: NeuralScalar & FFTScalar>(_ type: S.Type, depth: Int, features F: Int, outputs O: Int,
                                                     batch B: Int, length L: Int) throws -> Double {
        let config = SSMModelConfiguration(inputSize: F, outputSize: O, width: 9, depth: depth, stateSize: 6, initialization: .inv,
                                           dtMin: 0.02, dtMax: 0.4, learnableInput: true)
        let model = try SSMModel<S>(configuration: config, seed: 95)
        var rng = SplitMix64(seed: 96)
        let u = Tensor<S>.uniform([B, L, F], using: &rng), g = Tensor<S>.uniform([B, L, O], using: &rng)
        var results: [[[Double]]] = []
        for path in [SSMExecutionPath.fused, .layered] {
            model.executionPath = path
            #expect(model.blocks.allSatisfy { $0.executionPath == path })
            model.zeroGradients()
            let y = model.forward(u).scalars, du = model.backward(g).scalars
            results.append([y, du].map { $0.map { Double($0) } } + model.parameters.map { $0.gradient.scalars.map { Double($0) } })
        }
        return zip(results[0], results[1]).map { relativeError($0, $1) }.max() ?? 0
    }

    /// Depths 0 … 2; projections by gemm (2 features, 3 outputs) and by the unit-dimension loops.
    @Test(arguments: [(0, 2, 3), (1, 2, 3), (2, 2, 3), (1, 1, 1), (2, 1, 2), (1, 3, 1)])
    func fusedModelMatchesLayeredModel(shape: (Int, Int, Int)) throws {
        let (depth, F, O) = shape
        #expect(try modelDeviation(Double.self, depth: depth, features: F, outputs: O, batch: 3, length: 21) < 1e-12, "\(shape)")
        // Float: as for the block.
        #expect(try modelDeviation(Float.self, depth: depth, features: F, outputs: O, batch: 4, length: 16) < 1e-5, "\(shape)")
    }

    @Test func fusedModelGradientsMatchFiniteDifferences() throws {
        for (F, O) in [(2, 2), (1, 1)] {
            let config = SSMModelConfiguration(inputSize: F, outputSize: O, width: 9, depth: 2, stateSize: 4, initialization: .lin,
                                               dtMin: 0.02, dtMax: 0.4, learnableInput: true)
            let model = try SSMModel<Double>(configuration: config, seed: 97)
            var rng = SplitMix64(seed: 98)
            checkLayerGradients(model, input: .uniform([3, 8, F], using: &rng), seed: 99, limit: 30)
        }
    }
}
