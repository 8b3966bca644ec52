// Sequential.swift — composition of layers, and the residual wrapper.

import LinearAlgebra

/// `y = f_{n−1}(… f_1(f_0(x)))`. Backward runs the children's backwards last to first.
/// Parameters are named "<index>.<child name>" ("0.weight", "2.bias"), like PyTorch's
/// `nn.Sequential`.
public final class Sequential<Scalar: NeuralScalar>: LayerChain {
    public let layers: [any Layer<Scalar>]
    public var chain: [any Layer<Scalar>] { layers }
    public var mode: LayerMode = .training {
        didSet { propagate(mode) }
    }

    public init(_ layers: [any Layer<Scalar>]) { self.layers = layers }

    public var namedParameters: [NamedParameter<Scalar>] {
        layers.enumerated().flatMap { $0.element.namedParameters.prefixed("\($0.offset)") }
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] { try chainOutputShape(inputShape) }

    public func validateInput(_ input: Tensor<Scalar>) throws(SequenceModelError) {
        try layers.first?.validateInput(input)
        _ = try outputShape(for: input.shape)
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { chainForward(x) }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> { chainBackward(dy) }
}

/// `y = x + f(x)` (He et al., "Deep Residual Learning for Image Recognition", 2016).
/// Backward: `∂L/∂x = ∂L/∂y + f'(x)ᵀ ∂L/∂y`. The body's parameter names pass through unchanged.
public final class Residual<Scalar: NeuralScalar>: Layer {
    public let body: any Layer<Scalar>
    public var mode: LayerMode = .training {
        didSet { body.mode = mode }
    }

    /// The residual sums, written into buffers reused across calls.
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

    public init(_ body: any Layer<Scalar>) { self.body = body }

    public var namedParameters: [NamedParameter<Scalar>] { body.namedParameters }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        let out = try body.outputShape(for: inputShape)
        guard out == inputShape else { throw .shapeMismatch(operation: "Residual body output", expected: inputShape, found: out) }
        return out
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        Tensor.add(body.forward(x), x, into: &outputBuffer)
        return outputBuffer
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        Tensor.add(body.backward(dy), dy, into: &gradientBuffer)
        return gradientBuffer
    }
}
