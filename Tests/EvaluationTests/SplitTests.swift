// SplitTests.swift — splits by column and by fractions, validation carving, z-scores fitted on
// train only, prediction windows and warm-up exclusion.

import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct SplitTests {
    @Test func labelsRespectRecordsAndDropUnknownRoles() throws {
        let labels = ["train", "train", "train", "test", "test", "unused", "test_b", "val"]
        let records = ["a", "a", "b", "b", "b", "b", "b", "b"]
        let s = try DataSplit.byLabels(labels, records: records, source: "t")
        #expect(s.train == [Segment(range: 0..<2, record: "a", label: "train"), Segment(range: 2..<3, record: "b", label: "train")])
        #expect(s.test.map(\.range) == [3..<5, 6..<7])
        #expect(s.test.map(\.label) == ["test", "test_b"])
        #expect(s.validation.map(\.range) == [7..<8])
        #expect(throws: SplitError.emptyPart(source: "t", part: "test")) { try DataSplit.byLabels(["train", "val"], source: "t") }
    }

    @Test func fractionsPerRecord() throws {
        // 10 rows in one series: round(6) train, round(2) validation, rest test.
        let f = try SplitFractions(train: 0.6, validation: 0.2, test: 0.2)
        let s = try DataSplit.byFractions(length: 10, fractions: f, source: "t")
        #expect(s.train.map(\.range) == [0..<6] && s.validation.map(\.range) == [6..<8] && s.test.map(\.range) == [8..<10])
        // Two records of 5: each 3 / 1 / 1 (round(3), round(1)).
        let r = try DataSplit.byFractions(length: 10, records: Array(repeating: "x", count: 5) + Array(repeating: "y", count: 5),
                                          fractions: f, source: "t")
        #expect(r.train.map(\.range) == [0..<3, 5..<8])
        #expect(r.validation.map(\.range) == [3..<4, 8..<9])
        #expect(r.test.map(\.range) == [4..<5, 9..<10])
        #expect(r.test.map(\.record) == ["x", "y"])
        #expect(throws: SplitError.self) { try SplitFractions(train: 0.5, validation: 0.2, test: 0.2) }
    }

    @Test func carvingValidationWalksBackAcrossSegments() throws {
        // Train segments of 6 and 4 rows: round(0.5 · 10) = 5 rows carved from the end.
        let s = DataSplit(train: [Segment(range: 0..<6, label: "train"), Segment(range: 10..<14, label: "train")],
                          validation: [], test: [Segment(range: 14..<20, label: "test")])
        let c = try s.carvingValidation(fraction: 0.5, source: "t")
        #expect(c.train.map(\.range) == [0..<5])
        #expect(c.validation.map(\.range) == [5..<6, 10..<14])
        #expect(c.test == s.test)
        #expect(throws: SplitError.invalidValidationFraction(1)) { try s.carvingValidation(fraction: 1, source: "t") }
    }

    @Test func zscoreFitsOnTrainOnlyAndInverts() {
        // Channel 0 train rows 0..<4 = 1, 2, 3, 4: μ = 2.5, σ² = (2.25+0.25+0.25+2.25)/4 = 1.25.
        // Channel 1 is constant (7) on train: σ = 1, only centred. Rows 4, 5 are test values.
        let x = Matrix(rowsLiteral: [[1, 7], [2, 7], [3, 7], [4, 7], [100, 9], [-50, 5]])
        let z = ZScore.fit(x, rows: [0..<4])
        expectClose(z.mean, [2.5, 7])
        expectClose(z.scale, [(1.25).squareRoot(), 1])
        let y = z.apply(x)
        expectClose(y[4, 0], (100 - 2.5) / (1.25).squareRoot())
        expectClose(y[5, 1], -2)
        expectClose(z.invert(y), x, rtol: 1e-14, atol: 1e-13)  // round trip: a few ulps of |x| ≤ 100
    }

    @Test func windowsStayInsideSegmentsAndSkipWarmup() {
        let seg = Segment(range: 10..<20, label: "test")
        // Horizon 3, context 4, history from the segment start: origins 14…17.
        let w = PredictionWindow.windows(.horizon(3), context: 4, in: seg)
        #expect(w.map(\.origin) == [14, 15, 16, 17])
        #expect(w.first == PredictionWindow(context: 10..<14, target: 14..<17))
        #expect(w.last?.target == 17..<20)
        // History back to row 0 (forecasting): the first origin is the segment start.
        let f = PredictionWindow.windows(.horizon(3), context: 4, in: seg, historyStart: 0, stride: 2)
        #expect(f.map(\.origin) == [10, 12, 14, 16])
        // k-step-ahead, k = 2, warm-up 5: targets start at row 15, origin = target − 1.
        let k = PredictionWindow.windows(.kStepAhead(2), context: 1, in: seg, warmup: 5)
        #expect(k.first == PredictionWindow(context: 13..<14, target: 15..<16))
        #expect(k.last?.target == 19..<20)
        #expect(k.allSatisfy { $0.target.lowerBound >= 15 })
        #expect(PredictionWindow.windows(.horizon(20), context: 0, in: seg).isEmpty)
        #expect(seg.scored(warmup: 5) == 15..<20)
        #expect(seg.scoringMask(warmup: 8) == [false, false, false, false, false, false, false, false, true, true])
    }
}
