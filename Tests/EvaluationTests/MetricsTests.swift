// MetricsTests.swift — metrics against values worked out by hand on tiny arrays.

import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct MetricsTests {
    // Channel 0: y = [1, 2, 3, 4], ŷ = [1, 3, 2, 4] → e = [0, −1, 1, 0]
    //   Σe² = 2, MSE = 0.5, RMSE = √0.5; ȳ = 2.5, Σ(y−ȳ)² = 2.25+0.25+0.25+2.25 = 5, σ² = 1.25
    //   NRMSE = √0.5 / √1.25 = √0.4; fit = 100(1 − √0.4); R² = 1 − 2/5 = 0.6; MAE = 2/4 = 0.5
    // Channel 1: y = [0, 0, 2, 2], ŷ = [1, 0, 2, 1] → e = [−1, 0, 0, 1]
    //   MSE = 0.5; ȳ = 1, σ² = 1; NRMSE = √0.5; R² = 1 − 2/4 = 0.5; MAE = 0.5
    let y = Matrix(rowsLiteral: [[1, 0], [2, 0], [3, 2], [4, 2]])
    let yhat = Matrix(rowsLiteral: [[1, 1], [3, 0], [2, 2], [4, 1]])

    @Test func regressionMetricsByHand() throws {
        let rmse = try Metrics.rmse(truth: y, prediction: yhat)
        expectClose(rmse.perChannel, [(0.5).squareRoot(), (0.5).squareRoot()])
        expectClose(rmse.mean, (0.5).squareRoot())
        let nrmse = try Metrics.nrmse(truth: y, prediction: yhat)
        expectClose(nrmse.perChannel, [(0.4).squareRoot(), (0.5).squareRoot()])
        let fit = try Metrics.fitPercent(truth: y, prediction: yhat)
        expectClose(fit.perChannel, [100 * (1 - (0.4).squareRoot()), 100 * (1 - (0.5).squareRoot())])
        expectClose(fit.mean, (200 - 100 * (0.4).squareRoot() - 100 * (0.5).squareRoot()) / 2)
        expectClose(try Metrics.r2(truth: y, prediction: yhat).perChannel, [0.6, 0.5])
        expectClose(try Metrics.mae(truth: y, prediction: yhat).perChannel, [0.5, 0.5])
    }

    @Test func warmupMaskExcludesFirstSteps() throws {
        // Warm-up 1: channel 0 over steps 1…3: e = [−1, 1, 0], MSE = 2/3; y = [2, 3, 4], ȳ = 3,
        // σ² = 2/3 → NRMSE = 1, fit = 0, R² = 0. MAE = 2/3.
        let m = Metrics.mask(count: 4, warmup: 1)
        #expect(m == [false, true, true, true])
        expectClose(try Metrics.rmse(truth: y, prediction: yhat, mask: m).perChannel[0], (2.0 / 3).squareRoot())
        expectClose(try Metrics.nrmse(truth: y, prediction: yhat, mask: m).perChannel[0], 1)
        expectClose(try Metrics.fitPercent(truth: y, prediction: yhat, mask: m).perChannel[0], 0, atol: 1e-12)
        expectClose(try Metrics.r2(truth: y, prediction: yhat, mask: m).perChannel[0], 0, atol: 1e-12)
        expectClose(try Metrics.mae(truth: y, prediction: yhat, mask: m).perChannel[0], 2.0 / 3)
    }

    @Test func maseNaiveAndSeasonal() throws {
        // Training x = [1, 3, 2, 5]: naive |Δ| = 2, 1, 3 → q = 2; season 2: |2−1|, |5−3| → q = 1.5.
        // Test y = [4, 6], ŷ = [5, 5] → MAE = 1 → MASE = 0.5 (naive), 2/3 (seasonal).
        let train = Matrix.column([1, 3, 2, 5])
        let q1 = try Metrics.naiveScale(training: train, segments: [0..<4])
        expectClose(q1, [2])
        let q2 = try Metrics.naiveScale(training: train, segments: [0..<4], season: 2)
        expectClose(q2, [1.5])
        expectClose(try Metrics.mase(truth: .column([4, 6]), prediction: .column([5, 5]), scale: q1).mean, 0.5)
        expectClose(try Metrics.mase(truth: .column([4, 6]), prediction: .column([5, 5]), scale: q2).mean, 2.0 / 3)
        // Two segments [0, 2) and [2, 4): pairs (1→3) and (2→5) only, q = (2 + 3)/2 = 2.5.
        expectClose(try Metrics.naiveScale(training: train, segments: [0..<2, 2..<4]), [2.5])
        #expect(throws: MetricError.degenerateScale(channel: 0, reason: "the training series is constant at lag 1, so the naive MAE is 0")) {
            try Metrics.naiveScale(training: .column([3, 3, 3]), segments: [0..<3])
        }
    }

    @Test func classificationByHand() throws {
        // truth [0,0,1,1,2], pred [0,1,1,1,0]: 3 of 5 correct → accuracy 0.6.
        // class 0: TP 1, FP 1, FN 1 → F1 = 2/(2+1+1) = 0.5; class 1: TP 2, FP 1, FN 0 → 4/5 = 0.8;
        // class 2: TP 0, FN 1 → 0. Macro-F1 = (0.5 + 0.8 + 0)/3.
        let t = [0, 0, 1, 1, 2], p = [0, 1, 1, 1, 0]
        expectClose(try Metrics.accuracy(truth: t, prediction: p), 0.6)
        expectClose(try Metrics.f1PerClass(truth: t, prediction: p).map(\.f1), [0.5, 0.8, 0])
        expectClose(try Metrics.macroF1(truth: t, prediction: p), 1.3 / 3)
    }

    @Test func degenerateInputsThrow() {
        #expect(throws: MetricError.constantTruth(metric: "NRMSE", channel: 0)) {
            try Metrics.nrmse(truth: .column([2, 2]), prediction: .column([1, 2]))
        }
        #expect(throws: MetricError.noScoredSteps(metric: "RMSE")) {
            try Metrics.rmse(truth: .column([2, 2]), prediction: .column([1, 2]), mask: [false, false])
        }
        #expect(throws: MetricError.shapeMismatch(metric: "MAE", truth: [2, 1], prediction: [3, 1])) {
            try Metrics.mae(truth: .column([2, 2]), prediction: .column([1, 2, 3]))
        }
        #expect(throws: MetricError.nonFinite(metric: "RMSE")) {
            try Metrics.rmse(truth: .column([2, 2]), prediction: .column([.nan, 2]))
        }
    }
}
