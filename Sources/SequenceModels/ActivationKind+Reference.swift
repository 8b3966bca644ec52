// ActivationKind+Reference.swift — the plain scalar path of the activations, straight from the
// C library (through swift-numerics): the textbook formulas the SIMD kernels of VectorMath.swift
// replace. Tests compare the two; nothing on a hot path calls these.

import LinearAlgebra
import Numerics

extension ActivationKind {
    /// `y[i] = f(x[i])` with libm's `tanh`, `exp`, `erf`, one element at a time.
    /// - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func applyReference<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
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
            for i in 0..<n { y[i] = VectorMath.referenceGELU(x[i]).value }
        case .geluTanh:
            for i in 0..<n { y[i] = VectorMath.referenceGELUTanh(x[i]).value }
        }
    }

    /// `dx[i] = dy[i] · f'(x[i])` with libm, one element at a time (same conventions as `backward`).
    /// Only the GELU kinds have a separate fast kernel; the others are the same loop as `backward`.
    /// - Complexity: O(n).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func backwardReference<S: NeuralScalar>(input x: UnsafeBufferPointer<S>, output y: UnsafeBufferPointer<S>,
                                                   outputGradient dy: UnsafeBufferPointer<S>,
                                                   into dx: UnsafeMutableBufferPointer<S>) {
        let n = dx.count
        precondition(x.count == n && y.count == n && dy.count == n, "activation buffers differ in length") // invariant: caller sizes workspaces
        switch self {
        case .identity, .tanh, .sigmoid, .relu:
            backward(input: x, output: y, outputGradient: dy, into: dx)
        case .gelu:
            for i in 0..<n { dx[i] = dy[i] * VectorMath.referenceGELU(x[i]).derivative }
        case .geluTanh:
            for i in 0..<n { dx[i] = dy[i] * VectorMath.referenceGELUTanh(x[i]).derivative }
        }
    }
}
