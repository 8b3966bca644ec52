// MaskedMeanPooling.swift — mean pooling over the valid steps of padded series, for sequence
// classification with series of different lengths in one batch.
//
// The core's `TemporalPooling` averages over every step, so zero padding would dilute the mean,
// and the trainer hands a model nothing but its input tensor. So the validity mask travels as
// the last input channel: the data shaping appends v[b, t] = 1 for real steps and 0 for padding
// (padding only at the end, where it cannot reach the real steps of a causal body).

import LinearAlgebra
import SequenceModels

/// Runs `body` on the first F channels of x (batch, time, F + 1) and averages its per-step
/// outputs z (batch, time, C) over the steps whose last input channel v is 1:
///     y[b, c] = Σ_t v[b, t] z[b, t, c] / n_b,    n_b = max(Σ_t v[b, t], 1).
/// Backward: `∂L/∂z[b, t, c] = v[b, t] ∂L/∂y[b, c] / n_b`, through `body`, and zero for v.
/// A linear head commutes with the mean, so mean-pooled logits equal the head applied to the
/// mean-pooled features.
/// - Complexity: the body's cost plus O(B·T·(F + C)).
public final class MaskedMeanPooling<Scalar: NeuralScalar>: Layer {
    public let body: any Layer<Scalar>
    /// F, the features the body reads (the input has F + 1 channels).
    public let featureCount: Int
    public var mode: LayerMode = .training {
        didSet { body.mode = mode }
    }
    private var valid: [Scalar] = []       // (B, T)
    private var counts: [Scalar] = []      // (B)
    private var bodyOutputShape: [Int] = []

    public init(body: any Layer<Scalar>, featureCount: Int) {
        self.body = body
        self.featureCount = featureCount
    }

    public var namedParameters: [NamedParameter<Scalar>] { body.namedParameters }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3, inputShape[2] == featureCount + 1 else {
            throw .shapeMismatch(operation: "MaskedMeanPooling input (batch, time, features + mask)",
                                 expected: [-1, -1, featureCount + 1], found: inputShape)
        }
        let z = try body.outputShape(for: [inputShape[0], inputShape[1], featureCount])
        guard z.count == 3 else { throw .shapeMismatch(operation: "MaskedMeanPooling body output", expected: [-1, -1, -1], found: z) }
        return [z[0], z[2]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == featureCount + 1, "MaskedMeanPooling needs (batch, time, \(featureCount + 1)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], T = x.shape[1], F = featureCount
        var v = [Scalar](repeating: 0, count: B * T), n = [Scalar](repeating: 0, count: B)
        let features = Tensor<Scalar>(shape: [B, T, F]) { out in
            x.withUnsafeBufferPointer { px in
                for r in 0..<(B * T) {
                    for f in 0..<F { out[r * F + f] = px[r * (F + 1) + f] }
                    v[r] = px[r * (F + 1) + F]
                    n[r / T] += v[r]
                }
            }
        }
        for b in 0..<B { n[b] = Swift.max(n[b], 1) }
        let z = body.forward(features)
        precondition(z.rank == 3 && z.shape[0] == B && z.shape[1] == T, "MaskedMeanPooling body returned \(z.shape) for [\(B), \(T), \(F)]") // invariant: body is per-step
        let C = z.shape[2]
        valid = v
        counts = n
        bodyOutputShape = z.shape
        return Tensor(shape: [B, C]) { y in
            z.withUnsafeBufferPointer { pz in
                for b in 0..<B {
                    for c in 0..<C { y[b * C + c] = 0 }
                    for t in 0..<T where v[b * T + t] != 0 {
                        let w = v[b * T + t]
                        for c in 0..<C { y[b * C + c] += w * pz[(b * T + t) * C + c] }
                    }
                    for c in 0..<C { y[b * C + c] /= n[b] }
                }
            }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard bodyOutputShape.count == 3 else { preconditionFailure("MaskedMeanPooling.backward called before forward") } // invariant: forward/backward pairing
        let B = bodyOutputShape[0], T = bodyOutputShape[1], C = bodyOutputShape[2], F = featureCount
        precondition(dy.shape == [B, C], "MaskedMeanPooling.backward: gradient \(dy.shape) for output [\(B), \(C)]") // invariant: shapes checked by caller
        let v = valid, n = counts
        let dz = Tensor<Scalar>(shape: [B, T, C]) { out in
            dy.withUnsafeBufferPointer { g in
                for b in 0..<B {
                    for t in 0..<T {
                        let w = v[b * T + t] / n[b]
                        for c in 0..<C { out[(b * T + t) * C + c] = w * g[b * C + c] }
                    }
                }
            }
        }
        let dFeatures = body.backward(dz)
        return Tensor(shape: [B, T, F + 1]) { out in
            dFeatures.withUnsafeBufferPointer { g in
                for r in 0..<(B * T) {
                    for f in 0..<F { out[r * (F + 1) + f] = g[r * F + f] }
                    out[r * (F + 1) + F] = 0
                }
            }
        }
    }
}
