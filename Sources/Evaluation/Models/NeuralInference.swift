// NeuralInference.swift — batched inference of a trained network on test inputs, and the timer
// of the cost probes (NeuralModel+CostProbe.swift).

import LinearAlgebra
import SequenceModels

enum NeuralInference {
    /// Steps per forward batch (memory bound for long sequences).
    static let batchSteps = 1 << 16

    /// The outputs of `model` in inference mode for each input (T_i, F): (T_i, O) per step, or
    /// (1, O) for pooled models. Inputs of equal length run together, in batches of at most
    /// `batchSteps` steps; `indicator` appends the all-ones validity channel of `MaskedMeanPooling`.
    static func run(_ model: any Layer<Float>, _ inputs: [Matrix], outputSize o: Int, indicator: Bool) -> [Matrix] {
        model.mode = .inference
        var results = [Matrix](repeating: Matrix(rows: 0, cols: o), count: inputs.count)
        var byLength: [Int: [Int]] = [:]
        for (i, x) in inputs.enumerated() { byLength[x.rows, default: []].append(i) }
        for (T, members) in byLength.sorted(by: { $0.key < $1.key }) where T > 0 {
            let chunk = max(1, batchSteps / T)
            for lo in stride(from: 0, to: members.count, by: chunk) {
                let batch = Array(members[lo..<min(lo + chunk, members.count)])
                let f = inputs[batch[0]].cols, width = indicator ? f + 1 : f
                let x = Tensor<Float>(shape: [batch.count, T, width]) { out in
                    for (b, i) in batch.enumerated() {
                        let src = inputs[i].elements
                        for t in 0..<T {
                            for j in 0..<f { out[(b * T + t) * width + j] = Float(src[t * f + j]) }
                            if indicator { out[(b * T + t) * width + f] = 1 }
                        }
                    }
                }
                let y = model.forward(x).scalars
                let rows = y.count / (batch.count * o)
                for (b, i) in batch.enumerated() {
                    results[i] = Matrix(rows: rows, cols: o, elements: y[(b * rows * o)..<((b + 1) * rows * o)].map(Double.init))
                }
            }
        }
        return results
    }

    /// Seconds of one call of `body`: the minimum over up to `repetitions` timed calls after one
    /// untimed warm-up call, stopping once about `budget` seconds are spent; when the warm-up
    /// alone takes over half the budget, its time is returned.
    static func time(budget: Double = 0.2, repetitions: Int = 5, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double {
            let (s, atto) = d.components
            return Double(s) + Double(atto) * 1e-18
        }
        let start = clock.now
        body()
        let warmup = seconds(clock.now - start)
        guard warmup <= budget / 2 else { return warmup }
        var best = Double.infinity
        for _ in 0..<repetitions {
            let t0 = clock.now
            body()
            let dt = seconds(clock.now - t0)
            best = min(best, dt)
            if seconds(clock.now - start) + dt > budget { break }
        }
        return best
    }
}
