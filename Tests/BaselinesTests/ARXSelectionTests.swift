import Baselines
import LinearAlgebra
import TestSupport
import Testing

@Suite struct ARXSelectionTests {
    static func segments(noise: Double, seed: UInt64) throws -> (train: [IOSegment], validation: [IOSegment]) {
        var rng = SplitMix64(seed: seed)
        let t1 = arxData(a: sisoA, b: sisoB, nk: 1, steps: 300, noise: noise, burnIn: 30, rng: &rng)
        let t2 = arxData(a: sisoA, b: sisoB, nk: 1, steps: 200, noise: noise, burnIn: 30, rng: &rng)
        let v = arxData(a: sisoA, b: sisoB, nk: 1, steps: 400, noise: noise, burnIn: 30, rng: &rng)
        return ([try IOSegment(inputs: t1.u, outputs: t1.y), try IOSegment(inputs: t2.u, outputs: t2.y)],
                [try IOSegment(inputs: v.u, outputs: v.y)])
    }

    @Test(arguments: ARXSelectionCriterion.allCases)
    func noiselessDataSelectTheTrueOrders(criterion: ARXSelectionCriterion) throws {
        let (train, val) = try Self.segments(noise: 0, seed: 41)
        let grid = ARXGrid(outputOrders: [0, 1, 2, 3], inputOrders: [0, 1, 2, 3], delays: [0, 1, 2], alphas: [0, 1e-3])
        let sel = try ARXEstimator.select(grid: grid, train: train, validation: val, warmup: 3, criterion: criterion)
        #expect(sel.orders == (try ARXOrders(na: 2, nb: 2, nk: 1)))
        #expect(sel.alpha == 0)
        #expect(sel.score < 1e-9)
        #expect(sel.model.orders == sel.orders)
        // Every grid point except na = nb = 0 is reported, in grid order.
        #expect(sel.candidates.count == (4 * 4 - 1) * 3 * 2)
        #expect(sel.candidates.first?.orders == (try ARXOrders(na: 0, nb: 1, nk: 0)))
    }

    @Test func noisyDataChooseTheBestScore() throws {
        let (train, val) = try Self.segments(noise: 0.3, seed: 42)
        let grid = ARXGrid(outputOrders: [1, 2, 3], inputOrders: [1, 2, 3], delays: [1, 2], alphas: [0, 10])
        let sel = try ARXEstimator.select(grid: grid, train: train, validation: val, warmup: 3)
        let scores = sel.candidates.compactMap(\.score)
        #expect(scores.count == sel.candidates.count)
        #expect(sel.score == scores.min())
        // The reported score is the chosen model's own validation score.
        expectClose(try sel.model.validationRMSE(val, warmup: 3, criterion: .simulation), sel.score, rtol: 1e-12, atol: 0)
        // nk = 2 misses the u[k−1] term, so the chosen delay is the true one.
        #expect(sel.orders.nk == 1)
        #expect(sel.orders.na >= 2)
    }

    @Test func failingCandidatesAreReportedNotChosen() throws {
        // Orders too large for the 12-sample training record fail with tooFewSamples.
        var rng = SplitMix64(seed: 43)
        let t = arxData(a: sisoA, b: sisoB, nk: 1, steps: 12, rng: &rng)
        let v = arxData(a: sisoA, b: sisoB, nk: 1, steps: 50, rng: &rng)
        let grid = ARXGrid(outputOrders: [2, 8], inputOrders: [2, 8], delays: [1])
        let sel = try ARXEstimator.select(grid: grid, train: [IOSegment(inputs: t.u, outputs: t.y)], validation: [IOSegment(inputs: v.u, outputs: v.y)])
        #expect(sel.orders == (try ARXOrders(na: 2, nb: 2, nk: 1)))
        let failed = sel.candidates.filter { $0.score == nil }
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.failure?.contains("needs at least") == true })
        #expect(throws: BaselineError.self) {
            try ARXEstimator.select(grid: ARXGrid(outputOrders: [8], inputOrders: [8]), train: [IOSegment(inputs: t.u, outputs: t.y)], validation: [IOSegment(inputs: v.u, outputs: v.y)])
        }
        #expect(throws: BaselineError.self) {
            try ARXEstimator.select(grid: ARXGrid(outputOrders: [], inputOrders: [1]), train: [IOSegment(inputs: t.u, outputs: t.y)], validation: [IOSegment(inputs: v.u, outputs: v.y)])
        }
        #expect(throws: BaselineError.self) {
            try ARXEstimator.select(grid: ARXGrid(outputOrders: [1], inputOrders: [1], alphas: [-1]), train: [IOSegment(inputs: t.u, outputs: t.y)], validation: [IOSegment(inputs: v.u, outputs: v.y)])
        }
    }
}
