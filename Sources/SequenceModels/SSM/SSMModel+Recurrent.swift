// SSMModel+Recurrent.swift — the whole SSM network as an RNN: every layer but the S4D ones is
// point-wise in time, so one step of the network is one step of each S4D cell with the
// point-wise layers applied to that step's (batch, features) rows.
//
// Per step t, for input x_t (batch, inputs):
//     h = W_in x_t + b_in
//     for each block:  z = S4DCell(LayerNorm(h));  h = h + Mix(GELU(z))     (dropout: inference)
//     f = LayerNorm(h);  pooled = f (none / last) or the running mean of f (mean)
//     y_t = W_out pooled + b_out
// With pooling `.none` the outputs over t equal `forward` on the whole sequence; with `.last`
// or `.mean` the output at the final step equals `forward`'s pooled output.

import LinearAlgebra
import Spectral

/// The state of an `SSMModelCell`: one S4D state per block, the running sum for mean pooling,
/// the step count and the last output.
public struct SSMModelState<Scalar: NeuralScalar>: RecurrentState {
    public var blocks: [S4DState<Scalar>]
    /// Σ_t LayerNorm(h_t), shape (batch, H) (used by mean pooling).
    public var featureSum: Tensor<Scalar>
    /// Steps taken so far.
    public var steps: Int
    /// y[t], shape (batch, outputs).
    public var output: Tensor<Scalar>
}

/// The recurrent (inference) view of an `SSMModel`. The S4D layers are discretised when the
/// cell is made; the other layers are read live. Stepping runs the model's point-wise layers in
/// inference mode and overwrites their forward caches, so do not interleave it with training.
public final class SSMModelCell<Scalar: NeuralScalar & FFTScalar>: RecurrentCell {
    public let model: SSMModel<Scalar>
    private let cells: [S4DCell<Scalar>]

    init(model: SSMModel<Scalar>) {
        self.model = model
        cells = model.blocks.map { $0.ssm.recurrentCell() }
    }

    public var inputSize: Int { model.configuration.inputSize }
    public var hiddenSize: Int { model.configuration.outputSize }
    public var namedParameters: [NamedParameter<Scalar>] { model.namedParameters }

    public func zeroState(batch: Int) -> SSMModelState<Scalar> {
        SSMModelState(blocks: cells.map { $0.zeroState(batch: batch) }, featureSum: Tensor(shape: [batch, model.configuration.width]),
                      steps: 0, output: Tensor(shape: [batch, hiddenSize]))
    }

    /// One step of the network for `x` of shape (batch, inputs).
    /// - Complexity: per block O(batch · H · P) for the S4D cell plus the mixing's
    ///   2·batch·H·(2H) flops: independent of the sequence length.
    public func step(_ x: Tensor<Scalar>, state: inout SSMModelState<Scalar>) {
        precondition(x.rank == 2 && x.shape[1] == inputSize, "SSMModelCell.step: input \(x.shape), need (batch, \(inputSize))") // invariant: shapes checked by caller
        let saved = model.mode
        if saved != .inference { model.mode = .inference }
        defer { if saved != .inference { model.mode = saved } }
        var h = model.input.forward(x)
        for (i, block) in model.blocks.enumerated() {
            cells[i].step(block.norm.forward(h), state: &state.blocks[i])
            h += block.mixingActivation.forward(block.mixing.forward(block.activation.forward(state.blocks[i].output)))
        }
        var features = model.norm.forward(h)
        state.steps += 1
        if model.configuration.pooling == .mean {
            state.featureSum += features
            features = state.featureSum * (1 / Scalar(state.steps))
        }
        state.output = model.output.forward(features)
    }
}

extension SSMModel {
    /// The recurrent view of this model (S4D layers discretised from the current parameters).
    public func recurrentCell() -> SSMModelCell<Scalar> { SSMModelCell(model: self) }
}
