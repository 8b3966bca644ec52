// Activation.swift — point-wise nonlinearities: the kernels (reusable by gated cells) and the layer.
//
// Each kind has a forward loop and a derivative loop over raw buffers with the switch hoisted
// out of the loop, so recurrent cells can apply σ and tanh to gate workspaces in place. The
// fast path runs the SIMD kernels of VectorMath.swift; `applyReference`/`backwardReference`
// (ActivationKind+Reference.swift) are the plain libm loops they are tested against.
// GELU follows Hendrycks & Gimpel, "Gaussian Error Linear Units (GELUs)" (2016).

import LinearAlgebra
import Numerics

/// A point-wise activation function.
public enum ActivationKind: String, Codable, Sendable, CaseIterable {
    /// `y = x`.
    case identity
    /// `y = tanh x`, `y' = 1 − y²`.
    case tanh
    /// `y = σ(x) = 1 / (1 + e^(−x))`, `y' = y (1 − y)`.
    case sigmoid
    /// `y = max(x, 0)`, `y' = [x > 0]`.
    case relu
    /// Exact GELU, `y = x Φ(x) = ½ x (1 + erf(x / √2))`, `y' = Φ(x) + x φ(x)`.
    case gelu
    /// GELU, tanh approximation: `y = ½ x (1 + tanh u)`, `u = √(2/π) (x + 0.044715 x³)`,
    /// `y' = ½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π) (1 + 3 · 0.044715 x²)`.
    case geluTanh

    /// Numerically stable logistic function (no overflow of `exp` for large |x|).
    @inlinable
    public static func sigmoid<S: NeuralScalar>(_ x: S) -> S {
        if x >= 0 { return 1 / (1 + S.exp(-x)) }
        let e = S.exp(x)
        return e / (1 + e)
    }

    /// Whether the derivative is computed from the forward input (GELU kinds) rather than from
    /// the output (tanh, σ, ReLU) or not at all (identity).
    public var derivativeNeedsInput: Bool { self == .gelu || self == .geluTanh }

    /// `y[i] = f(x[i])`; `x` and `y` may be the same buffer.
    /// - Complexity: O(n), SIMD (`VectorMath`).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func apply<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "activation buffers differ in length") // invariant: caller sizes workspaces
        let n = x.count
        switch self {
        case .identity:
            for i in 0..<n { y[i] = x[i] }
        case .relu:
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
        case .tanh:
            VectorMath.tanh(x, into: y)
        case .sigmoid:
            VectorMath.sigmoid(x, into: y)
        case .gelu:
            VectorMath.gelu(x, into: y)
        case .geluTanh:
            VectorMath.geluTanh(x, into: y)
        }
    }

    /// `y[i] = f(x[i])` and `d[i] = f'(x[i])` in one pass (what a training forward caches so that
    /// the backward is one multiplication).
    /// - Complexity: O(n), SIMD.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func apply<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>,
                                       derivative d: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count && x.count == d.count, "activation buffers differ in length") // invariant: caller sizes workspaces
        let n = x.count
        switch self {
        case .gelu:
            VectorMath.gelu(x, into: y, derivative: d)
        case .geluTanh:
            VectorMath.geluTanh(x, into: y, derivative: d)
        case .identity, .relu, .tanh, .sigmoid:
            apply(x, into: y)
            let yc = UnsafeBufferPointer(y)
            switch self {
            case .identity: for i in 0..<n { d[i] = 1 }
            case .relu: for i in 0..<n { d[i] = yc[i] > 0 ? 1 : 0 }
            case .tanh: for i in 0..<n { d[i] = 1 - yc[i] * yc[i] }
            default: for i in 0..<n { d[i] = yc[i] * (1 - yc[i]) }
            }
        }
    }

    /// `dx[i] = dy[i] · f'(x[i])`, given the forward input `x` and output `y` (whichever the
    /// derivative needs: `derivativeNeedsInput`); `dx` may alias `dy`.
    /// - Complexity: O(n), SIMD for the GELU kinds.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func backward<S: NeuralScalar>(input x: UnsafeBufferPointer<S>, output y: UnsafeBufferPointer<S>,
                                          outputGradient dy: UnsafeBufferPointer<S>,
                                          into dx: UnsafeMutableBufferPointer<S>) {
        let n = dx.count
        precondition(x.count == n && y.count == n && dy.count == n, "activation buffers differ in length") // invariant: caller sizes workspaces
        switch self {
        case .identity:
            for i in 0..<n { dx[i] = dy[i] }
        case .tanh:
            for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .relu:
            for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
        case .gelu:
            VectorMath.scaleByGELUDerivative(x, dy, into: dx)
        case .geluTanh:
            VectorMath.scaleByGELUTanhDerivative(x, dy, into: dx)
        }
    }
}

/// A layer applying an `ActivationKind` element-wise.
///
/// Forward cache: in training mode the GELU kinds store `f'(x)` computed in the same pass as
/// `f(x)`, so backward is one multiplication; in inference mode they keep a reference to the
/// input instead (no derivative work unless backward is called). tanh, σ and ReLU keep their
/// output (the derivative is a function of it); identity keeps nothing and returns its input.
/// The output and gradient buffers are reused across calls (`Tensor.resize(to:)`).
/// - Complexity: O(count).
public final class Activation<Scalar: NeuralScalar>: Layer {
    public let kind: ActivationKind
    public var mode: LayerMode = .training

    private enum Cache { case none, output, derivative, input }
    private var cache = Cache.none
    private var inputShape: [Int]?
    private var input: Tensor<Scalar>?
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var derivativeBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

    public init(_ kind: ActivationKind) { self.kind = kind }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] { inputShape }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let kind = self.kind
        inputShape = x.shape
        input = nil
        guard kind != .identity else {
            cache = .none
            return x
        }
        outputBuffer.resize(to: x.shape)
        if kind.derivativeNeedsInput && mode == .training {
            derivativeBuffer.resize(to: x.shape)
            x.withUnsafeBufferPointer { px in
                outputBuffer.withUnsafeMutableBufferPointer { py in
                    derivativeBuffer.withUnsafeMutableBufferPointer { kind.apply(px, into: py, derivative: $0) }
                }
            }
            cache = .derivative
        } else {
            x.withUnsafeBufferPointer { px in outputBuffer.withUnsafeMutableBufferPointer { kind.apply(px, into: $0) } }
            if kind.derivativeNeedsInput {
                input = x
                cache = .input
            } else {
                cache = .output
            }
        }
        return outputBuffer
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("Activation.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape, "Activation.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        let kind = self.kind
        switch cache {
        case .none:
            return dy
        case .derivative:
            gradientBuffer.resize(to: shape)
            dy.withUnsafeBufferPointer { g in
                derivativeBuffer.withUnsafeBufferPointer { d in
                    gradientBuffer.withUnsafeMutableBufferPointer { dx in
                        for i in 0..<dx.count { dx[i] = g[i] * d[i] }
                    }
                }
            }
        case .output:
            // ReLU reads "x > 0", which is "y > 0" for y = max(x, 0); the others read y.
            gradientBuffer.resize(to: shape)
            dy.withUnsafeBufferPointer { g in
                outputBuffer.withUnsafeBufferPointer { py in
                    gradientBuffer.withUnsafeMutableBufferPointer { kind.backward(input: py, output: py, outputGradient: g, into: $0) }
                }
            }
        case .input:
            guard let x = input else { preconditionFailure("Activation.backward: missing input cache") } // invariant: set with cache = .input
            gradientBuffer.resize(to: shape)
            dy.withUnsafeBufferPointer { g in
                x.withUnsafeBufferPointer { px in
                    gradientBuffer.withUnsafeMutableBufferPointer { kind.backward(input: px, output: px, outputGradient: g, into: $0) }
                }
            }
        }
        return gradientBuffer
    }
}
