// Tensor+Reduction.swift — sums, means, extrema and norms.
//
// Sums accumulate in the tensor's own precision in index order (deterministic; the same order
// every run). `sumOverLeadingAxes` is the bias-gradient reduction: it sums all rows of the
// (…, n) tensor into one length-n vector.

import LinearAlgebra

extension Tensor {
    /// The sum of all elements.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum() -> Scalar {
        scalars.withUnsafeBufferPointer { p in
            var s: Scalar = 0
            for i in 0..<p.count { s += p[i] }
            return s
        }
    }

    /// The mean of all elements (0 for an empty tensor).
    public func mean() -> Scalar { count == 0 ? 0 : sum() / Scalar(count) }

    /// The largest element (`nil` when empty).
    public func max() -> Scalar? { scalars.max() }

    /// The smallest element (`nil` when empty).
    public func min() -> Scalar? { scalars.min() }

    /// `Σ xᵢ²`.
    public func squaredNorm() -> Scalar {
        scalars.withUnsafeBufferPointer { p in
            guard p.count > 0 else { return 0 }
            return Scalar.dot(n: p.count, x: p.baseAddress!, incx: 1, y: p.baseAddress!, incy: 1)
        }
    }

    /// `Σ aᵢ bᵢ` (BLAS dot) of two tensors of equal shape.
    public static func dot(_ a: Tensor, _ b: Tensor) -> Scalar {
        requireSameShape(a, b, "dot")
        return a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                pa.count == 0 ? 0 : Scalar.dot(n: pa.count, x: pa.baseAddress!, incx: 1, y: pb.baseAddress!, incy: 1)
            }
        }
    }

    /// The sum over every axis but the last: shape (…, n) → (n).
    /// - Complexity: O(count).
    public func sumOverLeadingAxes() -> Tensor {
        var out = Tensor(shape: [lastDimension])
        accumulateSumOverLeadingAxes(into: &out)
        return out
    }

    /// `out[j] += Σ_rows self[row, j]`: the in-place bias-gradient accumulation. The rows are
    /// summed into a scratch vector first (which the optimiser can vectorise: it cannot alias
    /// the tensor), then added to `out`.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func accumulateSumOverLeadingAxes(into out: inout Tensor) {
        let n = lastDimension
        precondition(out.count == n, "accumulateSumOverLeadingAxes: output has \(out.count) scalars, need \(n)") // invariant: shapes checked by caller
        guard n > 0 else { return }
        let rows = count / n
        withUnsafeTemporaryAllocation(of: Scalar.self, capacity: n) { scratch in
            let acc = scratch.baseAddress!
            acc.initialize(repeating: 0, count: n)
            scalars.withUnsafeBufferPointer { p in
                guard let src = p.baseAddress else { return }
                for r in 0..<rows {
                    let row = src + r * n
                    for j in 0..<n { acc[j] += row[j] }
                }
            }
            out.scalars.withUnsafeMutableBufferPointer { o in
                for j in 0..<n { o[j] += acc[j] }
            }
        }
    }

    /// The sum along one axis, which is removed from the shape.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum(axis: Int) -> Tensor {
        precondition(axis >= 0 && axis < rank, "sum(axis: \(axis)) of shape \(shape)") // invariant: programmer misuse
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: axis)
        var out = Tensor(shape: outShape)
        scalars.withUnsafeBufferPointer { p in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for a in 0..<outer {
                    for k in 0..<n {
                        let src = (a * n + k) * inner
                        for j in 0..<inner { o[a * inner + j] += p[src + j] }
                    }
                }
            }
        }
        return out
    }

    /// The mean along one axis, which is removed from the shape.
    public func mean(axis: Int) -> Tensor {
        let n = shape[axis]
        return n == 0 ? sum(axis: axis) : sum(axis: axis) * (1 / Scalar(n))
    }
}
