// LTIWorkloads.swift — the peers' `lti_scan` and `lti_kernel` workloads (README sections a, b):
// same systems, inputs, shapes, params and JSON fields, peer names `sslab:<method>`.
//
//   lti_scan    x_0 = 0, y_k = C x_k + D u_k, x_{k+1} = A x_k + B u_k; timed: u → y
//   lti_kernel  K[k] = C A^k B, k < L (the Markov parameters); timed: (A, B, C) → K,
//               including any eigendecomposition

import LinearAlgebra
import Reports
import StateSpace

/// Shapes and limits shared by the workloads (defaults are the peers' defaults).
public struct BenchOptions: Sendable {
    public var scanN = [4, 16, 64, 256]
    public var scanL = [1000, 10_000, 100_000, 1_000_000]
    public var kernelN = [4, 64, 256]
    public var kernelL = [1000, 10_000, 100_000, 1_000_000]
    /// Extra MIMO systems (N, m, p).
    public var mimo: [(Int, Int, Int)] = [(64, 4, 4)]
    public var fftL = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20]
    /// Batched cases (channels, L).
    public var fftBatch: [(Int, Int)] = [(64, 1 << 14)]
    /// `ssm_step`: widths H (the LSTM workload's hidden sizes), training lengths, recurrent lengths.
    public var ssmHidden = [32, 128]
    public var ssmL = [256, 512, 1024, 2048, 4096]
    public var ssmStepL = [1000, 10_000, 100_000]
    /// lstm_step: hidden sizes, batch, sequence length (the peers' defaults).
    public var lstmHidden = [32, 128]
    public var lstmBatch = 32
    public var lstmSeq = 128
    /// `attention`: sequence lengths, head counts, model width and batch.
    public var attnT = [256, 1024]
    public var attnHeads = [1, 4]
    public var attnD = 64
    public var attnBatch = 8
    /// `ridge`: rows n, features d, and the α of the normal-equation peers.
    public var ridgeN = 100_000
    public var ridgeD = 64
    public var ridgeAlpha = 1.0
    /// Keep only peers whose name contains one of these (empty: all).
    public var peers: [String] = []
    /// Skip a case predicted to take longer than this per run (s).
    public var maxSingle = 15.0
    public var policy = TimingPolicy()
    public init() {}

    func wants(_ peer: String) -> Bool { peers.isEmpty || peers.contains { peer.contains($0) } }
}

/// Predicts a case's time from the same peer's previous (smaller) case, scaling by cost.
struct SkipPredictor {
    var history: [String: (cost: Double, seconds: Double)] = [:]
    func predict(_ key: String, cost: Double) -> Double? {
        guard let h = history[key], h.cost > 0 else { return nil }
        return h.seconds * cost / h.cost
    }
    mutating func record(_ key: String, cost: Double, seconds: Double) { history[key] = (cost, seconds) }
}

/// A record for a case that was not run.
func skippedRecord(_ workload: String, _ params: [(String, JSONValue)], _ peer: String, unit: String, reason: String, predicted: Double?) -> JSONValue {
    var extra: [(String, JSONValue)] = []
    if let predicted { extra.append(("predicted_s", .number((predicted * 1e4).rounded() / 1e4))) }
    return .object([("workload", .string(workload)), ("params", .object(params)), ("peer", .string(peer)),
                    ("median_s", .null), ("runs", .integer(0)), ("throughput", .null), ("throughput_unit", .string(unit)),
                    ("skipped", .string(reason)), ("extra", .object(extra))])
}

func relErr(_ a: [Double], _ b: [Double]) -> Double {
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) { num = Swift.max(num, Swift.abs(x - y)); den = Swift.max(den, Swift.abs(y)) }
    return den > 0 ? num / den : num
}

public enum LTIWorkloads {
    static func systems(_ ns: [Int], _ opts: BenchOptions) -> [(Int, Int, Int)] {
        ns.map { ($0, 1, 1) } + opts.mimo
    }

    /// Runs `lti_scan`; each finished case is passed to `emit` as one JSON line value.
    public static func scan(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        var predictor = SkipPredictor()
        for (n, m, p) in systems(opts.scanN, opts) {
            let sys = try PeerData.system(n: n, m: m, p: p)
            for steps in opts.scanL {
                let u = PeerData.scanInput(steps: steps, inputs: m)
                let params: [(String, JSONValue)] = [("N", .integer(n)), ("m", .integer(m)), ("p", .integer(p)), ("L", .integer(steps)), ("dtype", "float64")]
                var reference: [Double]? = nil
                for mode in [SimulationMode.recurrent, .modal, .fft] {
                    let peer = "sslab:\(mode.rawValue)"
                    guard opts.wants(peer) else { continue }
                    let key = "\(peer) \(n) \(m) \(p)"
                    let cost = Double(steps) * (mode == .fft ? Double(m * p) * Swift.max(1, Double(steps).squareRoot()) : 1)
                    if let pred = predictor.predict(key, cost: cost), pred > opts.maxSingle {
                        emit(skippedRecord("lti_scan", params, peer, unit: "steps/s", reason: "predicted \(String(format: "%.1f", pred)) s per run > --max-single \(opts.maxSingle) s", predicted: pred))
                        continue
                    }
                    var y = Matrix(rows: 0, cols: 0)
                    let t = try measure(opts.policy) { y = try sys.simulate(u, mode: mode).outputs }
                    predictor.record(key, cost: cost, seconds: t.median)
                    var extra: [(String, JSONValue)] = [("checksum", .number(y.elements.reduce(0, +))), ("y_last", .number(y[steps - 1, 0]))]
                    if let r = reference { extra.append(("rel_err_vs_sslab:recurrent", .number(relErr(y.elements, r)))) } else if mode == .recurrent { reference = y.elements }
                    emit(BenchRecord(workload: "lti_scan", params: params, peer: peer, timing: t, units: Double(steps), unit: "steps/s", extra: extra).json)
                }
            }
        }
    }

    /// Runs `lti_kernel`.
    public static func kernel(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        var predictor = SkipPredictor()
        for (n, m, p) in systems(opts.kernelN, opts) {
            let sys = try PeerData.system(n: n, m: m, p: p)
            for taps in opts.kernelL {
                let params: [(String, JSONValue)] = [("N", .integer(n)), ("m", .integer(m)), ("p", .integer(p)), ("L", .integer(taps)), ("dtype", "float64")]
                var reference: [Double]? = nil
                for method in [KernelMethod.power, .doubling, .diagonal] {
                    let peer = "sslab:\(method.rawValue)"
                    guard opts.wants(peer) else { continue }
                    let key = "\(peer) \(n) \(m) \(p)"
                    if let pred = predictor.predict(key, cost: Double(taps)), pred > opts.maxSingle {
                        emit(skippedRecord("lti_kernel", params, peer, unit: "taps/s", reason: "predicted \(String(format: "%.1f", pred)) s per run > --max-single \(opts.maxSingle) s", predicted: pred))
                        continue
                    }
                    var k: Kernel? = nil
                    let t = try measure(opts.policy) { k = try sys.markovParameters(count: taps, method: method) }
                    predictor.record(key, cost: Double(taps), seconds: t.median)
                    let values = k!.values
                    var extra: [(String, JSONValue)] = [("checksum", .number(values.reduce(0, +))), ("K0", .number(values[0])),
                                                        ("K_last", .number(values[(taps - 1) * m * p])), ("method_used", .string(k!.method.rawValue))]
                    if let r = reference { extra.append(("rel_err_vs_sslab:power", .number(relErr(values, r)))) } else if method == .power { reference = values }
                    emit(BenchRecord(workload: "lti_kernel", params: params, peer: peer, timing: t, units: Double(taps), unit: "taps/s", extra: extra).json)
                }
            }
        }
    }
}
