// ScratchBuffer.swift — growable workspaces owned by a recurrent layer, and the copies between
// them and tensors (batch-major ↔ time-major).
//
// The recurrence reads and writes a dozen (time, batch, ·) arrays at pointer offsets in every
// step. Holding them as manually allocated buffers owned by a class (freed in `deinit`) keeps
// the time loops free of nested `withUnsafe…` closures and of copy-on-write checks; the pointers
// never leave the owning layer's methods. A buffer only grows: a call with the same or a
// smaller shape reuses it, so steady-state training allocates nothing here.

import LinearAlgebra

/// A zero-initialised array of `Scalar` that grows on demand (contents unspecified after `reserve`).
final class ScratchBuffer<Scalar: BLASScalar> {
    private(set) var pointer: UnsafeMutablePointer<Scalar>
    private(set) var capacity: Int

    init() {
        capacity = 0
        pointer = .allocate(capacity: 1)
        setToZero(pointer, count: 1)
    }

    deinit { pointer.deallocate() }

    /// A pointer to at least `count` elements; reallocates (losing the contents) when too small.
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            setToZero(pointer, count: count)
            capacity = count
        }
        return pointer
    }

    /// A pointer to `count` zeros.
    func zeroed(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let p = reserve(count)
        setToZero(p, count: count)
        return p
    }
}

/// Zeroes `count` scalars with one memset. (`update(repeating:count:)` on a generic scalar runs
/// element by element through witness tables when the caller is unspecialised, as every
/// caller from another module is; the all-zero bit pattern is 0 for Float and Double.)
func setToZero<S: BLASScalar>(_ p: UnsafeMutablePointer<S>, count: Int) {
    UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<S>.stride)
}

/// Copies `tensor` (which must hold `count` scalars) to `destination`.
func copyScalars<S: BLASScalar>(_ tensor: Tensor<S>, to destination: UnsafeMutablePointer<S>, count: Int) {
    precondition(tensor.count == count, "state tensor has \(tensor.count) scalars, expected \(count)") // invariant: shapes checked by caller
    tensor.withUnsafeBufferPointer { src in
        if count > 0 { destination.update(from: src.baseAddress!, count: count) }
    }
}

/// A tensor of `shape` copied from `source`.
func tensorCopy<S: BLASScalar>(_ source: UnsafePointer<S>, shape: [Int]) -> Tensor<S> {
    Tensor(shape: shape) { out in
        let n = out.count
        if n > 0 { out.baseAddress!.initialize(from: source, count: n) }
    }
}

/// `destination[t, b, ·] = source[b, t, ·]`: batch-major (batch, time, width) to time-major
/// (time, batch, width).
/// - Complexity: O(batch · time · width).
func copyBatchMajorToTimeMajor<S: NeuralScalar>(_ source: UnsafePointer<S>, _ destination: UnsafeMutablePointer<S>,
                                                batch: Int, time: Int, width: Int) {
    copyBlocks(source, destination, outer: batch, inner: time, width: width)
}

/// `destination[b, t, ·] = source[t, b, ·]`: time-major back to batch-major.
/// - Complexity: O(batch · time · width).
func copyTimeMajorToBatchMajor<S: NeuralScalar>(_ source: UnsafePointer<S>, _ destination: UnsafeMutablePointer<S>,
                                                batch: Int, time: Int, width: Int) {
    copyBlocks(source, destination, outer: time, inner: batch, width: width)
}

/// `destination[j, i, ·] = source[i, j, ·]` for i < outer, j < inner: swaps the two leading
/// axes of an (outer, inner, width) array, in a loop compiled for the concrete scalar type
/// (the engine's generic code would copy element by element through witness tables).
private func copyBlocks<S: NeuralScalar>(_ source: UnsafePointer<S>, _ destination: UnsafeMutablePointer<S>,
                                         outer: Int, inner: Int, width: Int) {
    if S.self == Float.self {
        return copyBlocksLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Float.self),
                              UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Float.self), outer: outer, inner: inner, width: width)
    }
    if S.self == Double.self {
        return copyBlocksLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Double.self),
                              UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Double.self), outer: outer, inner: inner, width: width)
    }
    copyBlocksLoop(source, destination, outer: outer, inner: inner, width: width)
}

@inline(__always)
private func copyBlocksLoop<S>(_ source: UnsafePointer<S>, _ destination: UnsafeMutablePointer<S>, outer: Int, inner: Int, width: Int) {
    for i in 0..<outer {
        for j in 0..<inner {
            let src = source + (i * inner + j) * width, dst = destination + (j * outer + i) * width
            for k in 0..<width { dst[k] = src[k] }
        }
    }
}
