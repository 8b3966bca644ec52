// CausalConvolution+MIMO.swift — multi-input multi-output causal convolution.
//
// For an LTI system with m inputs and p outputs, the impulse response is a p×m matrix of
// series h[o][i] (h[o][i][j] = entry (o, i) of D for j = 0 and of C A^{j−1} B after), and
//   y[o][t] = Σ_{i<m} Σ_{j=0}^{min(t, K−1)} h[o][i][j] u[i][t−j].
// The FFT methods transform each input once and each kernel once, accumulate the p·m products
// in the frequency domain, and inverse-transform the p outputs: (m + p·m + p) FFTs instead of
// 3·p·m for p·m separate convolutions.

/// MIMO causal convolution: `kernels[o][i]` (p × m series of equal length K), `inputs[i]`
/// (m series of equal length L ≥ 0, m ≥ 1) → p output series of length L.
/// - Complexity: `.direct` O(p·m·L·K'); `.fft` (m + p·m + p) FFTs of length ≥ L + K' − 1 plus
///   p·m spectrum products; `.overlapSave` the same per block of a shorter length.
public func causalConvolveMIMO(kernels: [[[Double]]], inputs: [[Double]], method: ConvolutionMethod = .auto) -> [[Double]] {
    let p = kernels.count, m = inputs.count
    precondition(m >= 1, "causalConvolveMIMO: no inputs") // invariant: API misuse
    let L = inputs[0].count
    precondition(inputs.allSatisfy { $0.count == L }, "causalConvolveMIMO: input lengths differ: \(inputs.map(\.count))") // invariant: API misuse
    precondition(kernels.allSatisfy { $0.count == m }, "causalConvolveMIMO: every output needs \(m) kernels, got \(kernels.map(\.count))") // invariant: API misuse
    let K = kernels.first?.first?.count ?? 0
    precondition(kernels.allSatisfy { row in row.allSatisfy { $0.count == K } }, "causalConvolveMIMO: kernel lengths differ") // invariant: API misuse
    guard p > 0 else { return [] }

    let u = inputs.flatMap { $0 }                      // (m, L)
    let h = kernels.flatMap { $0.flatMap { $0 } }      // (p, m, K)
    var y = [Double](repeating: 0, count: p * L)       // (p, L)
    if L > 0 && K > 0 {
        let graph = ConvolutionGraph.mimo(outputs: p, inputs: m)
        u.withUnsafeBufferPointer { us in
            h.withUnsafeBufferPointer { hs in
                y.withUnsafeMutableBufferPointer { ys in
                    graph.evaluate(inputs: us.baseAddress!, length: L, kernels: hs.baseAddress!, kernelLength: K,
                                   outputs: ys.baseAddress!, method: method)
                }
            }
        }
    }
    return (0..<p).map { o in Array(y[o * L ..< (o + 1) * L]) }
}
