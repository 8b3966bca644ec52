// ARXOrders.swift — the orders of an ARX model and its lag-window regressor.
//
//     y[k] = Σ_{i=1}^{na} A_i y[k−i] + Σ_{j=0}^{nb−1} B_j u[k−nk−j] + c          (A_i: p×p, B_j: p×m)
//
// The regressor of target y[k] is the lag window
//
//     φ[k] = [ y[k−1]; …; y[k−na]; u[k−nk]; …; u[k−nk−nb+1] ]        (d = na·p + nb·m entries)
//
// and the model is the multi-output ridge regression y[k]ᵀ ≈ φ[k]ᵀ W + cᵀ with W (d × p):
// A_i[o, o'] = W[(i−1)p + o', o], B_j[o, c] = W[na·p + j·m + c, o]. FIR is na = 0, nk = 0
// (y[k] from u[k], …, u[k−nb+1]); an output-only ARX (m = 0 or nb = 0) is a VAR / AR model.
// The window reaches back `lagDepth = max(na, nk + nb − 1)` steps: when fitting, only targets
// with a full window inside one segment are used (windows never straddle a record boundary).

import LinearAlgebra

/// The orders (na, nb, nk) of an ARX model.
public struct ARXOrders: Sendable, Hashable, CustomStringConvertible {
    /// Output lags na ≥ 0.
    public let na: Int
    /// Input taps nb ≥ 0.
    public let nb: Int
    /// Input delay nk ≥ 0 (nk = 0: y[k] depends on u[k], a direct feedthrough).
    public let nk: Int

    /// - Throws: `.invalidParameter` for a negative order or na = nb = 0 (no regressor).
    public init(na: Int, nb: Int, nk: Int = 1) throws(BaselineError) {
        try requireAtLeast(na, 0, "na (output order)")
        try requireAtLeast(nb, 0, "nb (input order)")
        try requireAtLeast(nk, 0, "nk (input delay)")
        guard na + nb >= 1 else { throw .invalidParameter(name: "na, nb", reason: "an ARX model needs na + nb ≥ 1") }
        self.na = na
        self.nb = nb
        self.nk = nk
    }

    /// FIR orders: y[k] from u[k], …, u[k−taps+1] (na = 0, nb = taps, nk = 0).
    public static func fir(taps: Int) throws(BaselineError) -> ARXOrders {
        try requireAtLeast(taps, 1, "taps (FIR order)")
        return try ARXOrders(na: 0, nb: taps, nk: 0)
    }

    /// Steps of history a regressor reaches back: max(na, nk + nb − 1) (na when nb = 0).
    public var lagDepth: Int { nb > 0 ? Swift.max(na, nk + nb - 1) : na }

    /// Regressor length d = na·p + nb·m.
    public func featureCount(inputs m: Int, outputs p: Int) -> Int { na * p + nb * m }

    public var description: String { "ARX(na: \(na), nb: \(nb), nk: \(nk))" }
}

/// Writes lag windows. `y` and `u` are row-major `(L, p)` and `(L, m)` buffers; samples before
/// index 0 are zero (zero initial conditions), which only prediction uses: fitting takes
/// targets k ≥ lagDepth.
struct LagWindow {
    let orders: ARXOrders
    let m: Int, p: Int

    var featureCount: Int { orders.featureCount(inputs: m, outputs: p) }

    /// Fills `row[0..<featureCount]` with φ[k].
    @inline(__always)
    func fill(_ row: UnsafeMutablePointer<Double>, k: Int, y: UnsafeBufferPointer<Double>, u: UnsafeBufferPointer<Double>) {
        var f = 0
        for i in 0..<orders.na {
            let t = k - 1 - i
            if t >= 0 {
                for o in 0..<p { row[f + o] = y[t * p + o] }
            } else {
                for o in 0..<p { row[f + o] = 0 }
            }
            f += p
        }
        for j in 0..<orders.nb {
            let t = k - orders.nk - j
            if t >= 0 {
                for c in 0..<m { row[f + c] = u[t * m + c] }
            } else {
                for c in 0..<m { row[f + c] = 0 }
            }
            f += m
        }
    }

    /// The regression problem of a list of segments: X `(N, d)` with the lag windows of every
    /// target k ≥ lagDepth of every segment, Y `(N, p)` the targets, N = Σ max(0, L_s − lagDepth).
    /// - Complexity: O(N d) time and memory.
    func design(_ segments: [IOSegment]) -> (x: Matrix, y: Matrix) {
        let depth = orders.lagDepth, d = featureCount
        let rows = segments.reduce(0) { $0 + Swift.max(0, $1.length - depth) }
        var x = Matrix(rows: rows, cols: d)
        var y = Matrix(rows: rows, cols: p)
        var r = 0
        for seg in segments where seg.length > depth {
            seg.outputs.elements.withUnsafeBufferPointer { py in
                seg.inputs.elements.withUnsafeBufferPointer { pu in
                    x.elements.withUnsafeMutableBufferPointer { px in
                        y.elements.withUnsafeMutableBufferPointer { pt in
                            for k in depth..<seg.length {
                                if d > 0 { fill(px.baseAddress! + r * d, k: k, y: py, u: pu) }
                                for o in 0..<p { pt[r * p + o] = py[k * p + o] }
                                r += 1
                            }
                        }
                    }
                }
            }
        }
        return (x, y)
    }
}
