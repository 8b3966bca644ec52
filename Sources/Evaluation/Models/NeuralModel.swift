// NeuralModel.swift — one `LabModel` adapter for every neural kind: build the kind's network
// (NeuralNetwork.swift), shape the task into windows (NeuralData.swift), train with the core's
// `Trainer`, predict the test part.
//
// Training. Adam with decoupled weight decay (AdamW; with weight_decay 0 it is Adam), learning
// rate `lr`; the state-space parameters (S4D's Λ and log Δ, the dense LTI's A) form their own
// group with learning rate 1e-3 and no weight decay, as S4 trains them; biases and LayerNorm
// parameters are not decayed either (as GPT-2 and nanoGPT train). Each epoch is one
// `Trainer.fit` call of one epoch (seeded shuffling from the run's generator), so this adapter
// can report progress and keep the learning curve: after each epoch the validation loss
// (training loss when there is no validation part) is compared with the best so far, the best
// weights are kept, training stops after `patience` epochs without improvement, and the best
// weights are restored at the end.
//
// Divergence. A non-finite loss or gradient (the trainer stops) or an epoch whose training loss
// exceeds 1e4 × max(1, initial loss) throws `RunError.diverged`; targets are normalised, so an
// untrained network's loss is of order 1 and such a loss means the optimiser has blown up.
//
// Prediction (inference mode, batch of equal-length inputs, zero initial state):
//   I/O          each whole test segment at once; the Transformer, for segments longer than
//                its training window L, runs windows of L steps at stride L/2 and keeps each
//                window's second half (the first window: all of it), so every prediction sees
//                between L/2 and L steps, as in training (where mid-segment windows mask ⌊L/4⌋)
//   forecast     at origin o, the context rows max(record start, o − c) ..< o with
//                c = `context` of the dataset, else L (the Transformer: at most L); the last
//                step's outputs are the H values
//   classification the argmax of the mean-pooled logits of the whole series
//   sequence     per-step outputs (logits for token tasks) of the whole example

import Foundation
import LinearAlgebra
import SequenceModels

/// A neural kind as a lab model. `StateSpaceNeuralModel` adds kernel reports for ssm and lti.
public class NeuralModel: LabModel, InferenceCostProbe {
    public let kind: NeuralKind
    public let settings: NeuralSettings
    /// The training loss above this multiple of max(1, initial loss) counts as divergence.
    static let divergenceFactor = 1e4

    struct Fitted {
        let network: NeuralNetwork
        /// The trained layer: the network, or the network under masked mean pooling (labels).
        let model: any Layer<Float>
        let layout: NeuralLayout
    }
    var fitted: Fitted?

    public init(kind: NeuralKind, settings: NeuralSettings) {
        self.kind = kind
        self.settings = settings
    }

    public var parameterCount: Int { fitted?.model.parameterCount ?? 0 }

    /// Every task, except classification for `lti`: the time mean of an LTI system's output is
    /// (up to edge terms) its DC gain times the input mean, so it cannot tell series apart by shape.
    public func supports(_ task: TaskKind) -> Bool { !(kind == .lti && task == .classification) }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        guard supports(problem.task) else { throw RunError.incompatible("\(kind.rawValue) does not support task '\(problem.task.rawValue)'") }
        let layout = try NeuralLayout(problem, sequenceLength: settings.sequenceLength)
        guard let training = try NeuralData.dataset(layout.sequences(problem, validation: false), target: layout.target) else {
            throw RunError.failed("\(kind.rawValue): the training part yields no sequence with a scored step")
        }
        let validation = try NeuralData.dataset(layout.sequences(problem, validation: true), target: layout.target)
        let network = try NeuralNetworkBuilder.make(kind, settings, inputSize: layout.inputSize, outputSize: layout.outputSize,
                                                    inputNames: layout.inputNames, outputNames: layout.outputNames, rng: &context.rng)
        let model: any Layer<Float> = layout.target == .label
            ? MaskedMeanPooling(body: network.layer, featureCount: layout.inputSize) : network.layer
        if settings.weightDecay > 0 {
            for named in model.namedParameters where named.parameter.group == .default {
                let parts = named.name.split(separator: ".")
                if parts.last?.hasPrefix("bias") == true || (parts.count >= 2 && parts[parts.count - 2].hasPrefix("norm")) {
                    named.parameter.group = .noWeightDecay
                }
            }
        }
        let optimizer = Adam<Float>(parameters: model.parameters, learningRate: settings.learningRate,
                                    weightDecay: settings.weightDecay, decoupledWeightDecay: true)
        var report = layout.target == .regression
            ? try train(model, optimizer, MeanSquaredError(), training, validation, &context)
            : try train(model, optimizer, SoftmaxCrossEntropy(), training, validation, &context)
        if layout.window > 0 { report.chosen["seq_len"] = String(layout.window) }
        fitted = Fitted(network: network, model: model, layout: layout)
        return report
    }

    /// The epoch loop (see the file comment).
    private func train<L: Loss>(_ model: any Layer<Float>, _ optimizer: Adam<Float>, _ loss: L, _ training: SequenceDataset<Float>,
                                _ validation: SequenceDataset<Float>?, _ context: inout FitContext) throws -> FitReport {
        var config = TrainingConfiguration()
        config.epochs = 1
        config.batchSize = settings.batchSize
        config.patience = nil
        config.restoreBest = false
        config.progress = .never
        var trainer = Trainer(configuration: config)
        let name = kind.rawValue
        func failure(_ e: TrainingError) -> RunError {
            switch e {
            case .nonFiniteLoss, .nonFiniteGradient: return .diverged("\(name): \(e)")
            case .invalidConfiguration, .invalidData: return .failed("\(name): \(e)")
            }
        }
        let initial: Double
        do { initial = try trainer.evaluate(model, loss: loss, on: training) } catch { throw failure(error) }
        guard initial.isFinite else { throw RunError.diverged("\(name): the untrained network's loss is \(initial)") }
        var report = FitReport()
        var best = model.parameterValues(), bestLoss = Double.infinity, bestEpoch = 0, sinceBest = 0
        for epoch in 1...settings.epochs {
            trainer.configuration.seed = context.rng.next()
            let history: TrainingHistory
            do { history = try trainer.fit(model, optimizer: optimizer, loss: loss, training: training, validation: validation) } catch {
                throw failure(error)
            }
            guard let record = history.epochs.first else { throw RunError.failed("\(name): the trainer ran no epoch") }
            report.trainLoss.append(record.trainingLoss)
            if let v = record.validationLoss { report.validationLoss.append(v) }
            if record.trainingLoss > Self.divergenceFactor * max(1, initial) {
                throw RunError.diverged("\(name): training loss \(record.trainingLoss) at epoch \(epoch), initially \(initial)")
            }
            let monitored = record.validationLoss ?? record.trainingLoss
            if monitored < bestLoss {
                best = model.parameterValues()
                bestLoss = monitored
                bestEpoch = epoch
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            var line = "epoch \(epoch)/\(settings.epochs) loss \(Self.short(record.trainingLoss))"
            if let v = record.validationLoss { line += " val \(Self.short(v))" }
            context.progress(line)
            if sinceBest >= settings.patience { break }
        }
        model.setParameterValues(best)
        model.mode = .inference
        report.chosen["best_epoch"] = String(bestEpoch)
        report.chosen["epochs_run"] = String(report.trainLoss.count)
        return report
    }

    static func short(_ x: Double) -> String { String(format: "%.4g", x) }

    public func predict(_ problem: Problem) throws -> Prediction {
        guard let f = fitted else { throw RunError.failed("\(kind.rawValue): predict called before fit") }
        let layout = try NeuralLayout(problem, sequenceLength: settings.sequenceLength)
        guard layout.inputSize == f.layout.inputSize, layout.outputSize == f.layout.outputSize, layout.target == f.layout.target else {
            throw RunError.failed("\(kind.rawValue): the problem's shapes differ from the one the model was fitted on")
        }
        switch problem {
        case let .io(p):
            return .io(p.test.map { runSegment(NeuralData.ioFeatures($0, task: p.task, horizon: p.horizon), f) })
        case let .forecast(p):
            let inputs = forecastContexts(p, f)
            let outputs = NeuralInference.run(f.model, inputs, outputSize: f.layout.outputSize, indicator: false)
            return .forecast(outputs.map { y in
                Matrix(rows: p.horizon, cols: p.channelCount, elements: y.slicingRows((y.rows - 1)..<y.rows).elements)
            })
        case let .classification(p):
            if let i = p.test.firstIndex(where: { $0.values.rows == 0 }) { throw RunError.failed("test series \(i + 1) has no steps") }
            let logits = NeuralInference.run(f.model, p.test.map(\.values), outputSize: f.layout.outputSize, indicator: true)
            return .classification(logits.map { Scoring.argmax($0.row(0)) })
        case let .sequence(p):
            return .sequence(NeuralInference.run(f.model, p.test.map(\.inputs), outputSize: f.layout.outputSize, indicator: false))
        }
    }

    /// The forecast context of every test origin (see the file comment).
    func forecastContexts(_ p: ForecastProblem, _ f: Fitted) -> [Matrix] {
        var c = p.context ?? f.layout.window
        if f.network.boundedContext { c = min(c, f.layout.window) }
        return p.testOrigins.map { o in p.series.slicingRows(max(p.recordStart[o], o - max(c, 1))..<o) }
    }

    /// Outputs (T, O) of one I/O test segment from a zero state (windowed for bounded context).
    func runSegment(_ x: Matrix, _ f: Fitted) -> Matrix {
        let L = f.layout.window, T = x.rows
        guard f.network.boundedContext, T > L else {
            return NeuralInference.run(f.model, [x], outputSize: f.layout.outputSize, indicator: false)[0]
        }
        let starts = NeuralData.windowStarts(count: T, window: L, stride: max(L / 2, 1))
        let outputs = NeuralInference.run(f.model, starts.map { x.slicingRows($0..<($0 + L)) }, outputSize: f.layout.outputSize, indicator: false)
        var y = Matrix(rows: T, cols: f.layout.outputSize)
        var covered = 0
        for (s, out) in zip(starts, outputs) {
            for t in covered..<(s + L) { for j in 0..<y.cols { y[t, j] = out[t - s, j] } }
            covered = s + L
        }
        return y
    }
}

/// `NeuralModel` for the kinds that are (banks of) LTI systems: ssm and lti.
public final class StateSpaceNeuralModel: NeuralModel, KernelReporting {
    /// ssm: the first block's channels ("block1.ch3"), impulse response with the skip D at tap 0;
    /// lti: one kernel per (output, input) pair ("y1←u1"), h[0] = D, h[k] = C A^(k−1) B.
    public func kernels(length: Int, limit: Int) throws -> [(name: String, taps: [Double])] {
        guard let f = fitted, let k = f.network.kernels else { return [] }
        return k(length, limit)
    }
}
