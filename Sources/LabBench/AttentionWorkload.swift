// AttentionWorkload.swift — the peers' `attention` workload (README section e): causal
// self-attention with fused QKV and output projections, no biases, float32, loss mean(out²).
//
//   x = U(31, B·T·d) (B, T, d);  Wqkv = U(32, d·3d) (d, 3d) / √d;  Wo = U(33, d·d) (d, d) / √d
//   mode=fwd+bwd  timed: forward + loss + backward to ∂x, ∂Wqkv, ∂Wo (gradients zeroed first,
//                 as torch sets .grad = None inside its timed call)
//   mode=fwd      timed: forward only
// Peer name `sslab:attention` (the blocked kernel). Threads: `params.threads` is the BLAS thread
// count on entry (the budget, 2 = nproc by default, like torch's 2). With a budget above 1 the
// (sequence, head) items run concurrently on Dispatch's pool and OpenBLAS is set to 1 thread
// for the workload (restored afterwards): OpenBLAS's idle workers spin in sched_yield for a
// while after each threaded call and then compete with the Dispatch workers for the 2 cores
// (measured: T = 256 fwd+bwd 4.4–5.5 ms with 2 BLAS threads against 3.7 ms with 1; equal at
// T = 1024). `extra.blas_threads` records the setting.

import LinearAlgebra
import Reports
import SequenceModels

public enum AttentionWorkload {
    /// The peers' `attn_flops`: projections plus the full (non-causal) T² work of QKᵀ and PV.
    static func flops(batch: Int, time: Int, width d: Int) -> Double {
        let projections = 2.0 * Double(batch * time * d * 3 * d) + 2.0 * Double(batch * time * d * d)
        return projections + 4.0 * Double(batch) * Double(time) * Double(time) * Double(d)
    }

    /// Runs `attention`; each finished case is passed to `emit` as one JSON line value.
    public static func run(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        let peer = "sslab:attention"
        guard opts.wants(peer) else { return }
        let batch = opts.attnBatch, d = opts.attnD, threads = BLAS.threads
        let blasThreads = 1
        if threads != blasThreads { BLAS.setThreads(blasThreads) }
        defer { if threads != blasThreads { BLAS.setThreads(threads) } }
        for time in opts.attnT {
            for heads in opts.attnHeads where heads > 0 && d % heads == 0 {
                let scale = 1 / Double(d).squareRoot()
                let x = Tensor<Float>(shape: [batch, time, d], scalars: PeerData.uniform(31, batch * time * d).map { Float($0) })
                var rng = SplitMix64(seed: 0)
                let layer = CausalSelfAttention<Float>(modelSize: d, heads: heads, bias: false, using: &rng)
                layer.qkvWeight.value = Tensor(shape: [d, 3 * d], scalars: PeerData.uniform(32, d * 3 * d).map { Float($0 * scale) })
                layer.outputWeight.value = Tensor(shape: [d, d], scalars: PeerData.uniform(33, d * d).map { Float($0 * scale) })
                layer.runsConcurrently = threads > 1
                let base: [(String, JSONValue)] = [
                    ("batch", .integer(batch)), ("seq_len", .integer(time)), ("d_model", .integer(d)),
                    ("heads", .integer(heads)), ("d_head", .integer(d / heads)), ("causal", .bool(true)),
                    ("qkv_proj", .bool(true)), ("out_proj", .bool(true)), ("bias", .bool(false)),
                    ("loss", "mean(out^2)"), ("dtype", "float32"), ("threads", .integer(threads)),
                ]
                let fl = flops(batch: batch, time: time, width: d)
                let algorithm: JSONValue = .string("\(layer.algorithm)")

                var loss = 0.0
                let train = measure(opts.policy) {
                    layer.zeroGradients()
                    let y = layer.forward(x)
                    let n = Float(y.count)
                    loss = Double(y.squaredNorm() / n)
                    let dy = Tensor(shape: y.shape, scalars: y.scalars.map { 2 * $0 / n })
                    _ = layer.backward(dy)
                }
                emit(BenchRecord(workload: "attention", params: base + [("mode", "fwd+bwd")], peer: peer, timing: train,
                                 units: Double(batch), unit: "seq/s",
                                 extra: [("gflop_est", .number(3 * fl / 1e9)), ("loss", .number(loss)), ("kernel", algorithm),
                                         ("blas_threads", .integer(blasThreads))]).json)

                let infer = measure(opts.policy) { _ = layer.forward(x) }
                emit(BenchRecord(workload: "attention", params: base + [("mode", "fwd")], peer: peer, timing: infer,
                                 units: Double(batch), unit: "seq/s",
                                 extra: [("gflop_est", .number(fl / 1e9)), ("kernel", algorithm), ("blas_threads", .integer(blasThreads))]).json)
            }
        }
    }
}
