// Activation.swift — point-wise nonlinearities: the kernels (reusable by gated cells) and the layer.
//
// Each kind has a forward loop and a derivative loop over raw buffers with the switch hoisted
// out of the loop, so recurrent cells can apply σ and tanh to gate workspaces in place.
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

    /// `y[i] = f(x[i])`; `x` and `y` may be the same buffer.
    /// - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func apply<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        precondition(x.count == y.count, "activation buffers differ in length") // invariant: caller sizes workspaces
        let n = x.count
        switch self {
        case .identity:
            for i in 0..<n { y[i] = x[i] }
        case .tanh:
            for i in 0..<n { y[i] = S.tanh(x[i]) }
        case .sigmoid:
            for i in 0..<n { y[i] = ActivationKind.sigmoid(x[i]) }
        case .relu:
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
        case .gelu:
            let invSqrt2 = 1 / S.sqrt(2)
            for i in 0..<n { y[i] = x[i] * (1 + S.erf(x[i] * invSqrt2)) / 2 }
        case .geluTanh:
            let c = S.sqrt(2 / S.pi), a = S(0.044715)
            for i in 0..<n {
                let v = x[i]
                let u: S = c * (v + a * v * v * v)
                y[i] = v * (1 + S.tanh(u)) / 2
            }
        }
    }

    /// `dx[i] = dy[i] · f'(x[i])`, given the forward input `x` and output `y` (whichever the
    /// derivative needs); `dx` may alias `dy`.
    /// - Complexity: O(n).
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
            let invSqrt2 = 1 / S.sqrt(2), invSqrt2Pi = 1 / S.sqrt(2 * S.pi)
            for i in 0..<n {
                let v = x[i]
                let cdf = (1 + S.erf(v * invSqrt2)) / 2
                dx[i] = dy[i] * (cdf + v * invSqrt2Pi * S.exp(-v * v / 2))
            }
        case .geluTanh:
            let c = S.sqrt(2 / S.pi), a = S(0.044715)
            for i in 0..<n {
                let v = x[i]
                let v2: S = v * v
                let t: S = S.tanh(c * (v + a * v2 * v))
                let du: S = c * (1 + 3 * a * v2)
                let dydx: S = (1 + t) / 2 + v * (1 - t * t) * du / 2
                dx[i] = dy[i] * dydx
            }
        }
    }
}

/// A layer applying an `ActivationKind` element-wise. It caches its input and output.
public final class Activation<Scalar: NeuralScalar>: Layer {
    public let kind: ActivationKind
    public var mode: LayerMode = .training
    private var input: Tensor<Scalar>?
    private var output: Tensor<Scalar>?

    public init(_ kind: ActivationKind) { self.kind = kind }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] { inputShape }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let kind = self.kind
        let y = Tensor<Scalar>(shape: x.shape) { out in
            x.withUnsafeBufferPointer { kind.apply($0, into: out) }
        }
        input = x
        output = y
        return y
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input, let y = output else { preconditionFailure("Activation.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == x.shape, "Activation.backward: gradient \(dy.shape) for input \(x.shape)") // invariant: shapes checked by caller
        let kind = self.kind
        return Tensor(shape: x.shape) { dx in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    dy.withUnsafeBufferPointer { pdy in
                        kind.backward(input: px, output: py, outputGradient: pdy, into: dx)
                    }
                }
            }
        }
    }
}
