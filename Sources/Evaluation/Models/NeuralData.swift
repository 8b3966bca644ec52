// NeuralData.swift — how each task is presented to a sequence network: per-step inputs,
// per-step targets and per-step loss weights, cut into training windows and padded into the
// (batch, time, ·) tensors the core's trainer reads.
//
//   simulation    inputs u[t] → targets y[t]
//   prediction    inputs [u[t], y[t−k]] (y delayed by the horizon k, zero before the segment
//                 start) → targets y[t]
//   forecast      input x[t−1] → the H values x[t] … x[t+H−1] (direct multi-horizon); steps
//                 whose targets run past the end of their range carry weight 0
//   classification the series → its label (the network mean-pools over valid steps)
//   sequence      the example's per-step inputs → per-step targets (token ids or values),
//                 weight 1 at the task's scored steps only
//
// Windows (I/O and forecast). A sequence of n steps is cut into windows of L = seq_len steps
// (bounded by the longest training sequence) starting at 0, L/2, L, … with the last one ending
// at n, so consecutive windows overlap by half; a window never crosses a segment or range. Every
// window starts from a zero state. I/O windows mask the first steps of the loss as state
// warm-up: a window at the start of its segment masks s = warmup steps (prediction: max(warmup,
// k)), as the test scoring skips them; a window starting mid-segment masks max(s, ⌊L/4⌋), since
// its true state there is not zero. Forecast windows mask nothing: at test time the model also
// starts from a zero state at the start of its context window. Shorter sequences become one
// window, zero-padded at the end with weight 0 (causal networks never see the padding from
// earlier steps).

import Baselines
import LinearAlgebra
import SequenceModels

/// What the network is trained to produce.
enum NeuralTarget: Equatable {
    /// Real values per step, mean squared error.
    case regression
    /// A class id per step, softmax cross-entropy on the step's `outputSize` logits.
    case tokens
    /// One class per sequence, softmax cross-entropy on mean-pooled logits.
    case label
}

/// One training sequence.
struct ShapedSequence {
    /// (T, F).
    var inputs: Matrix
    /// (T, O) values (regression), (T, 1) class ids (tokens), (1, 1) class id (label).
    var targets: Matrix
    /// (T) loss weight per step (unused for labels).
    var weights: [Double]
}

enum NeuralData {
    /// Per-step inputs of an I/O segment: u (simulation) or [u, y delayed by k] (prediction).
    static func ioFeatures(_ seg: IOSegment, task: TaskKind, horizon k: Int) -> Matrix {
        guard task == .prediction else { return seg.inputs }
        let m = seg.inputs.cols, p = seg.outputs.cols, n = seg.length
        var x = Matrix(rows: n, cols: m + p)
        for t in 0..<n {
            for i in 0..<m { x[t, i] = seg.inputs[t, i] }
            if t >= k { for j in 0..<p { x[t, m + j] = seg.outputs[t - k, j] } }
        }
        return x
    }

    /// Steps of an I/O segment not counted by the test scoring (and masked at a segment start).
    static func ioSkip(_ p: IOProblem) -> Int { p.task == .prediction ? max(p.warmup, p.horizon) : p.warmup }

    /// Training windows of the I/O segments `segments` (see the file comment).
    static func ioSequences(_ segments: [IOSegment], problem p: IOProblem, window L: Int) -> [ShapedSequence] {
        let skip = ioSkip(p)
        return segments.flatMap { seg in
            cut(ShapedSequence(inputs: ioFeatures(seg, task: p.task, horizon: p.horizon), targets: seg.outputs,
                               weights: [Double](repeating: 1, count: seg.length)),
                window: L, startMask: skip, midMask: max(skip, L / 4))
        }
    }

    /// Training windows of the forecast ranges `ranges` (see the file comment).
    static func forecastSequences(_ ranges: [Range<Int>], problem p: ForecastProblem, window L: Int) -> [ShapedSequence] {
        let c = p.channelCount, h = p.horizon
        var out: [ShapedSequence] = []
        for r in ranges where r.count >= 2 {
            let n = r.count - 1                     // positions t = a + 1 ..< b
            var x = Matrix(rows: n, cols: c), y = Matrix(rows: n, cols: h * c)
            var w = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let t = r.lowerBound + 1 + i
                for j in 0..<c { x[i, j] = p.series[t - 1, j] }
                guard t + h <= r.upperBound else { continue }
                w[i] = 1
                for s in 0..<h { for j in 0..<c { y[i, s * c + j] = p.series[t + s, j] } }
            }
            out += cut(ShapedSequence(inputs: x, targets: y, weights: w), window: L, startMask: 0, midMask: 0)
        }
        return out
    }

    /// The length of the forecast sequence a range yields (its rows minus one).
    static func forecastLength(_ r: Range<Int>) -> Int { max(r.count - 1, 0) }

    /// Labelled series as sequences.
    static func classificationSequences(_ examples: [ClassificationProblem.Example]) -> [ShapedSequence] {
        examples.map { ShapedSequence(inputs: $0.values, targets: Matrix(rows: 1, cols: 1, elements: [Double($0.label)]), weights: []) }
    }

    /// Long-range task examples as sequences: token ids (token tasks) or values, weight 1 at the
    /// scored steps.
    static func sequenceSequences(_ examples: [SequenceExample], tokens: Bool) -> [ShapedSequence] {
        examples.map { ex in
            var targets = ex.targets
            if tokens {
                let ids = ex.targetTokens ?? (0..<ex.targets.rows).map { Scoring.argmax(ex.targets.row($0)) }
                targets = Matrix(rows: ids.count, cols: 1, elements: ids.map(Double.init))
            }
            return ShapedSequence(inputs: ex.inputs, targets: targets, weights: ex.scored.map { $0 ? 1 : 0 })
        }
    }

    /// Window starts over n steps: 0, s, 2s, … below n − L, then n − L (one window when n ≤ L).
    static func windowStarts(count n: Int, window L: Int, stride s: Int) -> [Int] {
        guard n > L else { return [0] }
        var starts = Array(stride(from: 0, to: n - L, by: max(s, 1)))
        if starts.last != n - L { starts.append(n - L) }
        return starts
    }

    /// Cuts a sequence into windows of L steps with stride ⌈L/2⌉, zeroing the first `startMask`
    /// weights of the window at 0 and `midMask` of the others; drops windows with no weight.
    static func cut(_ s: ShapedSequence, window L: Int, startMask: Int, midMask: Int) -> [ShapedSequence] {
        let n = s.inputs.rows
        var out: [ShapedSequence] = []
        for start in windowStarts(count: n, window: L, stride: (L + 1) / 2) {
            let rows = start..<min(start + L, n)
            var w = Array(s.weights[rows])
            for i in 0..<min(start == 0 ? startMask : midMask, w.count) { w[i] = 0 }
            guard w.contains(where: { $0 > 0 }) else { continue }
            out.append(ShapedSequence(inputs: s.inputs.slicingRows(rows), targets: s.targets.slicingRows(rows), weights: w))
        }
        return out
    }

    /// The padded dataset of `sequences` (nil when there are none): inputs (N, T, F), plus a
    /// validity channel (1 on real steps, 0 on padding) for labels; targets (N, T, O), (N, T)
    /// ids or (N) labels; mask (N, T) of the weights (nil for labels).
    static func dataset(_ sequences: [ShapedSequence], target: NeuralTarget) throws -> SequenceDataset<Float>? {
        guard let first = sequences.first else { return nil }
        let n = sequences.count, T = sequences.map(\.inputs.rows).max() ?? 0
        guard T > 0 else { throw RunError.failed("every sequence of the part is empty") }
        let f = first.inputs.cols, width = target == .label ? f + 1 : f, o = first.targets.cols
        var x = [Float](repeating: 0, count: n * T * width)
        var mask = [Float](repeating: 0, count: n * T)
        var y = [Float](repeating: 0, count: target == .label ? n : n * T * o)
        for (b, s) in sequences.enumerated() {
            for t in 0..<s.inputs.rows {
                for j in 0..<f { x[(b * T + t) * width + j] = Float(s.inputs[t, j]) }
                if target == .label { x[(b * T + t) * width + f] = 1 }
            }
            switch target {
            case .label:
                y[b] = Float(s.targets[0, 0])
            case .regression, .tokens:
                for t in 0..<s.targets.rows {
                    for j in 0..<o { y[(b * T + t) * o + j] = Float(s.targets[t, j]) }
                    mask[b * T + t] = Float(s.weights[t])
                }
            }
        }
        let targetShape: [Int]
        switch target {
        case .label: targetShape = [n]
        case .tokens: targetShape = [n, T]
        case .regression: targetShape = [n, T, o]
        }
        do {
            return try SequenceDataset(inputs: Tensor(shape: [n, T, width], scalars: x), targets: Tensor(shape: targetShape, scalars: y),
                                       mask: target == .label ? nil : Tensor(shape: [n, T], scalars: mask))
        } catch {
            throw RunError.failed("could not build the training tensors: \(error)")
        }
    }
}
