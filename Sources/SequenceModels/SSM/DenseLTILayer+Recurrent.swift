// DenseLTILayer+Recurrent.swift — the dense LTI layer run as a linear RNN (control convention:
// the output is read from the state before the input enters it):
//     y[k] = C x[k] + D u[k],      x[k+1] = A x[k] + B u[k],      x[0] = 0
// Row-vector form on a batch: Y = X Cᵀ + U Dᵀ, X ← X Aᵀ + U Bᵀ (four GEMMs per step).

import LinearAlgebra
import Spectral

/// The state of a `DenseLTICell`.
public struct LTIState<Scalar: NeuralScalar>: RecurrentState {
    /// x[k], shape (batch, n).
    public var state: Tensor<Scalar>
    /// y of the last step, shape (batch, p).
    public var output: Tensor<Scalar>

    public init(state: Tensor<Scalar>, output: Tensor<Scalar>) {
        self.state = state
        self.output = output
    }
}

/// The recurrent view of a `DenseLTILayer`; reads the layer's current parameters at every step.
public final class DenseLTICell<Scalar: NeuralScalar & FFTScalar>: RecurrentCell {
    public let layer: DenseLTILayer<Scalar>
    private var next = Tensor<Scalar>(shape: [0, 0])

    public init(layer: DenseLTILayer<Scalar>) { self.layer = layer }

    public var inputSize: Int { layer.configuration.inputSize }
    public var hiddenSize: Int { layer.configuration.outputSize }
    public var namedParameters: [NamedParameter<Scalar>] { layer.namedParameters }

    public func zeroState(batch: Int) -> LTIState<Scalar> {
        LTIState(state: Tensor(shape: [batch, layer.configuration.stateSize]), output: Tensor(shape: [batch, hiddenSize]))
    }

    /// One step for input `u` (batch, m).
    /// - Complexity: 2·batch·(n² + n m + p n + p m) flops in four GEMMs.
    public func step(_ u: Tensor<Scalar>, state: inout LTIState<Scalar>) {
        precondition(u.rank == 2 && u.shape[1] == inputSize && state.state.shape == [u.shape[0], layer.configuration.stateSize], "DenseLTICell.step: input \(u.shape), state \(state.state.shape)") // invariant: shapes checked by caller
        if state.output.shape != [u.shape[0], hiddenSize] { state.output = Tensor(shape: [u.shape[0], hiddenSize]) }
        Tensor.matmul(state.state, .none, layer.c.value, .transpose, into: &state.output)
        Tensor.matmul(u, .none, layer.d.value, .transpose, into: &state.output, beta: 1)
        if next.shape != state.state.shape { next = Tensor(shape: state.state.shape) }
        Tensor.matmul(state.state, .none, layer.a.value, .transpose, into: &next)
        Tensor.matmul(u, .none, layer.b.value, .transpose, into: &next, beta: 1)
        swap(&next, &state.state)
    }
}

extension DenseLTILayer {
    /// The recurrent view of this layer.
    public func recurrentCell() -> DenseLTICell<Scalar> { DenseLTICell(layer: self) }
}
