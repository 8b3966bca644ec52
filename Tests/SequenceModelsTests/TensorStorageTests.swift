// TensorStorageTests.swift — storage sharing: the uniqueness probe, resize, and in-place
// arithmetic on shared storage. The invariant throughout: a tensor a caller holds never changes
// behind its back (LayerBufferTests checks the same for layers that reuse their buffers).

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct TensorStorageTests {
    /// `isUniquelyReferenced` reads the array's storage reference in place; this pins the layout
    /// assumption it makes (one reference per array) and the answers it gives.
    @Test func uniquenessProbe() {
        // (Storage built at run time: a literal's array may be a statically allocated constant,
        // which never counts as unique — a safe answer, just not the one tested here.)
        var a = Tensor<Float>(shape: [3], repeating: 2)
        let fresh = a.isUniquelyReferenced()
        var b: Tensor<Float>? = a
        let whileCopied = a.isUniquelyReferenced()
        let copyWhileShared = b!.isUniquelyReferenced()
        b = nil
        let afterRelease = a.isUniquelyReferenced()
        let scalars = a.scalars
        let whileArrayHeld = a.isUniquelyReferenced()
        // Safety: shared storage must never be reported unique (else a holder would see writes).
        #expect(!whileCopied && !copyWhileShared && !whileArrayHeld)
        // Usefulness: unshared storage is reported unique, so buffers are reused. Only in
        // optimised builds: unoptimised code passes a temporary copy of the array to the probe,
        // which then always answers "shared" (safe: layers allocate instead of reusing).
        #if !DEBUG
        #expect(fresh)
        #expect(afterRelease)
        #else
        _ = (fresh, afterRelease)
        #endif
        #expect(scalars.count == 3)
        var empty = Tensor<Double>(shape: [0])
        _ = empty.isUniquelyReferenced()                  // any answer is safe for empty storage
    }

    @Test func resizeNeverWritesSharedStorage() {
        var buffer = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let held = buffer
        buffer.resize(to: [3, 2])
        buffer.fill(7)
        #expect(buffer.shape == [3, 2])
        expectClose(held.scalars, [1, 2, 3, 4, 5, 6], rtol: 0, atol: 0, "held copy")
        expectClose(buffer.scalars, [7, 7, 7, 7, 7, 7], rtol: 0, atol: 0, "buffer")
        buffer.resize(to: [4])
        #expect(buffer.count == 4)
    }

    @Test func inPlaceArithmeticOnSharedStorage() {
        var a = Tensor<Double>(shape: [4], scalars: [1, 2, 3, 4])
        let b = Tensor<Double>(shape: [4], scalars: [10, 20, 30, 40])
        let held = a
        a += b
        expectClose(a.scalars, [11, 22, 33, 44], rtol: 0, atol: 0, "a + b")
        expectClose(held.scalars, [1, 2, 3, 4], rtol: 0, atol: 0, "held copy of a")
        a *= 2
        a += 1
        expectClose(a.scalars, [23, 45, 67, 89], rtol: 0, atol: 0, "(a + b) 2 + 1")
        var c = a
        c.add(lastAxis: Tensor(shape: [4], scalars: [1, 1, 1, 1]))
        expectClose(a.scalars, [23, 45, 67, 89], rtol: 0, atol: 0, "a after c += 1")
        var d = b
        d += d                                            // both operands are the same storage
        expectClose(d.scalars, [20, 40, 60, 80], rtol: 0, atol: 0, "d + d")
        var sum = Tensor<Double>(shape: [0])
        Tensor.add(a, b, into: &sum)
        expectClose(sum.scalars, [33, 65, 97, 129], rtol: 0, atol: 0, "add(into:)")
    }
}
