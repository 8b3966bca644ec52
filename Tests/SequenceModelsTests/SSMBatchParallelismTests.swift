// The fused SSM paths with the batch's pairs split over threads (`batchParallelism`): outputs,
// input gradients and every parameter gradient against the one-thread run, and run-to-run
// determinism for a fixed thread count.

import LinearAlgebra
import SequenceModels
import Spectral
import TestSupport
import Testing

@Suite struct SSMBatchParallelismTests {
    /// Output, input gradient and parameter gradients of `layer` after `steps` forward/backward
    /// calls on (x, g) without zeroing in between (so the sums also add onto earlier gradients).
    func run<S: NeuralScalar & FFTScalar, L: Layer<S>>(_ layer: L, _ x: Tensor<S>, _ g: Tensor<S>, steps: Int = 2) -> [[Double]] {
        layer.zeroGradients()
        var y: [S] = [], dx: [S] = []
        for _ in 0..<steps {
            y = layer.forward(x).scalars
            dx = layer.backward(g).scalars
        }
        return [y, dx].map { $0.map { Double($0) } } + layer.parameters.map { $0.gradient.scalars.map { Double($0) } }
    }

    /// Largest relative deviation of each thread count's results from one thread's, and whether
    /// a repeat with the same count reproduced its results bit for bit.
    func deviations<S: NeuralScalar & FFTScalar, L: Layer<S>>(_ layer: L, _ x: Tensor<S>, _ g: Tensor<S>, threads: [Int],
                                                            set: (Int) -> Void) -> (deviation: Double, repeatable: Bool) {
        set(1)
        let reference = run(layer, x, g)
        var worst = 0.0, repeatable = true
        for p in threads {
            set(p)
            let first = run(layer, x, g), again = run(layer, x, g)
            repeatable = repeatable && first == again
            #expect(first.count == reference.count)
            worst = Swift.max(worst, zip(first, reference).map { relativeError($0, $1) }.max() ?? 0)
        }
        return (worst, repeatable)
    }

    /// Batches with a lone last sequence (5, 7), more threads than pairs (B = 3, P = 3), and
    /// uneven groups (7 sequences = 4 pairs over 3 threads).
    @Test(arguments: [(5, 19, 11), (7, 16, 8), (3, 9, 3), (8, 33, 16)])
    func blockMatchesOneThread(shape: (Int, Int, Int)) throws {
        let (B, L, H) = shape
        for double in [true, false] {
            var rng = SplitMix64(seed: 201)
            let config = S4DConfiguration(channels: H, stateSize: 8, dtMin: 0.01, dtMax: 0.3, learnableInput: true)
            if double {
                let block = try SSMBlock<Double>(ssm: config, using: &rng)
                let x = Tensor<Double>.uniform([B, L, H], using: &rng), g = Tensor<Double>.uniform([B, L, H], using: &rng)
                let (d, same) = deviations(block, x, g, threads: [2, 3]) { block.batchParallelism = $0 }
                #expect(d < 1e-13, "\(shape) Double: \(d)")
                #expect(same, "\(shape) Double: not repeatable")
            } else {
                let block = try SSMBlock<Float>(ssm: config, using: &rng)
                let x = Tensor<Float>.uniform([B, L, H], using: &rng), g = Tensor<Float>.uniform([B, L, H], using: &rng)
                let (d, same) = deviations(block, x, g, threads: [2, 3]) { block.batchParallelism = $0 }
                // Float: the per-thread sums of ∂W, ∂b, ∂γ, ∂β and of the kernel-gradient spectra
                // are added in another grouping than one thread's running sums.
                #expect(d < 2e-6, "\(shape) Float: \(d)")
                #expect(same, "\(shape) Float: not repeatable")
            }
        }
    }

    /// Depths 0 … 2; projections by gemm and by the unit-dimension loops; the fused head
    /// backward (one output).
    @Test(arguments: [(0, 2, 3), (1, 2, 3), (2, 1, 1), (2, 3, 1), (1, 1, 2)])
    func modelMatchesOneThread(shape: (Int, Int, Int)) throws {
        let (depth, F, O) = shape
        let config = SSMModelConfiguration(inputSize: F, outputSize: O, width: 9, depth: depth, stateSize: 6, initialization: .inv,
                                           dtMin: 0.02, dtMax: 0.4, learnableInput: true)
        var rng = SplitMix64(seed: 202)
        let model = try SSMModel<Double>(configuration: config, seed: 203)
        let u = Tensor<Double>.uniform([7, 21, F], using: &rng), g = Tensor<Double>.uniform([7, 21, O], using: &rng)
        let (d, same) = deviations(model, u, g, threads: [2, 4]) { model.batchParallelism = $0 }
        #expect(model.blocks.allSatisfy { $0.batchParallelism == 4 })
        #expect(d < 1e-13, "\(shape) Double: \(d)")
        #expect(same, "\(shape) Double: not repeatable")

        let modelF = try SSMModel<Float>(configuration: config, seed: 203)
        let uF = Tensor<Float>.uniform([6, 40, F], using: &rng), gF = Tensor<Float>.uniform([6, 40, O], using: &rng)
        let (dF, sameF) = deviations(modelF, uF, gF, threads: [2, 3]) { modelF.batchParallelism = $0 }
        // Float: as for the block.
        #expect(dF < 2e-6, "\(shape) Float: \(dF)")
        #expect(sameF, "\(shape) Float: not repeatable")
    }

    @Test func threadedFusedModelMatchesLayeredModel() throws {
        // The layered reference, independently of the one-thread fused path.
        let config = SSMModelConfiguration(inputSize: 2, outputSize: 1, width: 8, depth: 2, stateSize: 4, dtMin: 0.02, dtMax: 0.4)
        let model = try SSMModel<Double>(configuration: config, seed: 204)
        var rng = SplitMix64(seed: 205)
        let u = Tensor<Double>.uniform([5, 17, 2], using: &rng), g = Tensor<Double>.uniform([5, 17, 1], using: &rng)
        model.batchParallelism = 2
        let fused = run(model, u, g)
        model.executionPath = .layered
        let layered = run(model, u, g)
        for (a, b) in zip(fused, layered) { expectClose(a, b, rtol: 1e-11, atol: 1e-12) }
    }
}
