// NeuralModelTests.swift — the neural kinds as lab models: every kind on every task it
// supports returns predictions the scorer accepts, runs are reproducible from the seed, cost
// probes and kernel reports work, hyperparameters are range-checked, and a blown-up optimiser
// is reported as divergence.

import Baselines
import Testing
import Evaluation
import LinearAlgebra
import TestSupport

/// Collects progress lines.
final class Messages { var lines: [String] = [] }

@Suite struct NeuralModelTests {
    typealias P = NeuralTestProblems

    @Test func everyKindOnEveryTaskItSupportsIsScored() throws {
        let problems = try P.tiny()
        var runs = 0
        for kind in P.neuralKinds {
            for (name, problem) in problems {
                let model = try ModelFactory.make(P.spec(kind), for: problem)
                guard model.supports(problem.task) else {
                    #expect(kind == .lti && problem.task == .classification, "\(kind) should support \(name)")
                    continue
                }
                let messages = Messages()
                var context = FitContext(rng: SplitMix64(seed: 1)) { messages.lines.append($0) }
                let fitted = try ModelFactory.make(P.spec(kind), for: problem)
                let report = try fitted.fit(problem, context: &context)
                let prediction = try fitted.predict(problem)
                let scores = try Scoring.score(problem, prediction)
                #expect(!scores.isEmpty, "\(kind) on \(name): no metric")
                #expect(scores.allSatisfy { $0.1.isFinite }, "\(kind) on \(name): \(scores)")
                #expect(fitted.parameterCount > 0)
                #expect(report.trainLoss.count >= 1 && report.trainLoss.count <= 2 && report.trainLoss.allSatisfy(\.isFinite))
                #expect(report.validationLoss.count == report.trainLoss.count, "\(kind) on \(name): every problem here has a validation part")
                #expect(messages.lines.count == report.trainLoss.count && messages.lines.first?.hasPrefix("epoch 1/2 loss ") == true)
                runs += 1
            }
        }
        #expect(runs == P.neuralKinds.count * problems.count - 1)   // all but lti × classification
    }

    @Test func ltiDoesNotSupportClassification() throws {
        let model = try ModelFactory.make(P.spec(.lti), for: try P.classification(seed: 1))
        #expect(!model.supports(.classification))
        #expect(TaskKind.allCases.filter { model.supports($0) } == [.simulation, .prediction, .forecast, .sequence])
        var context = FitContext(rng: SplitMix64(seed: 0))
        #expect(throws: RunError.self) { try model.fit(try P.classification(seed: 1), context: &context) }
    }

    @Test func sameSeedGivesIdenticalPredictions() throws {
        // Bitwise equality is the contract (seeded init, shuffling and dropout; one BLAS thread
        // under `make test`), so == on the flattened predictions is intended here.
        let sim = try P.lti(length: 240)
        let recall = try P.tiny().first { $0.name == "recall" }!.problem
        for (kind, problem) in [(ModelKind.lstm, sim), (.ssm, sim), (.transformer, recall), (.tcn, sim), (.mlp, recall)] {
            let spec = P.spec(kind, ["dropout": .double(0.2)].filter { _ in kind.parameterSchema["dropout"] != nil })
            let a = P.flatten(try P.fitPredict(spec, problem, seed: 7).prediction)
            let b = P.flatten(try P.fitPredict(spec, problem, seed: 7).prediction)
            let c = P.flatten(try P.fitPredict(spec, problem, seed: 8).prediction)
            #expect(a == b, "\(kind): same seed, different predictions")
            if kind != .transformer && kind != .mlp {   // token argmax can coincide; real outputs cannot
                #expect(a != c, "\(kind): a different seed should give a different model")
            }
        }
    }

    @Test func costProbesAndKernels() throws {
        let sim = try P.lti(length: 240)
        for kind in P.neuralKinds {
            let (model, _, _) = try P.fitPredict(P.spec(kind), sim, seed: 2)
            let probe = try #require(model as? any InferenceCostProbe)
            let step = try probe.recurrentStepSeconds(sim), sequence = try probe.sequenceSeconds(sim)
            if kind == .transformer || kind == .tcn {
                #expect(step == nil)
            } else {
                #expect(step.map { $0 > 0 && $0 < 0.1 } == true, "\(kind): step \(String(describing: step))")
            }
            #expect(sequence.map { $0 > 0 && $0 < 1 } == true, "\(kind): sequence \(String(describing: sequence))")
            let kernels = (model as? any KernelReporting).map { try? $0.kernels(length: 50, limit: 3) } ?? nil
            switch kind {
            case .ssm:
                #expect(kernels?.count == 3 && kernels?.allSatisfy { $0.taps.count == 50 && $0.taps.allSatisfy(\.isFinite) } == true)
                #expect(kernels?.first?.name == "block1.ch1")
            case .lti:
                #expect(kernels?.map(\.name) == ["y1←u1"])
            default:
                #expect(kernels == nil, "\(kind) is not an LTI model")
            }
        }
    }

    @Test func ltiKernelIsTheModelsImpulseResponse() throws {
        guard case var .io(p) = try P.lti(length: 240) else { Issue.record("not an I/O problem"); return }
        let (model, _, _) = try P.fitPredict(P.spec(.lti), .io(p), seed: 3)
        let n = 40
        var impulse = Matrix(rows: n, cols: 1)
        impulse[0, 0] = 1
        p.test = [try IOSegment(inputs: impulse, outputs: Matrix(rows: n, cols: 1))]
        guard case let .io(y) = try model.predict(.io(p)) else { Issue.record("not an I/O prediction"); return }
        let h = try #require((model as? any KernelReporting)?.kernels(length: n, limit: 4).first)
        // Float training arithmetic (FFT convolution in Float) against the Double kernel.
        expectClose(y[0].elements, h.taps, rtol: 1e-4, atol: 1e-5)
    }

    @Test func transformerStitchesWindowsOnLongSegments() throws {
        // seq_len 32: a 48-step test segment runs as windows at 0 and 16, keeping rows 0..<32
        // of the first and 32..<48 of the second; each equals the same rows of a 32-step run.
        guard case var .io(p) = try P.lti(length: 240) else { Issue.record("not an I/O problem"); return }
        let (model, report, _) = try P.fitPredict(P.spec(.transformer), .io(p), seed: 4)
        #expect(report.chosen["seq_len"] == "32")
        let segment = try #require(p.test.first)
        #expect(segment.length == 48)
        func run(_ rows: Range<Int>) throws -> Matrix {
            p.test = [try IOSegment(inputs: segment.inputs.slicingRows(rows), outputs: segment.outputs.slicingRows(rows))]
            guard case let .io(y) = try model.predict(.io(p)) else { throw RunError.failed("not an I/O prediction") }
            return y[0]
        }
        let whole = try run(0..<48), first = try run(0..<32), second = try run(16..<48)
        // Batches of different composition: same arithmetic per sequence up to BLAS blocking.
        expectClose(whole.slicingRows(0..<32), first, rtol: 1e-5, atol: 1e-6)
        expectClose(whole.slicingRows(32..<48), second.slicingRows(16..<32), rtol: 1e-5, atol: 1e-6)
    }

    @Test func divergingTrainingIsReported() throws {
        let sim = try P.lti(length: 240)
        for kind in P.neuralKinds {
            let spec = P.spec(kind, ["lr": .double(1e3), "epochs": .int(5)])
            do {
                _ = try P.fitPredict(spec, sim, seed: 1)
                Issue.record("\(kind): lr 1e3 trained without an error")
            } catch let RunError.diverged(reason) {
                #expect(reason.hasPrefix(kind.rawValue + ": "))
            } catch {
                Issue.record("\(kind): \(error) is not a divergence")
            }
        }
    }

    @Test func hyperparametersAreRangeChecked() throws {
        let sim = try P.lti(length: 240)
        let defaults = NeuralSettings(kind: .ssm)
        #expect(defaults.hidden == 32 && defaults.layers == 2 && defaults.epochs == 20 && defaults.patience == 5)
        #expect(defaults.learningRate == 3e-3 && defaults.stateSpaceLearningRate == 1e-3 && defaults.batchSize == 16)
        #expect(defaults.sequenceLength == 128 && defaults.dropout == 0 && defaults.weightDecay == 0 && defaults.stateDimension == 32)
        #expect(NeuralSettings(kind: .lti).stateDimension == 8 && NeuralSettings(kind: .transformer).weightDecay == 0.01)
        #expect(NeuralSettings(kind: .mlp).order == 16 && NeuralSettings(kind: .tcn).kernelSize == 3 && NeuralSettings(kind: .transformer).heads == 2)
        let cases: [(ModelKind, String, ParameterValue, String)] = [
            (.lstm, "hidden", .int(0), "must be ≥ 1, found 0"),
            (.ssm, "state_dim", .int(5), "must be even for the SSM (N/2 complex-conjugate mode pairs), found 5"),
            (.transformer, "heads", .int(3), "3 heads do not divide hidden = 32"),
            (.mlp, "dropout", .double(1), "must be in [0, 1), found 1.0"),
            (.gru, "lr", .double(-1), "must be a positive number, found -1.0"),
        ]
        for (kind, key, value, reason) in cases {
            let spec = ModelSpec(file: "e.toml", name: "m", kind: kind, parameters: [key: value], line: 4, parameterLines: [key: 7])
            #expect(throws: ExperimentError.invalidValue(file: "e.toml", line: 7, key: key, table: "model 1 ('m')", reason: reason)) {
                try ModelFactory.make(spec, for: sim)
            }
        }
    }
}
