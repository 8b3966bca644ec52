// BenchCommand.swift — the peers' workloads, printed as the peers' JSON lines.

import ArgumentParser
import Foundation
import LabBench
import StateSpaceLab

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks on the workloads of ../shared/peers (same data, shapes and JSON fields).",
        discussion: """
        Prints one JSON line per (workload, params, peer) on stdout, peer named sslab:<method>;
        append them to the peers' results and run `bench_peers.py --summarize` to compare.
        Example: sslab bench -w lti_scan --scan-N 64 --scan-L 1e5
        """)

    @Option(name: [.short, .customLong("workloads")], help: "Comma list of workloads: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workloads: String = BenchWorkload.allCases.map(\.rawValue).joined(separator: ",")
    @Option(name: .customLong("scan-N"), help: "SISO state sizes for lti_scan.") var scanN: LengthList?
    @Option(name: .customLong("scan-L"), help: "Lengths for lti_scan.") var scanL: LengthList?
    @Option(name: .customLong("kernel-N"), help: "SISO state sizes for lti_kernel.") var kernelN: LengthList?
    @Option(name: .customLong("kernel-L"), help: "Lengths for lti_kernel.") var kernelL: LengthList?
    @Option(help: "Extra MIMO systems N:m:p, comma-separated (empty string: none).") var mimo: String?
    @Option(name: .customLong("fft-L"), help: "Single-channel lengths for fft_conv.") var fftL: LengthList?
    @Option(name: .customLong("fft-batch"), help: "Batched fft_conv cases CHANNELSxL, comma-separated.") var fftBatch: String?
    @Option(name: .customLong("ssm-hidden"), help: "Widths H for ssm_step.") var ssmHidden: LengthList?
    @Option(name: .customLong("ssm-L"), help: "Training lengths for ssm_step.") var ssmL: LengthList?
    @Option(name: .customLong("ssm-step-L"), help: "Recurrent-mode lengths for ssm_step.") var ssmStepL: LengthList?
    @Option(name: .customLong("lstm-hidden"), help: "Hidden sizes for lstm_step.") var lstmHidden: LengthList?
    @Option(name: .customLong("lstm-seq"), help: "Sequence lengths for lstm_step (the peers' --lstm-seq; default 128), one run each.") var lstmSeq: LengthList?
    @Option(name: .customLong("attn-T"), help: "Sequence lengths for attention.") var attnT: LengthList?
    @Option(name: .customLong("attn-heads"), help: "Head counts for attention.") var attnHeads: LengthList?
    @Option(help: "Only peers whose name contains one of these (comma list).") var peers: String?
    @Option(help: "Skip cases predicted to take longer than this per run (s).") var maxSingle: Double = 15
    @Flag(help: "Small shapes and few runs: a smoke test.") var quick = false
    @Option(name: [.short, .long], help: "Also write the JSON lines to FILE (atomically, at the end).") var output: String?

    func run() throws {
        var names: [BenchWorkload] = []
        for w in workloads.split(separator: ",").map(String.init) {
            guard let b = BenchWorkload(rawValue: w) else {
                throw ValidationError("unknown workload '\(w)'; valid: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            names.append(b)
        }
        var opts = BenchOptions()
        if quick {
            opts.scanN = [4, 64]; opts.scanL = [1000, 10_000]; opts.kernelN = [4, 64]; opts.kernelL = [1000, 10_000]
            opts.mimo = []; opts.fftL = [1 << 10, 1 << 14]; opts.fftBatch = []; opts.policy = .quick
            opts.ssmHidden = [32]; opts.ssmL = [256, 1024]; opts.ssmStepL = [1000, 10_000]
            opts.attnT = [256]
        }
        if let v = scanN?.values { opts.scanN = v }
        if let v = scanL?.values { opts.scanL = v }
        if let v = kernelN?.values { opts.kernelN = v }
        if let v = kernelL?.values { opts.kernelL = v }
        if let v = fftL?.values { opts.fftL = v }
        if let v = ssmHidden?.values { opts.ssmHidden = v }
        if let v = ssmL?.values { opts.ssmL = v }
        if let v = ssmStepL?.values { opts.ssmStepL = v }
        if let v = lstmHidden?.values { opts.lstmHidden = v }
        let lstmLengths = lstmSeq?.values ?? [opts.lstmSeq]
        if let bad = lstmLengths.first(where: { $0 < 1 }) { throw ValidationError("--lstm-seq lengths must be ≥ 1, got \(bad)") }
        if let v = attnT?.values { opts.attnT = v }
        if let v = attnHeads?.values { opts.attnHeads = v }
        if let mimo { opts.mimo = try parseTriples(mimo) }
        if let fftBatch { opts.fftBatch = try parsePairs(fftBatch) }
        if let peers { opts.peers = peers.split(separator: ",").map(String.init) }
        opts.maxSingle = maxSingle
        for n in opts.scanN + opts.kernelN + opts.mimo.map(\.0) where n % 2 != 0 || n == 0 {
            throw ValidationError("state sizes must be even and positive (the peers' make_system), got \(n)")
        }
        var lines: [String] = []
        let emit: (JSONValue) -> Void = { value in
            let line = value.text
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            lines.append(line)
        }
        for w in names {
            if w == .lstmStep {
                for length in lstmLengths {
                    var o = opts
                    o.lstmSeq = length
                    try w.run(o, emit: emit)
                }
            } else {
                try w.run(opts, emit: emit)
            }
        }
        if let output { try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: output) }
    }

    func parseTriples(_ s: String) throws -> [(Int, Int, Int)] {
        try s.split(separator: ",").map { spec in
            let parts = spec.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 3, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--mimo expects N:m:p triples, got '\(spec)'") }
            return (parts[0], parts[1], parts[2])
        }
    }

    func parsePairs(_ s: String) throws -> [(Int, Int)] {
        try s.split(separator: ",").map { spec in
            let parts = spec.split(separator: "x").map(String.init)
            guard parts.count == 2, let c = Int(parts[0]), c > 0, let l = NumberList.parse(parts[1]), l >= 1, l == l.rounded() else {
                throw ValidationError("--fft-batch expects CHANNELSxL pairs, got '\(spec)'")
            }
            return (c, Int(l))
        }
    }
}
