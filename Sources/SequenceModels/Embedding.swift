// Embedding.swift — a lookup table from token ids to learned vectors.
//
// Token ids travel in a tensor of the model's scalar type (integers are exact in Float up to
// 2²⁴), so an embedding can head a `Sequential`. Ids come from data: call `validate(_:)` (the
// trainer does) to get a thrown error for a bad id; `forward` treats one as a program error.

import LinearAlgebra

/// `y[…, :] = W[id[…], :]` for a tensor of ids of any shape; the output appends the embedding
/// dimension. Backward scatter-adds `∂L/∂y` rows into the rows of `∂L/∂W` they came from; ids
/// are not differentiable, so the returned input gradient is zero.
/// Initialised `N(0, 1)` like PyTorch's `nn.Embedding`.
/// - Complexity: O(count · embeddingSize).
public final class Embedding<Scalar: NeuralScalar>: Layer {
    public let vocabularySize: Int
    public let embeddingSize: Int
    /// `W`, shape (vocabularySize, embeddingSize).
    public let weight: Parameter<Scalar>
    public var mode: LayerMode = .training
    private var ids: [Int] = []
    private var inputShape: [Int]?

    public init(vocabularySize: Int, embeddingSize: Int, initializer: Initializer = .normal(standardDeviation: 1),
                using rng: inout SplitMix64) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        weight = Parameter(initializer.tensor([vocabularySize, embeddingSize], using: &rng))
    }

    public var namedParameters: [NamedParameter<Scalar>] { [NamedParameter("weight", weight)] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] { inputShape + [embeddingSize] }

    /// Throws for the first entry of `tokens` that is not an integer in `0..<vocabularySize`.
    public func validate(_ tokens: Tensor<Scalar>) throws(SequenceModelError) {
        for (i, v) in tokens.scalars.enumerated() where !(v >= 0 && v < Scalar(vocabularySize) && v == v.rounded(.towardZero)) {
            throw .invalidToken(index: i, value: Double(v), vocabularySize: vocabularySize)
        }
    }

    public func validateInput(_ tokens: Tensor<Scalar>) throws(SequenceModelError) { try validate(tokens) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ tokens: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = embeddingSize, vocab = vocabularySize
        let ids = tokens.scalars.map { v -> Int in
            precondition(v >= 0 && v < Scalar(vocab) && v == v.rounded(.towardZero), "token id \(v) outside 0..<\(vocab); validate data first") // invariant: ids validated by Embedding.validate
            return Int(v)
        }
        self.ids = ids
        inputShape = tokens.shape
        let table = weight.value
        return Tensor(shape: tokens.shape + [d]) { out in
            table.withUnsafeBufferPointer { w in
                for (k, id) in ids.enumerated() {
                    for j in 0..<d { out[k * d + j] = w[id * d + j] }
                }
            }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("Embedding.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape + [embeddingSize], "Embedding.backward: gradient \(dy.shape) for ids \(shape)") // invariant: shapes checked by caller
        let d = embeddingSize, ids = self.ids
        dy.withUnsafeBufferPointer { g in
            weight.gradient.withUnsafeMutableBufferPointer { gw in
                for (k, id) in ids.enumerated() {
                    for j in 0..<d { gw[id * d + j] += g[k * d + j] }
                }
            }
        }
        return Tensor(shape: shape)
    }
}
