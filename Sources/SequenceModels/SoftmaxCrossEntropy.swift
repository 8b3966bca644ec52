// SoftmaxCrossEntropy.swift — classification loss on logits with integer class labels.

import LinearAlgebra
import Numerics

/// Softmax cross-entropy (PyTorch's `CrossEntropyLoss` on logits with class indices).
///
/// Logits have shape (…, C); the target has shape (…) and holds class indices stored as
/// scalars (exact integers in 0..<C). Per row, with `lse = m + log Σ_c exp(z_c − m)`,
/// `m = max_c z_c` (stable), `ℓ = lse − z_y`, and `∂ℓ/∂z_c = softmax(z)_c − [c = y]`.
/// The mask has a prefix of the target's shape; the loss is the weighted mean over rows.
/// - Complexity: O(count) with one `exp` per logit (SIMD, `VectorMath.exp`).
public struct SoftmaxCrossEntropy: Loss {
    public init() {}

    public func targetShape(forPrediction predictionShape: [Int]) -> [Int] { Array(predictionShape.dropLast()) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate<Scalar: NeuralScalar>(_ logits: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                               mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar> {
        guard logits.rank >= 1 else { throw .shapeMismatch(operation: "cross-entropy logits", expected: [1], found: logits.shape) }
        let rowShape = targetShape(forPrediction: logits.shape)
        guard target.shape == rowShape else {
            throw .shapeMismatch(operation: "cross-entropy target", expected: rowShape, found: target.shape)
        }
        let classes = logits.lastDimension, rows = target.count
        var labels = [Int](repeating: 0, count: rows)
        for (i, v) in target.scalars.enumerated() {
            guard v >= 0, v < Scalar(classes), v == v.rounded(.towardZero) else {
                throw .invalidClassLabel(index: i, value: Double(v), classes: classes)
            }
            labels[i] = Int(v)
        }
        let (weights, block) = try maskBlocks(mask, covering: rowShape, "cross-entropy")
        let total = maskTotal(weights, blockSize: block, count: rows)
        var gradient = Tensor<Scalar>(shape: logits.shape)
        guard total > 0, classes > 0 else { return LossResult(value: 0, gradient: gradient, weight: 0) }
        let invTotal = Scalar(1 / total)
        var sum = 0.0
        logits.withUnsafeBufferPointer { z in
            gradient.withUnsafeMutableBufferPointer { g in
                for r in 0..<rows {
                    let w: Scalar = weights.map { $0[r / block] } ?? 1
                    let base = r * classes
                    var m = z[base]
                    for c in 1..<classes { m = Swift.max(m, z[base + c]) }
                    for c in 0..<classes { g[base + c] = z[base + c] - m }
                    let row = UnsafeMutableBufferPointer(rebasing: g[base..<(base + classes)])
                    VectorMath.exp(UnsafeBufferPointer(row), into: row)               // e^(z − m), SIMD
                    var s: Scalar = 0
                    for c in 0..<classes { s += row[c] }
                    let lse = m + Scalar.log(s)
                    sum += Double(w) * Double(lse - z[base + labels[r]])
                    let scale = w * invTotal / s
                    for c in 0..<classes { g[base + c] *= scale }
                    g[base + labels[r]] -= w * invTotal
                }
            }
        }
        return LossResult(value: sum / total, gradient: gradient, weight: total)
    }
}
