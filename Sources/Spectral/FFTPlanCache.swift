// FFTPlanCache.swift — a thread-safe cache of FFTW plans, so repeated calls never re-plan.
//
// Planning a transform costs microseconds (FFTW_ESTIMATE) to seconds (FFTW_MEASURE) and, before
// this cache, about 369 mallocs per convolution call (SWIFT-NOTES, Gotcha 6). Plans are immutable
// and execute with FFTW's thread-safe new-array functions, so one cached plan serves every thread.

import Synchronization

/// A plan of either precision, as the cache stores it.
protocol AnyFFTPlan: AnyObject, Sendable {}

extension FFTPlan: AnyFFTPlan {}

/// A process-wide cache of `FFTPlan`s keyed by (kind, length, batch, precision, rigor).
///
/// Lookups take a short lock on the dictionary only; a missing plan is made outside that lock
/// (under FFTW's planner lock), so a long `FFTW_MEASURE` planning never blocks lookups of other
/// plans. If two threads plan the same key at once, the first one stored wins and the other plan
/// is destroyed. Plans live until `removeAll()` (or process exit).
public final class FFTPlanCache: Sendable {
    /// What identifies a plan.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public var kind: FFTKind
        public var length: Int
        public var batch: Int
        public var precision: FFTPrecision
        public var rigor: FFTPlanningRigor

        public init(kind: FFTKind, length: Int, batch: Int, precision: FFTPrecision, rigor: FFTPlanningRigor) {
            self.kind = kind
            self.length = length
            self.batch = batch
            self.precision = precision
            self.rigor = rigor
        }

        public var description: String { "\(kind) n=\(length) batch=\(batch) \(precision) \(rigor)" }
    }

    private let plans = Mutex<[Key: any AnyFFTPlan]>([:])
    private let plannedCount = Atomic<Int>(0)

    /// The cache used by every Spectral function that does not own its plans.
    public static let shared = FFTPlanCache()

    public init() {}

    /// The cached plan for this key, planning it on first use.
    /// - Complexity: one dictionary lookup under a lock when cached.
    public func plan<Scalar: FFTScalar>(_ kind: FFTKind, length: Int, batch: Int = 1,
                                        rigor: FFTPlanningRigor = .estimate,
                                        as scalar: Scalar.Type = Scalar.self) -> FFTPlan<Scalar> {
        let key = Key(kind: kind, length: length, batch: batch, precision: Scalar.fftPrecision, rigor: rigor)
        if let found: FFTPlan<Scalar> = lookup(key) { return found }
        let made = FFTPlan<Scalar>(kind, length: length, batch: batch, rigor: rigor)
        plannedCount.add(1, ordering: .relaxed)
        var winner: (any AnyFFTPlan)?
        plans.withLock { table in
            if let existing = table[key] {
                winner = existing
            } else {
                table[key] = made
                winner = made
            }
        }
        guard let plan = winner as? FFTPlan<Scalar> else {
            preconditionFailure("FFTPlanCache: entry for \(key) has the wrong type") // invariant: the key's precision fixes the type
        }
        return plan
    }

    private func lookup<Scalar: FFTScalar>(_ key: Key) -> FFTPlan<Scalar>? {
        var found: (any AnyFFTPlan)?
        plans.withLock { table in found = table[key] }
        return found.map { entry in
            guard let plan = entry as? FFTPlan<Scalar> else {
                preconditionFailure("FFTPlanCache: entry for \(key) has the wrong type") // invariant: the key's precision fixes the type
            }
            return plan
        }
    }

    /// Number of plans held.
    public var count: Int {
        var n = 0
        plans.withLock { table in n = table.count }
        return n
    }

    /// How many times this cache has called the planner (for tests: a cached call adds nothing).
    public var planningCount: Int { plannedCount.load(ordering: .relaxed) }

    /// The keys of the plans held.
    public var keys: [Key] {
        var result: [Key] = []
        plans.withLock { table in result = Array(table.keys) }
        return result
    }

    /// Drops every cached plan (each is destroyed once no one else holds it).
    public func removeAll() {
        var dropped: [any AnyFFTPlan] = []
        plans.withLock { table in
            dropped = Array(table.values)
            table.removeAll()
        }
        dropped.removeAll()   // destroy outside the cache lock (destruction takes the planner lock)
    }
}
