// NeuralModel+CostProbe.swift — the inference cost columns of the neural models.
//
// Cost probes (`InferenceCostProbe`), on the first test input (I/O segment, forecast context,
// series or example), batch 1:
//   recurrentStepSeconds  seconds per step of step-by-step inference from a zero state over
//                         min(T, 256) steps: the recurrent cells of rnn/gru/lstm (plus the head),
//                         the SSM as a whole network of S4D cells, the dense LTI's cell, and for
//                         the MLP one lag-window shift plus one MLP evaluation. nil for the
//                         Transformer and the TCN (the core has no cached incremental decoding
//                         for them: a step would recompute the whole window).
//   sequenceSeconds       seconds to predict that whole input at once, as `predict` does:
//                         convolution mode for ssm and lti, the full forward for the others
//                         (the Transformer's sliding windows for long I/O segments).
// Each probe is the minimum over up to 5 timed calls after one untimed warm-up call, within
// about 0.2 s (a call slower than 0.1 s is timed once, warm-up included).

import LinearAlgebra
import SequenceModels

extension NeuralModel {
    /// The first test input of `problem` as the network reads it (features without the validity
    /// channel), or nil when the test part is empty.
    func firstTestInput(_ problem: Problem, _ f: Fitted) -> Matrix? {
        switch problem {
        case let .io(p): return p.test.first.map { NeuralData.ioFeatures($0, task: p.task, horizon: p.horizon) }
        case let .forecast(p): return forecastContexts(p, f).first
        case let .classification(p): return p.test.first?.values
        case let .sequence(p): return p.test.first?.inputs
        }
    }

    public func recurrentStepSeconds(_ problem: Problem) throws -> Double? {
        guard let f = fitted, let makeStepper = f.network.makeStepper, let x = firstTestInput(problem, f), x.rows > 0,
              x.cols == f.layout.inputSize else { return nil }
        let n = min(x.rows, 256)
        let steps = (0..<n).map { t in Tensor<Float>(shape: [1, x.cols], scalars: x.row(t).map(Float.init)) }
        f.model.mode = .inference
        let step = makeStepper()
        return NeuralInference.time { for s in steps { step(s) } } / Double(n)
    }

    public func sequenceSeconds(_ problem: Problem) throws -> Double? {
        guard let f = fitted, let x = firstTestInput(problem, f), x.rows > 0, x.cols == f.layout.inputSize else { return nil }
        if case .io = problem { return NeuralInference.time { _ = runSegment(x, f) } }
        let pooled = f.layout.target == .label
        return NeuralInference.time { _ = NeuralInference.run(f.model, [x], outputSize: f.layout.outputSize, indicator: pooled) }
    }
}
