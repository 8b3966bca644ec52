// Batch parallelism: running groups of sequences on several threads (with blocked per-step
// gemms) gives the single-thread results up to rounding.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentParallelTests {
    /// Splitting the batch over threads changes only the blocking of the per-step gemms and the
    /// order of the bias-gradient sums: everything agrees with the single-thread run.
    struct PartitionsAgree: RecurrentArchitectureVisitor {
        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            func run(parallelism: Int) -> [[Double]] {
                var rng = SplitMix64(seed: 340)
                // B = 17, H = 200: with P = 2 a partition's per-step gemm is 8·200·200·G
                // multiply-adds > 65536·4 for every kind, so the blocked gemm paths run.
                let layer = RecurrentLayer<A>(inputSize: 3, hiddenSize: 200, layers: 2, using: &rng)
                layer.batchParallelism = parallelism
                layer.truncation = 4
                let x = Tensor<Double>.uniform([17, 6, 3], using: &rng), g = Tensor<Double>.uniform([17, 6, 200], using: &rng)
                let y = layer.forward(x, initialState: randomStates(layer, batch: 17, using: &rng))
                layer.zeroGradients()
                let dx = layer.backward(g)
                return ([y, dx] + stateTensors(layer.finalState, A.self) + stateTensors(layer.initialStateGradient, A.self)
                        + layer.namedParameters.map(\.parameter.gradient)).map(\.scalars)
            }
            let serial = run(parallelism: 1)
            for p in [2, 3, 17] {
                for (a, b) in zip(run(parallelism: p), serial) { expectClose(a, b, rtol: 1e-13, atol: 1e-14, "P = \(p)") }
            }
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func batchPartitionsAgreeWithSerial(kind: RecurrentKind) {
        forEachArchitecture(kind, PartitionsAgree())
    }
}
