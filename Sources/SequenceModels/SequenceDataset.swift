// SequenceDataset.swift — aligned inputs, targets and optional masks, batched along the first axis.

import LinearAlgebra

/// `count` examples: `inputs[i]`, `targets[i]` and optionally `mask[i]` (first axis = example).
/// For sequence-to-sequence data the shapes are (N, T, F), (N, T, O) and (N, T).
public struct SequenceDataset<Scalar: NeuralScalar>: Sendable {
    public let inputs: Tensor<Scalar>
    public let targets: Tensor<Scalar>
    /// Per-example weights for the loss (0 marks padding); shape a prefix of the targets'.
    public let mask: Tensor<Scalar>?

    /// - Throws: `SequenceModelError` when the first dimensions differ, the dataset is empty,
    ///   or the mask shape is not a prefix of the targets' or holds a negative/non-finite entry.
    public init(inputs: Tensor<Scalar>, targets: Tensor<Scalar>, mask: Tensor<Scalar>? = nil) throws(SequenceModelError) {
        guard inputs.rank >= 1, targets.rank >= 1 else { throw .empty(what: "dataset (rank-0 tensors)") }
        guard inputs.shape[0] > 0 else { throw .empty(what: "dataset") }
        guard targets.shape[0] == inputs.shape[0] else {
            throw .shapeMismatch(operation: "dataset targets", expected: [inputs.shape[0]] + targets.shape.dropFirst(), found: targets.shape)
        }
        if let mask {
            _ = try maskBlocks(mask, covering: targets.shape, "dataset")
        }
        self.inputs = inputs
        self.targets = targets
        self.mask = mask
    }

    /// Number of examples.
    public var count: Int { inputs.shape[0] }

    /// The examples at `indices`, in that order.
    public func batch(_ indices: [Int]) -> (inputs: Tensor<Scalar>, targets: Tensor<Scalar>, mask: Tensor<Scalar>?) {
        (inputs.gather(first: indices), targets.gather(first: indices), mask?.gather(first: indices))
    }
}
