// The packed LSTM micro-kernels beside the BLAS path they replace: outputs, final states and
// every gradient agree, in Double (rounding only) and Float, over shapes that exercise every
// tail (hidden blocks of fewer than 8 units, product panels of fewer than 32 columns, row tiles
// of 3, 2 and 1 rows, ∂L/∂x by dot products and by tiles), with batch partitions and truncation.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct PackedLSTMTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        var input: Int, hidden: Int, layers: Int, batch: Int, time: Int
        var parallelism = 1
        var truncation: Int? = nil
        var testDescription: String {
            "I=\(input) H=\(hidden) L=\(layers) B=\(batch) T=\(time) P=\(parallelism) k=\(truncation.map(String.init) ?? "-")"
        }
    }

    static let shapes: [Shape] = [
        Shape(input: 3, hidden: 13, layers: 2, batch: 4, time: 6),                      // 13: blocks 8 + 5; layer 2 input 13 (dots)
        Shape(input: 27, hidden: 40, layers: 1, batch: 7, time: 5),                     // I ≥ 16: ∂L/∂x in a 27-column tile; panels 32 + 8
        Shape(input: 1, hidden: 32, layers: 1, batch: 1, time: 4),                      // one row; no tails in H
        Shape(input: 2, hidden: 29, layers: 2, batch: 16, time: 7, parallelism: 3, truncation: 3),  // 29-column panels
        Shape(input: 5, hidden: 64, layers: 1, batch: 5, time: 9, parallelism: 2),
        Shape(input: 1, hidden: 32, layers: 1, batch: 32, time: 4, parallelism: 2),  // the lstm_step shape (16-row partitions)
    ]

    /// Every output of one forward/backward with final-state loss terms, flattened.
    static func run<S: NeuralScalar>(_: S.Type, _ shape: Shape, path: RecurrentKernelPath) -> [[Double]] {
        var rng = SplitMix64(seed: 500)
        let layer = LSTM<S>(inputSize: shape.input, hiddenSize: shape.hidden, layers: shape.layers, using: &rng)
        layer.kernelPath = path
        layer.batchParallelism = shape.parallelism
        layer.truncation = shape.truncation
        let x = Tensor<S>.uniform([shape.batch, shape.time, shape.input], -2, 2, using: &rng)
        let g = Tensor<S>.uniform([shape.batch, shape.time, shape.hidden], using: &rng)
        func states() -> [HiddenCellState<S>] {
            (0..<shape.layers).map { _ in
                HiddenCellState(hidden: .uniform([shape.batch, shape.hidden], using: &rng), cell: .uniform([shape.batch, shape.hidden], using: &rng))
            }
        }
        let y = layer.forward(x, initialState: states())
        let finals = layer.finalState.flatMap { [$0.hidden, $0.cell] }
        layer.zeroGradients()
        let dx = layer.backward(g, finalStateGradient: states())
        let initial = layer.initialStateGradient.flatMap { [$0.hidden, $0.cell] }
        return ([y] + finals + [dx] + initial + layer.namedParameters.map(\.parameter.gradient)).map { $0.scalars.map { Double($0) } }
    }

    @Test(arguments: shapes)
    func packedMatchesBLASInDouble(shape: Shape) {
        // Same formulas, other summation orders (and fused multiply-adds): rounding only.
        for (packed, blas) in zip(Self.run(Double.self, shape, path: .packed), Self.run(Double.self, shape, path: .blas)) {
            expectClose(packed, blas, rtol: 1e-13, atol: 1e-14)
        }
    }

    @Test(arguments: shapes)
    func packedMatchesReferenceInFloat(shape: Shape) {
        // Float against the scalar reference path: VectorActivations' few ulp per activation and
        // Float rounding through the recurrence stay below 1e-5 of each value's scale.
        for (packed, reference) in zip(Self.run(Float.self, shape, path: .packed), Self.run(Float.self, shape, path: .reference)) {
            expectClose(packed, reference, rtol: 1e-5, atol: 1e-5)
        }
    }

    /// The packed path's gradients against central differences (with batch partitions).
    @Test func packedGradientsMatchFiniteDifferences() {
        var rng = SplitMix64(seed: 510)
        let layer = LSTM<Double>(inputSize: 3, hiddenSize: 11, layers: 2, using: &rng)
        layer.kernelPath = .packed
        layer.batchParallelism = 2
        checkRecurrentGradients(layer, batch: 5, time: 4, seed: 511)
    }

    /// `.fast` is `.packed` exactly when the build targets FMA.
    @Test func fastSelectsPackedKernelsWithFMA() {
        let shape = Shape(input: 2, hidden: 9, layers: 1, batch: 3, time: 3)
        let fast = Self.run(Double.self, shape, path: .fast)
        let chosen = Self.run(Double.self, shape, path: RecurrentKernelPath.fastUsesPackedKernels ? .packed : .blas)
        // The same code runs for both: bitwise identity is the property under test.
        #expect(fast == chosen)
    }
}
