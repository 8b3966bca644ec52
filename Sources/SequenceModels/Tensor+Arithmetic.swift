// Tensor+Arithmetic.swift — element-wise arithmetic and last-axis broadcasting.
//
// Operands of a binary operation must have equal shapes (a `precondition`: shapes reaching here
// were validated at construction). The one broadcast offered is along the last dimension
// (`adding(lastAxis:)`), which is what biases and affine normalisation need. Every operation has
// an in-place form for loops that reuse buffers.
//
// In-place forms and storage sharing: when a tensor's storage is shared (a layer kept the
// buffer it returned, a caller kept a copy), `a += b` writes the result into fresh storage in
// one pass instead of copying `a` first and then adding (what the array's copy-on-write would
// do); the other holder keeps its values either way. Unshared storage is updated in place.

import LinearAlgebra

extension Tensor {
    @inline(__always)
    static func requireSameShape(_ a: Tensor, _ b: Tensor, _ op: String) {
        precondition(a.shape == b.shape, "tensor \(op): shapes \(a.shape) and \(b.shape) differ") // invariant: shapes checked by caller
    }

    /// Calls `body(source, destination)` to replace every element: in place (source and
    /// destination are the same memory) when the storage is not shared, else into fresh storage
    /// read from the old one — never a copy followed by an update. `body` must write every
    /// destination element and read each source element before writing it.
    @inline(__always)
    mutating func transform(_ body: (UnsafeBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) -> Void) {
        if isUniquelyReferenced() {
            scalars.withUnsafeMutableBufferPointer { p in body(UnsafeBufferPointer(p), p) }
        } else {
            let old = scalars
            scalars = [Scalar](unsafeUninitializedCapacity: old.count) { out, initialized in
                old.withUnsafeBufferPointer { body($0, out) }
                initialized = old.count
            }
        }
    }

    /// `self[i] = f(self[i], other[i])` for every `i` (see `transform` for shared storage).
    @inline(__always)
    mutating func combine(_ other: Tensor, _ op: String, _ f: (Scalar, Scalar) -> Scalar) {
        Tensor.requireSameShape(self, other, op)
        other.scalars.withUnsafeBufferPointer { b in
            transform { a, out in
                for i in 0..<out.count { out[i] = f(a[i], b[i]) }
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
        a.transform { p, out in
            for i in 0..<out.count { out[i] = p[i] * s }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func += (a: inout Tensor, s: Scalar) {
        a.transform { p, out in
            for i in 0..<out.count { out[i] = p[i] + s }
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

    /// Sets every element to `value` (in place when the storage is not shared).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func fill(_ value: Scalar) {
        resize(to: shape)
        scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = value }
        }
    }

    /// Copies `other`'s elements into `self` without reallocating when the storage is not
    /// shared (shapes must agree).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func assign(_ other: Tensor) {
        Tensor.requireSameShape(self, other, "assign")
        resize(to: shape)
        other.scalars.withUnsafeBufferPointer { src in
            scalars.withUnsafeMutableBufferPointer { dst in
                _ = dst.initialize(fromContentsOf: src)
            }
        }
    }

    /// `c = a + b` into an existing buffer (resized; see `resize(to:)`), one pass, no temporary.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func add(_ a: Tensor, _ b: Tensor, into c: inout Tensor) {
        requireSameShape(a, b, "add(_:_:into:)")
        c.resize(to: a.shape)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<pc.count { pc[i] = pa[i] + pb[i] }
                }
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
            transform { p, out in
                guard n > 0, let src = p.baseAddress, let dst = out.baseAddress, let bias = pv.baseAddress else { return }
                let rows = out.count / n
                for r in 0..<rows {
                    let s = src + r * n, d = dst + r * n
                    for j in 0..<n { d[j] = s[j] + bias[j] }
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
        return Tensor(shape: shape) { out in
            v.scalars.withUnsafeBufferPointer { pv in
                scalars.withUnsafeBufferPointer { p in
                    guard n > 0, let src = p.baseAddress, let dst = out.baseAddress, let scale = pv.baseAddress else { return }
                    for r in 0..<(out.count / n) {
                        let s = src + r * n, d = dst + r * n
                        for j in 0..<n { d[j] = s[j] * scale[j] }
                    }
                }
            }
        }
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
