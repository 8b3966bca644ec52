// Parameter.swift — trainable tensors with their gradient and optimiser group.
//
// A `Parameter` is a reference type: the layer that owns it reads `value` in forward and
// accumulates into `gradient` in backward; the optimiser holds the same objects and updates
// `value` in place. Names are not stored on the parameter: a layer reports its parameters as
// `NamedParameter`s with names relative to itself ("weight", "bias"), and containers prefix
// their children's names ("blocks.0.linear1.weight"), which is what model files record.

import LinearAlgebra

/// Optimiser settings shared by a set of parameters, like a PyTorch parameter group.
///
/// `nil` fields inherit the optimiser's value. The S4 recipe, for example, gives the SSM
/// parameters (Λ, log Δ, B) a smaller learning rate and no weight decay:
/// `ParameterGroup(name: "ssm", learningRate: 1e-3, weightDecay: 0)`.
/// A learning-rate schedule multiplies every group's learning rate by the same factor.
public struct ParameterGroup: Hashable, Codable, Sendable {
    /// A label (for reports and for selecting parameters).
    public var name: String
    /// The group's base learning rate; `nil` means the optimiser's.
    public var learningRate: Double?
    /// The group's weight decay; `nil` means the optimiser's, `0` turns it off.
    public var weightDecay: Double?

    public init(name: String, learningRate: Double? = nil, weightDecay: Double? = nil) {
        self.name = name
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// Inherits everything from the optimiser.
    public static var `default`: ParameterGroup { ParameterGroup(name: "default") }
    /// The optimiser's learning rate without weight decay (biases, normalisation gains).
    public static var noWeightDecay: ParameterGroup { ParameterGroup(name: "no_weight_decay", weightDecay: 0) }
}

/// A trainable tensor, its gradient (same shape) and its optimiser group.
public final class Parameter<Scalar: BLASScalar> {
    /// The current value; optimisers update it in place.
    public var value: Tensor<Scalar>
    /// `∂L/∂value`, accumulated by backward passes until `zeroGradient()`.
    public var gradient: Tensor<Scalar>
    /// The optimiser settings for this parameter.
    public var group: ParameterGroup

    public init(_ value: Tensor<Scalar>, group: ParameterGroup = .default) {
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.group = group
    }

    /// The shape of `value` (and `gradient`).
    public var shape: [Int] { value.shape }

    /// Sets the gradient to zero in place (no reallocation).
    public func zeroGradient() { gradient.fill(0) }
}

/// A parameter with its dotted name relative to the layer that reports it.
public struct NamedParameter<Scalar: BLASScalar> {
    public var name: String
    public var parameter: Parameter<Scalar>

    public init(_ name: String, _ parameter: Parameter<Scalar>) {
        self.name = name
        self.parameter = parameter
    }
}

extension Array {
    /// The same parameters with `prefix + "."` in front of every name (for containers).
    public func prefixed<Scalar>(_ prefix: String) -> [NamedParameter<Scalar>] where Element == NamedParameter<Scalar> {
        map { NamedParameter("\(prefix).\($0.name)", $0.parameter) }
    }
}
