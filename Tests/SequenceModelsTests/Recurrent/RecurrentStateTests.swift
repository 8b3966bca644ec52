// States of the recurrent layers: the cell's step equals one time step of the layer's
// forward, stateful calls equal one long call, and the initial/carried state rules.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentStateTests {
    /// Stepping the cells of a 2-layer stack (cell l on cell l−1's output) reproduces the
    /// stack's outputs and final states, from a random initial state.
    /// The cell makes one unblocked gemm per step from W_hh as stored; the layer uses a
    /// transposed copy and, for B·H·G·H > 65536·4 (the second size: 12·150·150·G), blocks.
    struct CellEqualsLayer: RecurrentArchitectureVisitor {
        let path: RecurrentKernelPath
        var hidden = 10, batch = 3
        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            var rng = SplitMix64(seed: 200)
            let layer = RecurrentLayer<A>(inputSize: 3, hiddenSize: hidden, layers: 2, using: &rng)
            layer.kernelPath = path
            let (b, t) = (batch, 7)
            let x = Tensor<Double>.uniform([b, t, 3], using: &rng)
            let initial = randomStates(layer, batch: b, using: &rng)
            let y = layer.forward(x, initialState: initial)
            let cells = layer.makeCells()
            var states = initial
            for step in 0..<t {
                var input = timeSlice(x, step..<(step + 1)).reshaped([b, 3])
                for (l, cell) in cells.enumerated() {
                    cell.step(input, state: &states[l])
                    input = states[l].output
                }
                // Same kernels; the step's input projection is its own small gemm: rounding only.
                expectClose(input.scalars, timeSlice(y, step..<(step + 1)).scalars, rtol: 1e-13, atol: 1e-15, "step \(step)")
            }
            expectClose(stateTensors(states, A.self).flatMap(\.scalars), stateTensors(layer.finalState, A.self).flatMap(\.scalars),
                        rtol: 1e-13, atol: 1e-15, "final state")
        }
    }

    @Test(arguments: RecurrentKind.allCases, RecurrentKernelPath.allCases)
    func cellStepEqualsLayerForward(kind: RecurrentKind, path: RecurrentKernelPath) {
        forEachArchitecture(kind, CellEqualsLayer(path: path))
    }

    @Test(arguments: RecurrentKind.allCases)
    func cellStepEqualsBlockedLayerForward(kind: RecurrentKind) {
        forEachArchitecture(kind, CellEqualsLayer(path: .fast, hidden: 150, batch: 12))
    }

    /// The protocol's `run` (cell steps from zeros) equals the one-layer forward, in Float.
    @Test func cellRunEqualsLayerForwardInFloat() {
        var rng = SplitMix64(seed: 210)
        let lstm = LSTM<Float>(inputSize: 2, hiddenSize: 19, using: &rng)
        let x = Tensor<Float>.uniform([4, 9, 2], using: &rng)
        let y = lstm.forward(x)
        let (outputs, final) = lstm.makeCells()[0].run(x)
        // Float, identical kernels; only the gemm blocking of the input projection differs.
        expectClose(outputs.scalars.map(Double.init), y.scalars.map(Double.init), rtol: 1e-5, atol: 1e-6)
        expectClose(final.cell.scalars.map(Double.init), lstm.finalState[0].cell.scalars.map(Double.init), rtol: 1e-5, atol: 1e-6)
    }

    /// A sequence run as three stateful calls equals one call over the whole sequence.
    struct StatefulEqualsLong: RecurrentArchitectureVisitor {
        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            var rng = SplitMix64(seed: 220)
            let layer = RecurrentLayer<A>(inputSize: 2, hiddenSize: 6, layers: 2, using: &rng)
            let x = Tensor<Double>.uniform([2, 12, 2], using: &rng)
            let initial = randomStates(layer, batch: 2, using: &rng)
            let whole = layer.forward(x, initialState: initial)
            let wholeFinal = stateTensors(layer.finalState, A.self)

            layer.isStateful = true
            _ = layer.forward(timeSlice(x, 0..<0), initialState: initial)    // an empty call carries the state through
            let pieces = [0..<5, 5..<6, 6..<12].map { layer.forward(timeSlice(x, $0)) }
            expectClose(concatenateTime(pieces).scalars, whole.scalars, rtol: 1e-14, atol: 1e-15, "outputs")
            expectClose(stateTensors(layer.finalState, A.self).flatMap(\.scalars), wholeFinal.flatMap(\.scalars), rtol: 1e-14, atol: 1e-15, "final state")

            // Turning stateful off forgets the carried state: the next call starts from zeros.
            layer.isStateful = false
            #expect(layer.carriedState == nil)
            let fresh = layer.forward(x)
            let zeroStart = layer.forward(x, initialState: layer.zeroState(batch: 2))
            expectClose(fresh.scalars, zeroStart.scalars, rtol: 1e-15, atol: 0)
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func statefulCallsEqualOneLongCall(kind: RecurrentKind) {
        forEachArchitecture(kind, StatefulEqualsLong())
    }

    /// The carried state is detached: the second stateful call's backward reports ∂L/∂(the
    /// carried state), the same as when that state is passed explicitly as the initial state.
    @Test func carriedStateGradientIsReportedNotPropagated() {
        var rng = SplitMix64(seed: 230)
        let lstm = LSTM<Double>(inputSize: 2, hiddenSize: 4, using: &rng)
        lstm.isStateful = true
        let x1 = Tensor<Double>.uniform([2, 3, 2], using: &rng), x2 = Tensor<Double>.uniform([2, 3, 2], using: &rng)
        let g = Tensor<Double>.uniform([2, 3, 4], using: &rng)
        _ = lstm.forward(x1)
        let carried = lstm.carriedState!
        _ = lstm.backward(g)
        _ = lstm.forward(x2)
        lstm.zeroGradients()
        _ = lstm.backward(g)
        let statefulGradient = lstm.initialStateGradient[0]
        // Same as an explicit initial state equal to the carried one.
        lstm.isStateful = false
        _ = lstm.forward(x2, initialState: carried)
        _ = lstm.backward(g)
        expectClose(statefulGradient.hidden.scalars, lstm.initialStateGradient[0].hidden.scalars, rtol: 1e-15, atol: 0)
        expectClose(statefulGradient.cell.scalars, lstm.initialStateGradient[0].cell.scalars, rtol: 1e-15, atol: 0)
        #expect(statefulGradient.hidden.squaredNorm() > 0)
    }

    @Test func outputShapeValidatesInput() throws {
        var rng = SplitMix64(seed: 240)
        let gru = GRU<Float>(inputSize: 3, hiddenSize: 8, layers: 2, using: &rng)
        #expect(try gru.outputShape(for: [4, 10, 3]) == [4, 10, 8])
        #expect(throws: SequenceModelError.shapeMismatch(operation: "GRU input", expected: [4, 10, 3], found: [4, 10, 2])) {
            try gru.outputShape(for: [4, 10, 2])
        }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "GRU input (batch, time, features)", expected: [1, 10, 3], found: [10, 3])) {
            try gru.outputShape(for: [10, 3])
        }
        #expect(gru.namedParameters.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                                     "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        #expect(gru.namedParameters.map(\.parameter.shape) == [[24, 3], [24, 8], [24], [24], [24, 8], [24, 8], [24], [24]])
    }
}
