// ARXOrderSelection.swift — choosing (na, nb, nk, α) on a validation set.
//
// Every candidate of the grid is fitted on the training segments and scored on the validation
// segments by the root-mean-square error over all output channels and all rows k ≥ warmup,
//
//     score = √( Σ_s Σ_{k ≥ warmup} ‖y_s[k] − ŷ_s[k]‖² / (p · Σ_s (L_s − warmup)) ),
//
// where ŷ is the free-run simulation (criterion `.simulation`, the system-identification
// simulation task) or the one-step-ahead prediction (`.prediction`). Candidates whose free run
// diverges or whose fit fails (too few samples for the orders, a singular problem) are kept in
// the report with their reason and never chosen. Scores within `tieTolerance · rms(y_val)` of
// the best are ties, which go to the candidate with fewer parameters, then the larger α, then
// grid order, so noiseless data select the smallest exact model. Grid points with na = nb = 0
// (no regressor) are skipped.

import LinearAlgebra

/// The values to search.
public struct ARXGrid: Sendable, Equatable {
    public var outputOrders: [Int]
    public var inputOrders: [Int]
    public var delays: [Int]
    public var alphas: [Double]

    public init(outputOrders: [Int], inputOrders: [Int], delays: [Int] = [1], alphas: [Double] = [0]) {
        self.outputOrders = outputOrders
        self.inputOrders = inputOrders
        self.delays = delays
        self.alphas = alphas
    }
}

/// How candidates are scored on the validation segments.
public enum ARXSelectionCriterion: String, Sendable, CaseIterable {
    /// Free-run simulation error (the model feeds back its own outputs).
    case simulation
    /// One-step-ahead prediction error (measured past outputs).
    case prediction
}

/// One evaluated grid point.
public struct ARXCandidate: Sendable, Equatable {
    public let orders: ARXOrders
    public let alpha: Double
    /// Parameters per output: na·p + nb·m (+ 1 with an intercept).
    public let parameterCount: Int
    /// Validation RMSE; nil when the candidate failed.
    public let score: Double?
    /// Why the candidate failed (its error's description), when it did.
    public let failure: String?
}

/// The chosen model and the whole table of candidates (in grid order).
public struct ARXSelection: Sendable {
    /// The chosen model, fitted on the training segments.
    public let model: ARXModel
    public let orders: ARXOrders
    public let alpha: Double
    public let score: Double
    public let criterion: ARXSelectionCriterion
    public let candidates: [ARXCandidate]
}

extension ARXEstimator {
    /// Grid search over orders and α (see the file header).
    /// - Parameters:
    ///   - warmup: validation rows `< warmup` initialise the model and are not scored.
    ///   - tieTolerance: relative tie band (see the file header).
    ///   - template: intercept and solver settings shared by every candidate.
    /// - Throws: `.invalidParameter` for an empty grid or a warmup that leaves no validation row
    ///   to score; `.singular` when no candidate could be fitted and scored (each candidate's
    ///   reason is in the message).
    /// - Complexity: one fit (O(N d² + d³)) and one validation run (O(L d p)) per grid point.
    public static func select(grid: ARXGrid, train: [IOSegment], validation: [IOSegment], warmup: Int = 0,
                              criterion: ARXSelectionCriterion = .simulation, fitIntercept: Bool = false,
                              solver: RidgeRegression.Solver = .automatic, tieTolerance: Double = 1e-9,
                              sampleTime: Double = 1) throws(BaselineError) -> ARXSelection {
        guard !grid.outputOrders.isEmpty, !grid.inputOrders.isEmpty, !grid.delays.isEmpty, !grid.alphas.isEmpty else {
            throw .invalidParameter(name: "grid", reason: "every list (outputOrders, inputOrders, delays, alphas) needs at least one value")
        }
        try requireAtLeast(warmup, 0, "warmup")
        let (m, p) = try channelCounts(train, "ARX selection training data")
        let (mv, pv) = try channelCounts(validation, "ARX selection validation data")
        guard m == mv, p == pv else { throw .shapeMismatch("ARX selection: training data have \(m) input(s) and \(p) output(s), validation data \(mv) and \(pv)") }
        let scored = validation.reduce(0) { $0 + Swift.max(0, $1.length - warmup) }
        guard scored > 0 else { throw .tooFewSamples(context: "ARX selection: validation rows after a warm-up of \(warmup)", needed: 1, found: 0) }
        var sumSq = 0.0
        for seg in validation { for k in Swift.min(warmup, seg.length)..<seg.length { for o in 0..<p { sumSq += seg.outputs[k, o] * seg.outputs[k, o] } } }
        let band = tieTolerance * (sumSq / Double(scored * p)).squareRoot()

        for v in grid.outputOrders { try requireAtLeast(v, 0, "grid na") }
        for v in grid.inputOrders { try requireAtLeast(v, 0, "grid nb") }
        for v in grid.delays { try requireAtLeast(v, 0, "grid nk") }
        for a in grid.alphas { try requireRidge(a, "grid alpha") }

        var candidates: [ARXCandidate] = []
        var models: [ARXModel?] = []
        for na in grid.outputOrders { for nb in grid.inputOrders { for nk in grid.delays { for alpha in grid.alphas {
            // na = nb = 0 has no regressor: not a model, skipped.
            guard na + nb > 0, let orders = try? ARXOrders(na: na, nb: nb, nk: nk) else { continue }
            var model: ARXModel? = nil
            var score: Double? = nil
            var failure: String? = nil
            do throws(BaselineError) {
                let fitted = try ARXEstimator(orders: orders, alpha: alpha, fitIntercept: fitIntercept, solver: solver).fit(train, sampleTime: sampleTime)
                score = try fitted.validationRMSE(validation, warmup: warmup, criterion: criterion)
                model = fitted
            } catch {
                failure = error.description
            }
            candidates.append(ARXCandidate(orders: orders, alpha: alpha, parameterCount: orders.featureCount(inputs: m, outputs: p) + (fitIntercept ? 1 : 0),
                                           score: score, failure: failure))
            models.append(model)
        } } } }
        guard let best = candidates.compactMap(\.score).min() else {
            let reasons = candidates.map { "\($0.orders) α \($0.alpha): \($0.failure ?? "no score")" }.joined(separator: "; ")
            throw .singular("ARX selection: no candidate could be fitted and scored (\(reasons.isEmpty ? "the grid has no valid orders" : reasons))")
        }
        var chosen = -1
        for (i, c) in candidates.enumerated() {
            guard let s = c.score, s <= best + band else { continue }
            if chosen < 0 { chosen = i; continue }
            let cur = candidates[chosen]
            if c.parameterCount < cur.parameterCount || (c.parameterCount == cur.parameterCount && c.alpha > cur.alpha) { chosen = i }
        }
        let c = candidates[chosen]
        return ARXSelection(model: models[chosen]!, orders: c.orders, alpha: c.alpha, score: c.score!, criterion: criterion, candidates: candidates)
    }
}

extension ARXModel {
    /// The selection score (file header) of this model on `segments`.
    /// - Throws: `.diverged` for an unstable free run, `.shapeMismatch`, `.invalidParameter`.
    public func validationRMSE(_ segments: [IOSegment], warmup: Int, criterion: ARXSelectionCriterion) throws(BaselineError) -> Double {
        var sum = 0.0
        var count = 0
        for seg in segments {
            let w = Swift.min(warmup, seg.length)
            let yHat = criterion == .simulation ? try simulate(seg, warmup: w) : try predictOneStep(seg, warmup: w)
            for k in w..<seg.length {
                for o in 0..<outputCount {
                    let e = yHat[k, o] - seg.outputs[k, o]
                    sum += e * e
                }
            }
            count += (seg.length - w) * outputCount
        }
        guard count > 0 else { throw .tooFewSamples(context: "\(orders) validation rows after warm-up \(warmup)", needed: 1, found: 0) }
        return (sum / Double(count)).squareRoot()
    }
}
