// NeuralLayout.swift — the shapes a problem gives a sequence network (input and output widths,
// training window, target kind, channel names) and its training and validation sequences.

import LinearAlgebra

/// How a problem maps onto a per-step network (see NeuralData.swift for the formulations).
struct NeuralLayout {
    var target: NeuralTarget
    /// F, input features per step (without the validity channel of label targets).
    var inputSize: Int
    /// O, outputs per step: outputs, H·channels (forecast) or classes.
    var outputSize: Int
    /// L, the training window (I/O and forecast); 0 when whole sequences are used.
    var window: Int
    /// Names of the input and output features (for kernel reports).
    var inputNames: [String]
    var outputNames: [String]

    /// The layout of `problem` with the training window `seq_len` bounded by the data.
    /// - Throws: `RunError.failed` when the training part has no usable sequence.
    init(_ problem: Problem, sequenceLength: Int) throws {
        switch problem {
        case let .io(p):
            target = .regression
            let ys = (0..<p.outputCount).map { "y\($0 + 1)" }
            inputNames = (0..<p.inputCount).map { "u\($0 + 1)" } + (p.task == .prediction ? ys.map { "\($0)[t−\(p.horizon)]" } : [])
            outputNames = ys
            inputSize = inputNames.count
            outputSize = p.outputCount
            window = min(sequenceLength, p.train.map(\.length).max() ?? 0)
        case let .forecast(p):
            target = .regression
            let xs = (0..<p.channelCount).map { "x\($0 + 1)" }
            inputNames = xs.map { "\($0)[t−1]" }
            outputNames = (0..<p.horizon).flatMap { h in xs.map { "\($0)[t+\(h)]" } }
            inputSize = p.channelCount
            outputSize = p.horizon * p.channelCount
            window = min(sequenceLength, p.train.map(NeuralData.forecastLength).max() ?? 0)
        case let .classification(p):
            target = .label
            inputNames = (0..<p.channelCount).map { "x\($0 + 1)" }
            outputNames = p.classes
            inputSize = p.channelCount
            outputSize = p.classes.count
            window = 0
            guard p.classes.count >= 2 else { throw RunError.failed("classification needs at least 2 classes, found \(p.classes.count)") }
        case let .sequence(p):
            target = p.classCount == nil ? .regression : .tokens
            inputNames = (0..<p.inputCount).map { "in\($0 + 1)" }
            outputSize = p.classCount ?? p.outputCount
            outputNames = (0..<outputSize).map { "out\($0 + 1)" }
            inputSize = p.inputCount
            window = 0
        }
        guard inputSize >= 1, outputSize >= 1 else {
            throw RunError.failed("the problem has \(inputSize) input and \(outputSize) output features per step; a network needs at least one of each")
        }
        if case .io = problem, window < 1 { throw RunError.failed("the training part has no segment") }
        if case .forecast = problem, window < 1 { throw RunError.failed("the training part has no range of at least 2 rows") }
    }

    /// The training (`validation: false`) or validation sequences of `problem`.
    func sequences(_ problem: Problem, validation: Bool) -> [ShapedSequence] {
        switch problem {
        case let .io(p): return NeuralData.ioSequences(validation ? p.validation : p.train, problem: p, window: window)
        case let .forecast(p): return NeuralData.forecastSequences(validation ? p.validation : p.train, problem: p, window: window)
        case let .classification(p): return NeuralData.classificationSequences(validation ? p.validation : p.train)
        case let .sequence(p): return NeuralData.sequenceSequences(validation ? p.validation : p.train, tokens: target == .tokens)
        }
    }
}
