// SavableModel.swift — models that can be rebuilt from a model file alone.

import LinearAlgebra

/// A layer whose architecture is fully described by a `Codable` configuration, so a model
/// file (kind + configuration + weights) suffices to rebuild it: `ModelFile.load(MLP<Float>.self, from:)`.
public protocol SavableModel: Layer {
    associatedtype Configuration: Codable & Sendable
    /// The "kind" tag written to model files, e.g. "mlp".
    static var modelKind: String { get }
    /// The configuration this instance was built from.
    var configuration: Configuration { get }
    /// Builds a freshly initialised model; the weights come from `seed`.
    /// - Throws: `SequenceModelError.invalidConfiguration` for an out-of-range field.
    init(configuration: Configuration, seed: UInt64) throws(SequenceModelError)
}
