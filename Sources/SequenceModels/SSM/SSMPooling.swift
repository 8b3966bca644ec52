// TemporalPooling.swift — reduce a (batch, time, features) sequence to (batch, features), for
// sequence classification heads.

import LinearAlgebra

/// How a sequence model turns its per-step outputs into one output per sequence.
public enum SSMPooling: String, Codable, Sendable, CaseIterable {
    /// No pooling: one output per time step (sequence-to-sequence).
    case none
    /// The mean over time.
    case mean
    /// The last time step (causal models: the state that has seen the whole sequence).
    case last
}

/// `.mean`: `y[b, f] = (1/T) Σ_t x[b, t, f]`, backward `∂L/∂x[b, t, f] = ∂L/∂y[b, f] / T`.
/// `.last`: `y[b, f] = x[b, T−1, f]`, backward puts `∂L/∂y` at t = T−1 and zero elsewhere.
/// `.none` is the identity.
/// - Complexity: O(B·T·F).
public final class TemporalPooling<Scalar: NeuralScalar>: Layer {
    public let pooling: SSMPooling
    public var mode: LayerMode = .training
    private var inputShape: [Int]?

    public init(_ pooling: SSMPooling) { self.pooling = pooling }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        if pooling == .none { return inputShape }
        guard inputShape.count == 3 else {
            throw .shapeMismatch(operation: "TemporalPooling input (batch, time, features)", expected: [-1, -1, inputShape.last ?? -1], found: inputShape)
        }
        guard inputShape[1] >= 1 else { throw .empty(what: "TemporalPooling input time axis") }
        return [inputShape[0], inputShape[2]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        inputShape = x.shape
        if pooling == .none { return x }
        precondition(x.rank == 3 && x.shape[1] >= 1, "TemporalPooling needs (batch, time ≥ 1, features), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], T = x.shape[1], F = x.shape[2]
        let pooling = self.pooling
        return Tensor(shape: [B, F]) { out in
            x.withUnsafeBufferPointer { px in
                for b in 0..<B {
                    switch pooling {
                    case .mean:
                        for f in 0..<F { out[b * F + f] = 0 }
                        for t in 0..<T { for f in 0..<F { out[b * F + f] += px[(b * T + t) * F + f] } }
                        let inv = 1 / Scalar(T)
                        for f in 0..<F { out[b * F + f] *= inv }
                    case .last, .none:
                        for f in 0..<F { out[b * F + f] = px[(b * T + T - 1) * F + f] }
                    }
                }
            }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("TemporalPooling.backward called before forward") } // invariant: forward/backward pairing
        if pooling == .none { return dy }
        let B = shape[0], T = shape[1], F = shape[2]
        precondition(dy.shape == [B, F], "TemporalPooling.backward: gradient \(dy.shape) for output [\(B), \(F)]") // invariant: shapes checked by caller
        var dx = Tensor<Scalar>(shape: shape)
        let scale: Scalar = pooling == .mean ? 1 / Scalar(T) : 1
        let first = pooling == .mean ? 0 : T - 1
        dy.withUnsafeBufferPointer { g in
            dx.withUnsafeMutableBufferPointer { out in
                for b in 0..<B {
                    for t in first..<T { for f in 0..<F { out[(b * T + t) * F + f] = g[b * F + f] * scale } }
                }
            }
        }
        return dx
    }
}
