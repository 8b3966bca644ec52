// Layer.swift — the protocol every neural layer implements, with hand-written backward passes.
//
// Why hand-written: Swift's `_Differentiation` crashed the compiler on an ordinary custom-tangent
// case and needs a hand-written VJP for every BLAS call anyway (SWIFT-NOTES, "Gradients");
// layer-level backward passes verified by finite differences are as fast and robust.

import LinearAlgebra

/// Whether layers behave as in training (dropout active) or inference.
public enum LayerMode: Sendable, Hashable {
    case training, inference
}

/// A differentiable map from one tensor to another with a hand-written backward pass.
///
/// ## The contract
/// * `forward(x)` computes `y = f(x; θ)` and **records** in the layer whatever `backward`
///   needs (its input, activations, masks, normalisation statistics): the *forward cache*.
///   It records in both modes, so gradients can be checked in inference mode too.
/// * `backward(dy)` takes `∂L/∂y` (shape of the last output), **adds** `∂L/∂θ` into every
///   parameter's `gradient` (accumulation, never overwrite) and returns `∂L/∂x` (shape of the
///   last input). It uses the cache of the most recent `forward`: one backward per forward, in
///   reverse order of the forwards (a container calls its children's backwards last to first).
///   `backward` may release the cache (Linear, LayerNorm and GLU drop their reference to the
///   input, so the producer of that input can reuse its buffer on the next step).
///   A layer applied twice in one graph needs two instances or a layer-specific API.
/// * Returned tensors are values: a layer may keep the output and gradient buffers it returns
///   and reuse them on the next call (`Tensor.resize(to:)`), but it never writes storage that a
///   caller still holds, so a tensor kept by a caller keeps its values.
/// * `namedParameters` lists the trainable parameters with names relative to the layer
///   ("weight", "bias"); containers prefix their children ("0.weight"). The order is fixed:
///   optimisers and model files rely on it.
/// * `mode` switches training/inference behaviour; containers forward it to their children.
/// * `outputShape(for:)` is shape inference without computation. Forward and backward check
///   shapes with `precondition` (a program error), so data-facing code (the trainer, the
///   evaluation harness) calls `outputShape(for:)` first to turn a bad dataset into a thrown
///   `SequenceModelError` instead of a trap.
///
/// ## Writing fast layers
/// Hoist stored properties into locals before loops and work on
/// `withUnsafe(Mutable)BufferPointer`; class property access inside a loop measured 2.6×
/// slower (SWIFT-NOTES, Gotcha 14). Keep caches and workspaces as stored tensors and overwrite
/// them in place (`Tensor.resize(to:)`, `Tensor.matmul(…, into:)`) when a layer runs in a loop.
/// Matrix products go to gemm with transposition flags (`Tensor.matmul(a, .none, w, .transpose)`).
///
/// ## Checking a new layer
/// The test target's `GradientCheck` compares `backward` with central finite differences of
/// `L = Σ g ⊙ forward(x)` in `Double` for every input element and every parameter element
/// (see Sources/SequenceModels/README.md).
public protocol Layer<Scalar>: AnyObject {
    associatedtype Scalar: NeuralScalar

    /// `y = f(x; θ)`, recording the forward cache for `backward`.
    func forward(_ input: Tensor<Scalar>) -> Tensor<Scalar>

    /// Adds `∂L/∂θ` to the parameters' gradients and returns `∂L/∂x`, given `∂L/∂y` for the
    /// output of the most recent `forward`.
    func backward(_ outputGradient: Tensor<Scalar>) -> Tensor<Scalar>

    /// The output shape for an input of `inputShape`, or a thrown error naming the mismatch.
    func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int]

    /// Checks that `forward(input)` would not trap: the shape (via `outputShape(for:)`, the
    /// default) and, for layers that read values as indices (Embedding), the values.
    func validateInput(_ input: Tensor<Scalar>) throws(SequenceModelError)

    /// Trainable parameters with names relative to this layer, in a fixed order.
    var namedParameters: [NamedParameter<Scalar>] { get }

    /// Training or inference behaviour (containers propagate it to their children).
    var mode: LayerMode { get set }
}

extension Layer {
    public func validateInput(_ input: Tensor<Scalar>) throws(SequenceModelError) {
        _ = try outputShape(for: input.shape)
    }

    /// `forward(x)`.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { forward(input) }

    /// The parameters in `namedParameters` order.
    public var parameters: [Parameter<Scalar>] { namedParameters.map(\.parameter) }

    /// The number of trainable scalars.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.value.count } }

    /// Sets every parameter gradient to zero.
    public func zeroGradients() {
        for p in namedParameters { p.parameter.zeroGradient() }
    }

    /// A copy of every parameter value, in `namedParameters` order (a checkpoint; copy-on-write
    /// makes it cheap until the optimiser writes).
    public func parameterValues() -> [Tensor<Scalar>] { namedParameters.map(\.parameter.value) }

    /// Restores values from `parameterValues()` of the same model.
    public func setParameterValues(_ values: [Tensor<Scalar>]) {
        let params = namedParameters
        precondition(values.count == params.count, "setParameterValues: \(values.count) tensors for \(params.count) parameters") // invariant: checkpoint of the same model
        for (p, v) in zip(params, values) {
            precondition(p.parameter.value.shape == v.shape, "setParameterValues: \(p.name) has shape \(p.parameter.value.shape), checkpoint \(v.shape)") // invariant: checkpoint of the same model
            p.parameter.value = v
        }
    }
}

/// Shape-inference helper: the last dimension of `shape` must be `expected`.
func requireLastDimension(_ shape: [Int], _ expected: Int, _ layer: String) throws(SequenceModelError) {
    guard let last = shape.last, last == expected else {
        var wanted = shape
        if wanted.isEmpty { wanted = [expected] } else { wanted[wanted.count - 1] = expected }
        throw .shapeMismatch(operation: "\(layer) input", expected: wanted, found: shape)
    }
}
