// LSTMWorkload.swift — the peers' `lstm_step` workload (README section d): same shapes, data,
// params and JSON fields, peer name `sslab:lstm`.
//
//   model  LSTM(1, H) (one layer, PyTorch gate order and biases) + Linear(H, 1) at every step
//   data   x = U(21, B·T) as Float, shape (B, T, 1); y_t = 0.5 x_t + 0.5 x_{t−1}, x_{−1} = 0
//   train  timed: zero grads + forward + MSE + backward + Adam(lr 1e-3, β 0.9/0.999, ε 1e-8) step
//   infer  timed: forward of LSTM + head only
//
// Weights use PyTorch's initialisation (U(±1/√H)) from SplitMix64(0); the peers note that the
// values do not affect the timing. `params.threads` is the OpenBLAS thread count on entry (the
// budget, 2 = nproc by default, like torch's 2 intra-op threads); the LSTM splits its batch
// over that many threads (`batchParallelism`), so the run uses as many cores as torch. OpenBLAS
// itself is set to 1 thread for the workload (restored afterwards; `extra.blas_threads`): its
// only calls here are the head's tiny products, and after a threaded call its idle workers
// spin in sched_yield and take a core from the LSTM's partition threads (measured with perf:
// a third of the samples of a 2-thread H = 32 run in the spinning OpenBLAS thread).

import LinearAlgebra
import Reports
import SequenceModels

public enum LSTMWorkload {
    /// The peers' input and target, (B, T, 1) each.
    static func data(batch: Int, time: Int) -> (x: Tensor<Float>, y: Tensor<Float>) {
        let x = PeerData.uniform(21, batch * time).map { Float($0) }
        var y = [Float](repeating: 0, count: batch * time)
        for b in 0..<batch {
            for t in 0..<time {
                let previous: Float = t > 0 ? x[b * time + t - 1] : 0
                y[b * time + t] = 0.5 * x[b * time + t] + 0.5 * previous
            }
        }
        return (Tensor(shape: [batch, time, 1], scalars: x), Tensor(shape: [batch, time, 1], scalars: y))
    }

    /// The peers' `lstm_flops`: forward B·T·(2·4H(I+H) + 12H) + B·T·2H, training 3× forward.
    static func flops(batch: Int, time: Int, input: Int, hidden h: Int) -> (forward: Double, train: Double) {
        let forward = Double(batch * time * (2 * 4 * h * (input + h) + 12 * h) + batch * time * 2 * h)
        return (forward, 3 * forward)
    }

    /// Runs `lstm_step` for every hidden size in `opts.lstmHidden`, training then inference.
    public static func run(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        let peer = "sslab:lstm"
        guard opts.wants(peer) else { return }
        let batch = opts.lstmBatch, time = opts.lstmSeq, threads = BLAS.threads
        let blasThreads = 1
        if threads != blasThreads { BLAS.setThreads(blasThreads) }
        defer { if threads != blasThreads { BLAS.setThreads(threads) } }
        let (x, y) = data(batch: batch, time: time)
        for hidden in opts.lstmHidden {
            let (forwardFlops, trainFlops) = flops(batch: batch, time: time, input: 1, hidden: hidden)
            let base: [(String, JSONValue)] = [("batch", .integer(batch)), ("seq_len", .integer(time)), ("input", 1),
                                               ("hidden", .integer(hidden)), ("layers", 1), ("head", "Linear(H,1) per step"),
                                               ("loss", "MSE"), ("opt", "Adam(lr=1e-3)"), ("dtype", "float32"),
                                               ("threads", .integer(threads))]
            var rng = SplitMix64(seed: 0)
            let lstm = LSTM<Float>(inputSize: 1, hiddenSize: hidden, initialization: .pytorch, using: &rng)
            lstm.batchParallelism = threads
            let head = Linear<Float>(inputSize: hidden, outputSize: 1, using: &rng)
            let model = Sequential<Float>([lstm, head])
            let adam = Adam(parameters: model.parameters, learningRate: 1e-3)
            let mse = MeanSquaredError()

            var firstLoss: Double? = nil
            let train = try measure(opts.policy) {
                adam.zeroGradients()
                let loss = try mse.evaluate(model.forward(x), y)
                _ = model.backward(loss.gradient)
                adam.step()
                if firstLoss == nil { firstLoss = loss.value }
            }
            emit(BenchRecord(workload: "lstm_step", params: base + [("mode", "train")], peer: peer, timing: train,
                             units: Double(batch), unit: "seq/s",
                             extra: [("gflop_per_step_est", .number(trainFlops / 1e9)), ("loss", .number(firstLoss ?? .nan)),
                                     ("blas_threads", .integer(blasThreads))]).json)

            model.mode = .inference
            var checksum = 0.0
            let infer = measure(opts.policy) { checksum = Double(model.forward(x).sum()) }
            emit(BenchRecord(workload: "lstm_step", params: base + [("mode", "infer")], peer: peer, timing: infer,
                             units: Double(batch), unit: "seq/s",
                             extra: [("gflop_per_step_est", .number(forwardFlops / 1e9)), ("checksum", .number(checksum)),
                                     ("blas_threads", .integer(blasThreads))]).json)
        }
    }
}
