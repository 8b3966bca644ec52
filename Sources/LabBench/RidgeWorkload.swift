// RidgeWorkload.swift — the peers' `ridge` workload (README section f):
//   X = U(41, n·d) (n, d), w_true = U(42, d), y = X w_true + 0.1·U(43, n), float64, no intercept.
//   Timed: the fit, from (X, y) to the coefficient vector (including the finiteness check every
//   user call makes). Throughput: rows/s = n / median.
// Peers: `sslab:ridge(cholesky)` (α = opts.ridgeAlpha, normal equations + Cholesky, like the
// peers' `numpy normal-eq + solve` and `scipy cho_factor/cho_solve`) and `sslab:lstsq(gelsd)`
// (α = 0, SVD least squares, like `numpy.linalg.lstsq(gelsd)`).

import Baselines
import LinearAlgebra
import Reports

public enum RidgeWorkload {
    static func data(n: Int, d: Int) -> (x: Matrix, y: Matrix, wTrue: [Double]) {
        let x = Matrix(rows: n, cols: d, elements: PeerData.uniform(41, n * d))
        let w = PeerData.uniform(42, d)
        let noise = PeerData.uniform(43, n)
        var y = x * w
        for i in 0..<n { y[i] += 0.1 * noise[i] }
        return (x, Matrix.column(y), w)
    }

    public static func run(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        let n = opts.ridgeN, d = opts.ridgeD
        let (x, y, wTrue) = data(n: n, d: d)
        let gflop = Double(n * d * d + 2 * n * d) / 1e9
        let cases: [(peer: String, alpha: Double, solver: RidgeRegression.Solver)] = [
            ("sslab:lstsq(gelsd)", 0, .svd),
            ("sslab:ridge(cholesky)", opts.ridgeAlpha, .cholesky),
        ]
        for c in cases where opts.wants(c.peer) {
            let params: [(String, JSONValue)] = [("n", .integer(n)), ("d", .integer(d)), ("alpha", .number(c.alpha)),
                                                 ("fit_intercept", .bool(false)), ("dtype", "float64")]
            let ridge = RidgeRegression(alpha: c.alpha, fitIntercept: false, solver: c.solver)
            var model: RidgeModel? = nil
            let t = try measure(opts.policy) { model = try ridge.fit(x, y) }
            let w = model!.weights.column(0)
            let err = zip(w, wTrue).map { Swift.abs($0 - $1) }.max() ?? 0
            emit(BenchRecord(workload: "ridge", params: params, peer: c.peer, timing: t, units: Double(n), unit: "rows/s",
                             extra: [("gflop_normal_eq", .number(gflop)), ("w0", .number(w[0])), ("err_vs_wtrue", .number(err))]).json)
        }
    }
}
