// SSMWorkload.swift — `ssm_step`: the S4D model's training step in convolution mode beside the
// peers' `lstm_step`, and the recurrent (inference) cost per step.
//
// Shapes follow `lstm_step` (../shared/peers/README.md, section d) so the two can be read side by
// side: batch 32, input 1, hidden H ∈ {32, 128} (the SSM's width H, i.e. its channel count),
// float32, data x = U(21, 32·L) reshaped (32, L, 1), target y_t = 0.5 x_t + 0.5 x_{t−1}, MSE,
// Adam(lr 1e-3). The lengths run 256 … 4096 (the LSTM peers default to 128; run
// `bench_peers.py -w lstm_step --lstm-seq L` for the same L). The model is `SSMModel`: input
// Linear(1, H), one S4D block (N = 64, i.e. 32 complex modes per channel, GLU mixing), LayerNorm,
// head Linear(H, 1) at every step.
//
//   mode=train      timed: zero grads + forward + MSE + backward + Adam step      (sequences/s)
//   mode=infer      timed: convolution-mode forward only, inference mode           (sequences/s)
//   mode=layer      timed: the S4D layer alone, forward + backward on x = U(21, 32·L·H) shaped
//                   (32, L, H) — the SSM operator without the block's LayerNorm, GELU and GLU
//                   mixing, to set beside an LSTM layer of the same width     (sequences/s)
//   mode=recurrent  timed: the same model as an RNN (`SSMModel.recurrentCell()`), batch 1, over
//                   L steps from the zero state; `extra.per_step_s` = median / L   (steps/s)
//                   peer "sslab:ssm"; the bare S4D layer's cell alone is peer "sslab:s4d-cell".
// The per-step cost of the recurrent mode is O(H·P + H²) whatever L is, so `per_step_s` should
// stay flat across L = 1e3, 1e4, 1e5.
//
// Threads, as in `lstm_step` (LSTMWorkload.swift): `params.threads` is the OpenBLAS thread count
// on entry (the budget, 2 = nproc by default); the train, infer and layer modes run with
// OpenBLAS at 1 thread (restored afterwards; `extra.blas_threads`), and the model splits its
// batch's pairs of sequences over `threads` threads (`SSMModel.batchParallelism`). The bare S4D
// layer (mode=layer) has no batch split and runs on one thread (`params.threads` = 1); the
// recurrent mode (batch 1) runs with OpenBLAS at the budget as before.

import LinearAlgebra
import Reports
import SequenceModels

public enum SSMWorkload {
    static func data(batch: Int, length: Int) -> (x: Tensor<Float>, y: Tensor<Float>) {
        let u = PeerData.uniform(21, batch * length).map { Float($0) }
        var target = [Float](repeating: 0, count: batch * length)
        for b in 0..<batch {
            for t in 0..<length { target[b * length + t] = 0.5 * u[b * length + t] + (t > 0 ? 0.5 * u[b * length + t - 1] : 0) }
        }
        return (Tensor(shape: [batch, length, 1], scalars: u), Tensor(shape: [batch, length, 1], scalars: target))
    }

    static func configuration(hidden: Int) -> SSMModelConfiguration {
        SSMModelConfiguration(inputSize: 1, outputSize: 1, width: hidden, depth: 1, stateSize: 64)
    }

    static func base(hidden: Int, length: Int, batch: Int, threads: Int = BLAS.threads) -> [(String, JSONValue)] {
        [("batch", .integer(batch)), ("seq_len", .integer(length)), ("input", .integer(1)), ("hidden", .integer(hidden)),
         ("state", .integer(64)), ("layers", .integer(1)), ("head", "Linear(H,1) per step"), ("loss", "MSE"),
         ("opt", "Adam(lr=1e-3)"), ("dtype", "float32"), ("threads", .integer(threads))]
    }

    /// Runs `ssm_step`; each finished case is passed to `emit` as one JSON line value.
    public static func run(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        let peer = "sslab:ssm"
        let batch = 32
        if opts.wants(peer) {
            try convolutionModes(opts, peer: peer, batch: batch, emit: emit)
        }
        try recurrent(opts, emit: emit)
    }

    /// Modes train, infer and layer, with OpenBLAS at one thread and the model's batch split over
    /// the thread budget (see the file header).
    static func convolutionModes(_ opts: BenchOptions, peer: String, batch: Int, emit: (JSONValue) -> Void) throws {
        let threads = BLAS.threads, blasThreads = 1
        if threads != blasThreads { BLAS.setThreads(blasThreads) }
        defer { if threads != blasThreads { BLAS.setThreads(threads) } }
        let blasExtra: (String, JSONValue) = ("blas_threads", .integer(blasThreads))
        func base(hidden: Int, length: Int, batch: Int) -> [(String, JSONValue)] {
            SSMWorkload.base(hidden: hidden, length: length, batch: batch, threads: threads)
        }
        for hidden in opts.ssmHidden {
            for length in opts.ssmL {
                let model = try SSMModel<Float>(configuration: configuration(hidden: hidden), seed: 0)
                model.batchParallelism = threads
                let adam = Adam(parameters: model.parameters, learningRate: 1e-3)
                let (x, y) = data(batch: batch, length: length)
                var firstLoss: Double? = nil
                let train = try measure(opts.policy) {
                    adam.zeroGradients()
                    let result = try MeanSquaredError().evaluate(model.forward(x), y, mask: nil)
                    _ = model.backward(result.gradient)
                    adam.step()
                    if firstLoss == nil { firstLoss = result.value }
                }
                emit(BenchRecord(workload: "ssm_step", params: base(hidden: hidden, length: length, batch: batch) + [("mode", "train")],
                                 peer: peer, timing: train, units: Double(batch), unit: "seq/s", extra: [("loss", .number(firstLoss ?? .nan)), blasExtra]).json)
                model.mode = .inference
                var checksum = 0.0
                let infer = measure(opts.policy) { checksum = Double(model.forward(x).sum()) }
                emit(BenchRecord(workload: "ssm_step", params: base(hidden: hidden, length: length, batch: batch) + [("mode", "infer")],
                                 peer: peer, timing: infer, units: Double(batch), unit: "seq/s", extra: [("checksum", .number(checksum)), blasExtra]).json)
                let layer = model.blocks[0].ssm
                layer.mode = .training
                let u = Tensor<Float>(shape: [batch, length, hidden], scalars: PeerData.uniform(21, batch * length * hidden).map { Float($0) })
                let alone = measure(opts.policy) {
                    layer.zeroGradients()
                    _ = layer.backward(layer.forward(u))
                }
                var params = SSMWorkload.base(hidden: hidden, length: length, batch: batch, threads: 1) + [("mode", "layer")]   // one thread
                params.removeAll { ["opt", "loss", "head"].contains($0.0) }
                emit(BenchRecord(workload: "ssm_step", params: params, peer: peer, timing: alone, units: Double(batch), unit: "seq/s",
                                 extra: [blasExtra]).json)
            }
        }
    }

    /// The recurrent mode: time per step at growing L, whole model and bare S4D cell, batch 1.
    static func recurrent(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        var predictor = SkipPredictor()
        for hidden in opts.ssmHidden {
            let model = try SSMModel<Float>(configuration: configuration(hidden: hidden), seed: 0)
            model.mode = .inference
            let modelCell = model.recurrentCell()
            let layerCell = model.blocks[0].ssm.recurrentCell()
            for length in opts.ssmStepL {
                let u = PeerData.uniform(21, length).map { Float($0) }
                for (peer, width) in [("sslab:ssm", 1), ("sslab:s4d-cell", hidden)] {
                    guard opts.wants(peer) else { continue }
                    var params = base(hidden: hidden, length: length, batch: 1) + [("mode", "recurrent")]
                    params.removeAll { ["opt", "loss"].contains($0.0) }
                    let key = "\(peer) \(hidden)"
                    if let pred = predictor.predict(key, cost: Double(length)), pred > opts.maxSingle {
                        emit(skippedRecord("ssm_step", params, peer, unit: "steps/s",
                                           reason: "predicted \(pred) s per run > --max-single \(opts.maxSingle) s", predicted: pred))
                        continue
                    }
                    // One input tensor per step, built outside the timing.
                    let steps = (0..<length).map { t in Tensor<Float>(shape: [1, width], repeating: u[t]) }
                    var last: Float = 0
                    let timing: Timing
                    if width == 1 {
                        timing = measure(opts.policy) {
                            var state = modelCell.zeroState(batch: 1)
                            for x in steps { modelCell.step(x, state: &state) }
                            last = state.output[flat: 0]
                        }
                    } else {
                        timing = measure(opts.policy) {
                            var state = layerCell.zeroState(batch: 1)
                            for x in steps { layerCell.step(x, state: &state) }
                            last = state.output[flat: 0]
                        }
                    }
                    predictor.record(key, cost: Double(length), seconds: timing.median)
                    emit(BenchRecord(workload: "ssm_step", params: params, peer: peer, timing: timing, units: Double(length), unit: "steps/s",
                                     extra: [("per_step_s", .number(timing.median / Double(length))), ("y_last", .number(Double(last)))]).json)
                }
            }
        }
    }
}
