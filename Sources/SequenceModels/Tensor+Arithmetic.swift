// Tensor+Arithmetic.swift — element-wise arithmetic and last-axis broadcasting.
//
// Operands of a binary operation must have equal shapes (a `precondition`: shapes reaching here
// were validated at construction). The one broadcast offered is along the last dimension
// (`adding(lastAxis:)`), which is what biases and affine normalisation need. Every operation has
// an in-place form for loops that reuse buffers.

import LinearAlgebra

extension Tensor {
    @inline(__always)
    static func requireSameShape(_ a: Tensor, _ b: Tensor, _ op: String) {
        precondition(a.shape == b.shape, "tensor \(op): shapes \(a.shape) and \(b.shape) differ") // invariant: shapes checked by caller
    }

    /// `self[i] = f(self[i], other[i])` for every `i`, in place.
    @inline(__always)
    mutating func combine(_ other: Tensor, _ op: String, _ f: (Scalar, Scalar) -> Scalar) {
        Tensor.requireSameShape(self, other, op)
        other.scalars.withUnsafeBufferPointer { b in
            scalars.withUnsafeMutableBufferPointer { a in
                for i in 0..<a.count { a[i] = f(a[i], b[i]) }
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { var r = a; r += b; return r }
    public static func - (a: Tensor, b: Tensor) -> Tensor { var r = a; r -= b; return r }
    /// Element-wise (Hadamard) product.
    public static func * (a: Tensor, b: Tensor) -> Tensor { var r = a; r *= b; return r }
    /// Element-wise quotient.
    public static func / (a: Tensor, b: Tensor) -> Tensor { var r = a; r /= b; return r }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func += (a: inout Tensor, b: Tensor) { a.combine(b, "+") { $0 + $1 } }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func -= (a: inout Tensor, b: Tensor) { a.combine(b, "-") { $0 - $1 } }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func *= (a: inout Tensor, b: Tensor) { a.combine(b, "*") { $0 * $1 } }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func /= (a: inout Tensor, b: Tensor) { a.combine(b, "/") { $0 / $1 } }

    public static prefix func - (a: Tensor) -> Tensor { a * -1 }

    public static func * (a: Tensor, s: Scalar) -> Tensor { var r = a; r *= s; return r }
    public static func * (s: Scalar, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Scalar) -> Tensor { var r = a; r *= 1 / s; return r }
    public static func + (a: Tensor, s: Scalar) -> Tensor { var r = a; r += s; return r }
    public static func - (a: Tensor, s: Scalar) -> Tensor { var r = a; r += -s; return r }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func *= (a: inout Tensor, s: Scalar) {
        a.scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= s }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func += (a: inout Tensor, s: Scalar) {
        a.scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] += s }
        }
    }

    /// `self += alpha · x` (BLAS axpy), the accumulation step of every backward pass.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add(_ x: Tensor, scaledBy alpha: Scalar = 1) {
        Tensor.requireSameShape(self, x, "add")
        let n = count
        x.scalars.withUnsafeBufferPointer { px in
            scalars.withUnsafeMutableBufferPointer { py in
                Scalar.axpy(n: n, alpha: alpha, x: px.baseAddress!, incx: 1, y: py.baseAddress!, incy: 1)
            }
        }
    }

    /// Sets every element to `value` (in place; reuses the storage).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func fill(_ value: Scalar) {
        scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = value }
        }
    }

    /// Copies `other`'s elements into `self` without reallocating (shapes must agree).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func assign(_ other: Tensor) {
        Tensor.requireSameShape(self, other, "assign")
        other.scalars.withUnsafeBufferPointer { src in
            scalars.withUnsafeMutableBufferPointer { dst in
                _ = dst.initialize(fromContentsOf: src)
            }
        }
    }

    // MARK: Last-axis broadcasting

    /// `self[…, j] + v[j]`: adds a vector of length `lastDimension` to every row.
    public func adding(lastAxis v: Tensor) -> Tensor { var r = self; r.add(lastAxis: v); return r }

    /// In-place `self[…, j] += v[j]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add(lastAxis v: Tensor) {
        let n = lastDimension
        precondition(v.count == n, "add(lastAxis:) needs \(n) scalars, got shape \(v.shape)") // invariant: shapes checked by caller
        v.scalars.withUnsafeBufferPointer { pv in
            scalars.withUnsafeMutableBufferPointer { p in
                var base = 0
                while base < p.count {
                    for j in 0..<n { p[base + j] += pv[j] }
                    base += n
                }
            }
        }
    }

    /// `self[…, j] · v[j]`: scales every row element-wise by a vector of length `lastDimension`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func multiplying(lastAxis v: Tensor) -> Tensor {
        let n = lastDimension
        precondition(v.count == n, "multiplying(lastAxis:) needs \(n) scalars, got shape \(v.shape)") // invariant: shapes checked by caller
        var r = self
        v.scalars.withUnsafeBufferPointer { pv in
            r.scalars.withUnsafeMutableBufferPointer { p in
                var base = 0
                while base < p.count {
                    for j in 0..<n { p[base + j] *= pv[j] }
                    base += n
                }
            }
        }
        return r
    }

    // MARK: Maps (convenience; layers use dedicated loops)

    /// A tensor of `f` applied to every element.
    public func map(_ f: (Scalar) -> Scalar) -> Tensor {
        Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = f(src[i]) }
            }
        }
    }

    /// `true` when every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}
