// CausalConvolution+Adjoint.swift — the adjoints of y = k * x that backpropagation needs.
//
// Given the gradient gy = ∂ℓ/∂y of a loss ℓ with respect to y (length L):
//   ∂ℓ/∂x:  gx[t] = Σ_{j=0}^{min(K−1, L−1−t)} k[j] gy[t+j]     (correlation with k)
//   ∂ℓ/∂k:  gk[j] = Σ_{t=j}^{L−1} gy[t] x[t−j]                 (correlation of gy with x)
// Both are correlations, which reversal R (R v[t] = v[L−1−t]) turns into causal convolutions:
//   gx = R (k * R gy)            gk[j] = (x * R gy)[L−1−j]  for j < min(K, L), 0 after.
// The FFT methods use these identities (so they inherit the forward methods' exactness); the
// direct method evaluates the sums above. `BatchedCausalConvolver.backward` computes the same
// adjoints from cached spectra as conj(K)·G and conj(X)·G.

/// ∂ℓ/∂x of y = k * x: `gx[t] = Σ_j k[j] gy[t+j]`, length L = outputGradient.count.
/// - Complexity: that of the forward convolution with the same method.
public func causalConvolutionInputAdjoint(_ outputGradient: [Double], kernel: [Double],
                                          method: ConvolutionMethod = .auto) -> [Double] {
    let L = outputGradient.count
    var gx = [Double](repeating: 0, count: L)
    guard L > 0, !kernel.isEmpty else { return gx }
    if method.resolved(length: L, kernelLength: kernel.count) == .direct {
        outputGradient.withUnsafeBufferPointer { gy in
            kernel.withUnsafeBufferPointer { k in
                gx.withUnsafeMutableBufferPointer { out in
                    directCausalConvolutionInputAdjoint(gy.baseAddress!, length: L, k.baseAddress!, kernelLength: k.count,
                                                        into: out.baseAddress!)
                }
            }
        }
        return gx
    }
    let convolved = causalConvolve(Array(outputGradient.reversed()), kernel, method: method)
    for t in 0..<L { gx[t] = convolved[L - 1 - t] }
    return gx
}

/// ∂ℓ/∂k of y = k * x: `gk[j] = Σ_{t≥j} gy[t] x[t−j]`, length `kernelLength` (taps j ≥ L get 0).
/// `.overlapSave` computes as `.fft` here: the correlation spans the whole signal.
/// - Complexity: `.direct` O(L·K'); FFT methods O(L log L).
public func causalConvolutionKernelAdjoint(_ outputGradient: [Double], input: [Double], kernelLength K: Int,
                                           method: ConvolutionMethod = .auto) -> [Double] {
    let L = outputGradient.count
    precondition(input.count == L, "causalConvolutionKernelAdjoint: input has \(input.count) samples, gradient \(L)") // invariant: API misuse
    precondition(K >= 0, "causalConvolutionKernelAdjoint: kernel length \(K) < 0") // invariant: API misuse
    var gk = [Double](repeating: 0, count: K)
    guard L > 0, K > 0 else { return gk }
    let model = ConvolutionCostModel()
    let useDirect: Bool
    switch method {
    case .direct: useDirect = true
    case .fft, .overlapSave: useDirect = false
    case .auto: useDirect = model.cost(.direct, length: L, kernelLength: K) <= model.cost(.fft, length: L, kernelLength: L)
    }
    if useDirect {
        outputGradient.withUnsafeBufferPointer { gy in
            input.withUnsafeBufferPointer { x in
                gk.withUnsafeMutableBufferPointer { out in
                    directCausalConvolutionKernelAdjoint(gy.baseAddress!, x.baseAddress!, length: L, into: out.baseAddress!, kernelLength: K)
                }
            }
        }
        return gk
    }
    let convolved = causalConvolve(Array(outputGradient.reversed()), input, method: .fft)
    for j in 0..<min(K, L) { gk[j] = convolved[L - 1 - j] }
    return gk
}
