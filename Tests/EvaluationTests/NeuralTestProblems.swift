// NeuralTestProblems.swift — tiny problems of every task for the neural model tests, built
// through the same path as the runner (ExperimentParser → DatasetBuilder → ProblemBuilder): generated
// data, and a classification CSV with series of different lengths.

import Evaluation
import LinearAlgebra

enum NeuralTestProblems {
    static let builder = DatasetBuilder.standard(directories: TestData.directories)

    /// The problems of the `[[dataset]]` tables in `datasets`, generated with `seed`.
    static func problems(_ datasets: String, seed: UInt64 = 1) throws -> [Problem] {
        let text = "name = \"neural\"\n" + datasets + "\n[[model]]\nname = \"m\"\nkind = \"mean\"\n"
        let spec = try ExperimentParser.parse(text, file: "neural.toml")
        return try spec.datasets.map { try ProblemBuilder.make(try builder.build($0, of: spec, seed: seed), spec: $0) }
    }

    /// A second-order LTI system with low output noise (simulation, or prediction k = 3).
    static func lti(length: Int, task: String = "simulation", seed: UInt64 = 1) throws -> Problem {
        let horizon = task == "prediction" ? "horizon = 3\n" : ""
        return try problems("""
            [[dataset]]
            name = "lti"
            generator = "lti"
            task = "\(task)"
            \(horizon)length = \(length)
            state_dim = 2
            max_pole_angle = 0.5
            input_max_harmonic = 100
            noise_std = 0.01
            warmup = 5
            """, seed: seed)[0]
    }

    /// One tiny problem per task (the sequence task twice: real-valued and tokens).
    static func tiny() throws -> [(name: String, problem: Problem)] {
        let generated = try problems("""
            [[dataset]]
            name = "forecast"
            generator = "mackey-glass"
            length = 240
            horizon = 4
            context = 24
            [[dataset]]
            name = "adding"
            generator = "adding"
            length = 16
            count = 30
            [[dataset]]
            name = "recall"
            generator = "delayed-recall"
            length = 12
            delay = 2
            alphabet = 3
            count = 30
            """)
        return [("simulation", try lti(length: 240)), ("prediction", try lti(length: 240, task: "prediction")),
                ("forecast", generated[0]), ("adding", generated[1]), ("recall", generated[2]),
                ("classification", try classification(seed: 3))]
    }

    /// Two classes of two-channel series of 10…20 steps (a slow and a fast sine with noise),
    /// written as a long-layout CSV and loaded like a user's file.
    static func classification(seed: UInt64) throws -> Problem {
        var rng = SplitMix64(seed: seed)
        var lines = ["split,series_id,label,t,c0,c1"]
        for (split, count) in [("train", 20), ("val", 6), ("test", 8)] {
            for i in 0..<count {
                let label = i % 2, n = 10 + Int(rng.next() % 11), phase = rng.nextUnit() * 6.28
                let w = label == 0 ? 0.3 : 1.4
                for t in 0..<n {
                    let a = Double.sin(w * Double(t) + phase) + 0.1 * (rng.nextUnit() - 0.5)
                    let b = Double.cos(w * Double(t) + phase) + 0.1 * (rng.nextUnit() - 0.5)
                    lines.append("\(split),\(split)\(i),\(label == 0 ? "slow" : "fast"),\(t),\(a),\(b)")
                }
            }
        }
        let csv = try TestData.file("classes.csv", lines.joined(separator: "\n") + "\n")
        return try problems("""
            [[dataset]]
            name = "classes"
            path = "\(csv.path)"
            task = "classification"
            layout = "long"
            """)[0]
    }

    /// A `[[model]]` table of `kind` with the tiny settings of these tests, overridden by `extra`.
    static func spec(_ kind: ModelKind, _ extra: [String: ParameterValue] = [:]) -> ModelSpec {
        var p: [String: ParameterValue] = ["epochs": .int(2), "batch_size": .int(8)]
        let schema = kind.parameterSchema
        for (k, v) in ["hidden": ParameterValue.int(8), "layers": .int(1), "seq_len": .int(32), "state_dim": .int(4),
                       "order": .int(4), "heads": .int(2), "kernel_size": .int(2)] where schema[k] != nil { p[k] = v }
        for (k, v) in extra { p[k] = v }
        return ModelSpec(file: "neural.toml", name: kind.rawValue, kind: kind, parameters: p)
    }

    /// Fits `spec` on `problem` with `seed` and returns the model and its test prediction.
    static func fitPredict(_ spec: ModelSpec, _ problem: Problem, seed: UInt64) throws -> (model: any LabModel, report: FitReport, prediction: Prediction) {
        let model = try ModelFactory.make(spec, for: problem)
        var context = FitContext(rng: SplitMix64(seed: seed))
        let report = try model.fit(problem, context: &context)
        return (model, report, try model.predict(problem))
    }

    /// Every number of a prediction, flattened (for equality checks).
    static func flatten(_ p: Prediction) -> [Double] {
        switch p {
        case let .io(m), let .forecast(m), let .sequence(m): return m.flatMap(\.elements)
        case let .classification(labels): return labels.map(Double.init)
        }
    }

    static let neuralKinds: [ModelKind] = [.ssm, .lti, .rnn, .gru, .lstm, .transformer, .tcn, .mlp]
}
