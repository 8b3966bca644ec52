// N4SIDModel.swift — the result of an N4SID identification and its use on new data.
//
// Simulation on a test segment follows the same convention as the ARX free run: the first
// `warmup` rows are initialised from measured data. Here that means the initial state is the
// least-squares fit of the free response to the warm-up window,
//
//     x̂₀ = argmin Σ_{k<w} ‖y[k] − y_forced[k] − C A^k x₀‖²        (minimum norm when w p < n),
//
// after which the system runs on the inputs alone; rows `< warmup` of the result hold the
// measured outputs. With warmup = 0 the simulation starts from rest (x₀ = 0).

import LinearAlgebra
import StateSpace

/// An identified system with the details of the identification.
public struct N4SIDModel: Sendable {
    /// The identified (A, B, C, D) with the data's sample time.
    public let system: DiscreteLTI
    /// The order n used.
    public let order: Int
    /// `true` when the order came from the singular-value gap.
    public let orderWasSelected: Bool
    /// Singular values of the (scaled) oblique projection, descending: the basis of the order
    /// choice (a clear gap after the n-th one on clean data).
    public let singularValues: [Double]
    /// Block rows i used.
    public let blockRows: Int
    /// The least-squares initial state of every training segment (in the identified basis).
    public let initialStates: [[Double]]

    public var inputCount: Int { system.inputCount }
    public var outputCount: Int { system.outputCount }

    /// Free-run simulation over a segment (file header).
    /// - Returns: `(L, p)`; rows `< warmup` are the measured outputs.
    /// - Throws: `.shapeMismatch`, `.invalidParameter` (warmup outside 0...L).
    /// - Complexity: O(L n (n + m + p)) plus O(w p n²) for the initial state.
    public func simulate(_ segment: IOSegment, warmup: Int = 0) throws(BaselineError) -> Matrix {
        guard segment.inputCount == inputCount, segment.outputCount == outputCount else {
            throw .shapeMismatch("N4SID model with \(inputCount) input(s) and \(outputCount) output(s) given a segment with \(segment.inputCount) and \(segment.outputCount)")
        }
        guard warmup >= 0, warmup <= segment.length else {
            throw .invalidParameter(name: "warmup", reason: "must lie in 0...\(segment.length) (the segment length), got \(warmup)")
        }
        let x0 = try initialState(inputs: segment.inputs.submatrix(rows: 0..<warmup, cols: 0..<inputCount),
                                  outputs: segment.outputs.submatrix(rows: 0..<warmup, cols: 0..<outputCount))
        var out = try ss { () throws(StateSpaceError) in try system.simulate(segment.inputs, x0: x0).outputs }
        for k in 0..<warmup { for o in 0..<outputCount { out[k, o] = segment.outputs[k, o] } }
        return out
    }

    /// The least-squares initial state for a measured window (file header); zeros for an
    /// empty window.
    /// - Throws: `.shapeMismatch`, `.nonFinite`.
    public func initialState(inputs: Matrix, outputs: Matrix) throws(BaselineError) -> [Double] {
        guard inputs.rows == outputs.rows, inputs.cols == inputCount, outputs.cols == outputCount else {
            throw .shapeMismatch("N4SID initial state: window inputs \(inputs.rows)×\(inputs.cols), outputs \(outputs.rows)×\(outputs.cols) for \(inputCount) input(s) and \(outputCount) output(s)")
        }
        try requireFinite(inputs, "N4SID warm-up inputs")
        try requireFinite(outputs, "N4SID warm-up outputs")
        let w = outputs.rows, n = order, p = outputCount
        guard w > 0, n > 0 else { return [Double](repeating: 0, count: n) }
        let forced = try ss { () throws(StateSpaceError) in try system.simulate(inputs).outputs }
        var phi = Matrix(rows: w * p, cols: n)
        var residual = Matrix(rows: w * p, cols: 1)
        var pk = system.c
        var next = Matrix(rows: p, cols: n)
        for k in 0..<w {
            for o in 0..<p {
                for r in 0..<n { phi[k * p + o, r] = pk[o, r] }
                residual[k * p + o, 0] = outputs[k, o] - forced[k, o]
            }
            N4SID.multiply(pk, system.a, into: &next)
            swap(&pk, &next)
        }
        return try la { () throws(LinearAlgebraError) in try phi.leastSquares(residual) }.solution.elements
    }
}

extension N4SIDModel {
    /// The model with its unstable poles reflected inside the unit circle (StateSpace's
    /// `DiscreteLTI.stabilized`: same eigenvectors, so the state basis and the training initial
    /// states keep their meaning), and how many poles moved. For free-run simulation, where an
    /// unstable identified model would diverge.
    public func stabilized() throws(BaselineError) -> (model: N4SIDModel, reflected: Int) {
        let (stable, moved) = try ss { () throws(StateSpaceError) in try system.stabilized() }
        guard moved > 0 else { return (self, 0) }
        return (N4SIDModel(system: stable, order: order, orderWasSelected: orderWasSelected, singularValues: singularValues,
                           blockRows: blockRows, initialStates: initialStates), moved)
    }
}
