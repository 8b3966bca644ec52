// SSMPairPartition.swift — the batch's pairs of sequences split over threads (`batchParallelism`
// of `SSMBlock` and `SSMModel`).
//
// The fused paths (SSMBlock+Fused.swift, SSMModel+Fused.swift) work one pair of sequences
// (b, b+1) at a time, and pairs never mix: each writes its own rows of the output, the input
// gradient and the per-row caches. With `batchParallelism = P` the ⌈B/2⌉ pairs form P' = min(P,
// ⌈B/2⌉) contiguous ranges of near-equal size (the LSTM's `RecurrentEngine.partitions` split, on
// pairs), one per lane; a lane is one thread's scratch plus its own accumulators for every
// parameter gradient a pair adds to (and the convolver's lane for its kernel-gradient spectra).
// After all lanes finish, their sums are added lane 0, 1, …, P'−1 in that order, so the result
// is deterministic for a given P and equals P = 1 up to the rounding of that regrouping. The
// kernel (Vandermonde sums and its spectrum) is built once before the lanes start and its
// gradient is formed once after they end, on the calling thread.

import Dispatch

enum SSMPairPartition {
    /// The ranges of pair indices (pair p holds sequences 2p and 2p+1) of each lane: `parallelism`
    /// (at most ⌈B/2⌉, at least 1) contiguous ranges of near-equal size.
    static func lanes(batch b: Int, parallelism: Int) -> [Range<Int>] {
        let pairs = (b + 1) / 2, count = Swift.max(1, Swift.min(parallelism, pairs))
        return (0..<count).map { (($0 * pairs) / count)..<((($0 + 1) * pairs) / count) }
    }

    /// Runs `body(lane, pairs)` for every lane, concurrently when there are several, and returns
    /// when all have finished.
    ///
    /// Safety: the bodies share the workspaces' pointers across threads. Every lane writes only
    /// its own pairs' rows and its own lane's scratch and sums, and reads parameters nobody writes
    /// during the call; `concurrentPerform` does not retain `body` past its return. That is what
    /// the unchecked `Sendable` box asserts (as in `RecurrentEngine.forEachPartition`).
    static func run(_ lanes: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
        if lanes.count == 1 { return body(0, lanes[0]) }
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: lanes.count) { shared.value($0, lanes[$0]) }
        }
    }

    /// dst[j] += Σ_lane src(lane)[j] for j < count, the lanes summed in order first.
    static func addSums<S: FloatingPoint>(_ sources: [UnsafeMutablePointer<S>], count: Int, into dst: UnsafeMutableBufferPointer<S>) {
        precondition(dst.count >= count, "SSMPairPartition.addSums: \(count) sums into \(dst.count)") // invariant: callers size the sums
        guard let first = sources.first else { return }
        for j in 0..<count {
            var s = first[j]
            for source in sources.dropFirst() { s += source[j] }
            dst[j] += s
        }
    }
}
