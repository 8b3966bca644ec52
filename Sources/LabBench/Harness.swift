// Harness.swift — timing with the method of ../shared/peers/bench_peers.py, so figures are
// comparable line for line:
//   one untimed warm-up call, then repeat until ≥ 5 runs and ≥ 1 s elapsed, or 30 runs, or the
//   next run would pass the 6 s cap; report the median, with min and max; `other_load` is the
//   number of CPU cores other processes used meanwhile (from /proc/stat minus this process's
//   CPU time) — ≥ 0.3 means the figure is contaminated.

import Foundation
import Reports

/// Timing settings (the peers' defaults).
public struct TimingPolicy: Sendable {
    public var minRuns = 5
    public var maxRuns = 30
    public var targetSeconds = 1.0
    public var capSeconds = 6.0
    public var warmup = true
    public init() {}
    /// A quick policy for smoke tests and the demo (≥ 3 runs, ≥ 0.2 s).
    public static var quick: TimingPolicy {
        var p = TimingPolicy(); p.minRuns = 3; p.targetSeconds = 0.2; p.capSeconds = 2; return p
    }
}

/// Median and spread of repeated timings.
public struct Timing: Sendable {
    public let median: Double, min: Double, max: Double, runs: Int
    /// Cores used by other processes during the measurement (nil when unavailable).
    public let otherLoad: Double?
}

/// Monotonic seconds.
@inline(__always) public func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// (wall, machine busy CPU-seconds, own CPU-seconds).
func cpuSnapshot() -> (wall: Double, busy: Double?, own: Double) {
    var busy: Double? = nil
    if let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let first = text.split(separator: "\n").first {
        let v = first.split(separator: " ").dropFirst().compactMap { Double($0) }
        if v.count >= 5 {
            let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
            let idle = v[3] + v[4]
            busy = (v.prefix(8).reduce(0, +) - idle) / hz
        }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let own = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    return (now(), busy, own)
}

func otherLoad(_ s0: (wall: Double, busy: Double?, own: Double), _ s1: (wall: Double, busy: Double?, own: Double)) -> Double? {
    guard let b0 = s0.busy, let b1 = s1.busy, s1.wall - s0.wall >= 0.05 else { return nil }
    let v = Swift.max(0, ((b1 - b0) - (s1.own - s0.own)) / (s1.wall - s0.wall))
    return (v * 100).rounded() / 100
}

/// The 1-minute load average.
func loadAverage1() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    return text.split(separator: " ").first.flatMap { Double($0) }
}

/// Times `body` with `policy`; `body` is called once untimed first when `policy.warmup`.
public func measure(_ policy: TimingPolicy = TimingPolicy(), _ body: () throws -> Void) rethrows -> Timing {
    let s0 = cpuSnapshot()
    if policy.warmup { try body() }
    var times: [Double] = []
    let begin = now()
    while true {
        let t0 = now()
        try body()
        let dt = now() - t0
        times.append(dt)
        let elapsed = now() - begin
        if times.count >= policy.maxRuns { break }
        if times.count >= policy.minRuns && elapsed >= policy.targetSeconds { break }
        if elapsed + dt > policy.capSeconds { break }
    }
    let sorted = times.sorted()
    let mid = sorted.count / 2
    let median = sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
    return Timing(median: median, min: sorted.first!, max: sorted.last!, runs: times.count, otherLoad: otherLoad(s0, cpuSnapshot()))
}

/// One benchmark result line in the peers' format.
public struct BenchRecord: Sendable {
    public var workload: String
    public var params: [(String, JSONValue)]
    public var peer: String
    public var timing: Timing
    /// Work items per call (steps, taps, samples, sequences) for the throughput field.
    public var units: Double
    public var unit: String
    public var extra: [(String, JSONValue)]

    public init(workload: String, params: [(String, JSONValue)], peer: String, timing: Timing, units: Double, unit: String, extra: [(String, JSONValue)] = []) {
        self.workload = workload; self.params = params; self.peer = peer; self.timing = timing
        self.units = units; self.unit = unit; self.extra = extra
    }

    public var json: JSONValue {
        var ex: [(String, JSONValue)] = [("min_s", .number(timing.min)), ("max_s", .number(timing.max)),
                                         ("other_load", timing.otherLoad.map { .number($0) } ?? .null)]
        ex += extra
        if let la = loadAverage1() { ex.append(("loadavg1", .number(la))) }
        return .object([("workload", .string(workload)), ("params", .object(params)), ("peer", .string(peer)),
                        ("median_s", .number(timing.median)), ("runs", .integer(timing.runs)),
                        ("throughput", .number(units / timing.median)), ("throughput_unit", .string(unit)),
                        ("extra", .object(ex))])
    }
}
