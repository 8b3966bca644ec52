// ParallelWork.swift — independent work items spread over the cores.
//
// Attention runs one work item per (sequence, head) pair; each item writes a disjoint part of
// the output and of the gradients, and computes in a fixed order, so results are bitwise
// identical whether the items run concurrently or one after another. Items call BLAS only on
// blocks small enough that OpenBLAS runs them in the calling thread (its level-3 routines go
// multithreaded above m·n·k = 2¹⁸), so the two levels of threading do not fight.
// Kernels that hand raw pointers to the items are `@unchecked Sendable` for that reason: each
// item touches only its own rows and columns, and the caller waits for all of them.

import Dispatch

enum ParallelWork {
    /// Calls `body(i)` for `i in 0..<count`, concurrently on Dispatch's pool when `concurrent`
    /// and there is more than one item, else in order on the calling thread.
    static func forEach(_ count: Int, concurrent: Bool, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        if concurrent && count > 1 {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        } else {
            for i in 0..<count { body(i) }
        }
    }
}
