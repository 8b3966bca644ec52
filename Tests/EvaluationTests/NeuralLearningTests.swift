// NeuralLearningTests.swift — the neural adapters learn: on a second-order LTI system with low
// noise, an LSTM and an SSM reach a simulation RMSE well below the mean baseline's within a small
// training budget.

import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct NeuralLearningTests {
    typealias P = NeuralTestProblems

    static func rmse(_ problem: Problem, _ prediction: Prediction) throws -> Double {
        try #require(try Scoring.score(problem, prediction, metrics: [.rmse]).first?.1)
    }

    @Test func lstmAndSSMBeatTheMeanOnAnLTISystem() throws {
        let problem = try P.lti(length: 1500)
        let mean = MeanModel()
        var context = FitContext(rng: SplitMix64(seed: 0))
        _ = try mean.fit(problem, context: &context)
        let baseline = try Self.rmse(problem, try mean.predict(problem))
        for kind in [ModelKind.lstm, .ssm] {
            let spec = P.spec(kind, ["hidden": .int(16), "epochs": .int(12), "seq_len": .int(64), "lr": .double(1e-2)])
            let (_, report, prediction) = try P.fitPredict(spec, problem, seed: 1)
            let rmse = try Self.rmse(problem, prediction)
            // "Clearly better": less than half the mean predictor's error (an R² above 0.75).
            #expect(rmse < 0.5 * baseline, "\(kind): RMSE \(rmse) vs mean \(baseline); losses \(report.trainLoss)")
        }
    }
}
