// Tensor.swift — the dense n-dimensional array of the learning stack.
//
// Goals, in priority order:
//  1. One storage order: contiguous **row-major** (the last index varies fastest), like
//     `Matrix` in LinearAlgebra, so a tensor of shape (…, m, n) is a stack of row-major m × n
//     matrices that BLAS reads in place with leading dimension n.
//  2. Value semantics with copy-on-write (the storage is a Swift Array); in-place `mutating`
//     variants and `withUnsafeMutableBufferPointer` for hot loops that reuse buffers.
//  3. Shapes checked once: constructors from user data throw `SequenceModelError`; operations
//     between tensors whose shapes the program controls use `precondition`.
//
// Sequences are shaped (batch, time, features).

import LinearAlgebra

/// A dense, row-major, n-dimensional array with value semantics.
///
/// Element `(i₀, i₁, …, i_{r−1})` is at flat offset `Σ_d i_d · stride_d` with
/// `stride_{r−1} = 1` and `stride_d = stride_{d+1} · shape[d+1]`. A rank-0 tensor (shape `[]`)
/// holds one scalar.
public struct Tensor<Scalar: BLASScalar>: Equatable, Sendable, CustomStringConvertible {
    /// The extent of each dimension.
    public internal(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public internal(set) var scalars: [Scalar]

    // MARK: Construction

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Scalar = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension") // invariant: programmer misuse
        self.shape = shape
        self.scalars = [Scalar](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor over existing row-major storage whose size the program guarantees.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 } && scalars.count == shape.reduce(1, *), "Tensor(shape: \(shape)) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)") // invariant: programmer misuse
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor from user-supplied storage, checking that `scalars` fills `shape`.
    /// - Throws: `SequenceModelError.negativeDimension` or `.scalarCountMismatch`.
    public init(validating scalars: [Scalar], shape: [Int]) throws(SequenceModelError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(shape: shape) }
        let n = shape.reduce(1, *)
        guard scalars.count == n else { throw .scalarCountMismatch(shape: shape, expected: n, found: scalars.count) }
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-2 tensor from rows (user data).
    /// - Throws: `SequenceModelError.raggedInput` when the rows differ in length.
    public init(rows nested: [[Scalar]]) throws(SequenceModelError) {
        let cols = nested.first?.count ?? 0
        var storage = [Scalar]()
        storage.reserveCapacity(nested.count * cols)
        for (i, row) in nested.enumerated() {
            guard row.count == cols else { throw .raggedInput(path: [i], expected: cols, found: row.count) }
            storage.append(contentsOf: row)
        }
        self.init(shape: [nested.count, cols], scalars: storage)
    }

    /// A rank-3 (batch, time, features) tensor from nested sequences (user data).
    /// - Throws: `SequenceModelError.raggedInput` naming the first sequence or step that differs.
    public init(sequences nested: [[[Scalar]]]) throws(SequenceModelError) {
        let steps = nested.first?.count ?? 0
        let features = nested.first?.first?.count ?? 0
        var storage = [Scalar]()
        storage.reserveCapacity(nested.count * steps * features)
        for (b, sequence) in nested.enumerated() {
            guard sequence.count == steps else { throw .raggedInput(path: [b], expected: steps, found: sequence.count) }
            for (t, step) in sequence.enumerated() {
                guard step.count == features else { throw .raggedInput(path: [b, t], expected: features, found: step.count) }
                storage.append(contentsOf: step)
            }
        }
        self.init(shape: [nested.count, steps, features], scalars: storage)
    }

    /// A tensor of `shape` whose storage `body` initialises completely (no zero fill first).
    /// - Precondition: `body` writes every element.
    public init(shape: [Int], initializingWith body: (inout UnsafeMutableBufferPointer<Scalar>) -> Void) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension") // invariant: programmer misuse
        let n = shape.reduce(1, *)
        self.shape = shape
        self.scalars = [Scalar](unsafeUninitializedCapacity: n) { buffer, count in
            body(&buffer)
            count = n
        }
    }

    /// A tensor of zeros with the shape of `other`.
    public init(zerosLike other: Tensor) { self.init(shape: other.shape) }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Scalar) { self.init(shape: [], scalars: [value]) }

    /// Element-wise conversion from another precision (e.g. Float weights into a Double model).
    public init<Other: BLASScalar>(converting other: Tensor<Other>) {
        self.init(shape: other.shape, scalars: other.scalars.map { Scalar($0) })
    }

    // MARK: Shape

    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// The extent of the last dimension (1 for a rank-0 tensor).
    public var lastDimension: Int { shape.last ?? 1 }
    /// The row-major strides, in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) { s[d] = acc; acc *= shape[d] }
        return s
    }

    /// The same elements viewed with a new shape of equal size. One dimension may be `-1`,
    /// meaning "whatever makes the sizes agree".
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var copy = self
        copy.reshape(newShape)
        return copy
    }

    /// Changes the shape in place (no data movement). One dimension may be `-1`.
    public mutating func reshape(_ newShape: [Int]) {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().reduce(1) { $1.offset == hole ? $0 : $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshape \(shape) → \(newShape): sizes do not divide") // invariant: programmer misuse
            resolved[hole] = count / known
        }
        precondition(resolved.allSatisfy { $0 >= 0 } && resolved.reduce(1, *) == count, "reshape \(shape) → \(newShape): element counts differ") // invariant: programmer misuse
        shape = resolved
    }

    /// Swaps the last two dimensions, materialising the result.
    /// Matmul call sites should pass a transposition flag instead (no copy).
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposedLastTwo() -> Tensor {
        precondition(rank >= 2, "transposedLastTwo needs rank ≥ 2, got shape \(shape)") // invariant: programmer misuse
        let m = shape[rank - 2], n = shape[rank - 1]
        let batches = m * n == 0 ? 0 : count / (m * n)
        var outShape = shape
        outShape.swapAt(rank - 2, rank - 1)
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                for b in 0..<batches {
                    let base = b * m * n
                    for i in 0..<m {
                        for j in 0..<n { out[base + j * m + i] = src[base + i * n + j] }
                    }
                }
            }
        }
    }

    // MARK: Element access

    /// The flat row-major offset of a multi-index.
    public func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) for shape \(shape)") // invariant: programmer misuse
        var off = 0
        for (d, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[d], "index \(indices) out of range for shape \(shape)") // invariant: programmer misuse
            off = off * shape[d] + i
        }
        return off
    }

    /// The element at a multi-index (convenient, not for hot loops).
    public subscript(_ indices: Int...) -> Scalar {
        get { scalars[offset(indices)] }
        set { scalars[offset(indices)] = newValue }
    }

    /// The element at flat row-major position `i`.
    public subscript(flat i: Int) -> Scalar {
        get { scalars[i] }
        set { scalars[i] = newValue }
    }

    /// Rows `range` of the first dimension, copied (e.g. a mini-batch of sequences).
    public func slice(first range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0], "slice \(range) of shape \(shape)") // invariant: programmer misuse
        let inner = shape.dropFirst().reduce(1, *)
        var outShape = shape
        outShape[0] = range.count
        return Tensor(shape: outShape, scalars: Array(scalars[(range.lowerBound * inner)..<(range.upperBound * inner)]))
    }

    /// The entries `indices` of the first dimension, gathered in that order (shuffled batches).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gather(first indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gather needs rank ≥ 1") // invariant: programmer misuse
        let inner = shape.dropFirst().reduce(1, *)
        var outShape = shape
        outShape[0] = indices.count
        let n0 = shape[0]
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < n0, "gather index \(i) out of range 0..<\(n0)") // invariant: programmer misuse
                    for j in 0..<inner { out[k * inner + j] = src[i * inner + j] }
                }
            }
        }
    }

    // MARK: Raw storage

    /// Calls `body` with the contiguous storage.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the contiguous storage, writable in place (copies first if shared).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Replaces all elements, keeping the shape.
    public mutating func replaceScalars(_ newScalars: [Scalar]) {
        precondition(newScalars.count == count, "replaceScalars: \(newScalars.count) scalars for shape \(shape)") // invariant: programmer misuse
        scalars = newScalars
    }

    /// Makes `self` a tensor of `newShape` whose storage can be overwritten in place: the storage
    /// is kept when the element count is unchanged and no other tensor or array shares it;
    /// otherwise fresh storage is allocated *without* copying the old contents. Either way the
    /// contents are unspecified afterwards (fresh storage is not initialised), so the caller
    /// writes every element. Layers use this for output and gradient buffers they reuse across
    /// calls: a tensor returned earlier and still held by a caller keeps its values, because
    /// shared storage is never written.
    /// - Complexity: O(1) when the storage is reused, else one allocation.
    public mutating func resize(to newShape: [Int]) {
        precondition(newShape.allSatisfy { $0 >= 0 }, "resize to \(newShape)") // invariant: programmer misuse
        let n = newShape.reduce(1, *)
        if n != count || !isUniquelyReferenced() {
            scalars = [Scalar](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        }
        shape = newShape
    }

    /// `true` when no other tensor or array shares this tensor's storage, so that writing through
    /// `withUnsafeMutableBufferPointer` will not copy first.
    ///
    /// Swift arrays keep this answer to themselves; an `Array` is a single reference to its
    /// storage object, so the check reads that reference in place and asks
    /// `isKnownUniquelyReferenced` (the test `TensorStorageTests.uniquenessProbe` pins the
    /// layout assumption). When the layout differs, the answer is `false`, which is always safe:
    /// callers then allocate instead of writing in place. Unoptimised (debug) builds hand the
    /// probe a temporary copy of the array, so there it always answers `false`.
    public mutating func isUniquelyReferenced() -> Bool {
        guard MemoryLayout<[Scalar]>.size == MemoryLayout<AnyObject>.size else { return false }
        return withUnsafeMutablePointer(to: &scalars) { pointer in
            pointer.withMemoryRebound(to: AnyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
        }
    }

    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(shown)\(count > 8 ? ", …" : "")]"
    }
}
