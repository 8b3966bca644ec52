// CausalConvolution+Direct.swift — the defining sums: the reference every fast path is tested
// against.
//
//   convolution     y[t]  = Σ_{j=0}^{min(t, K−1)} k[j] x[t−j]          t = 0..<L
//   input adjoint   gx[t] = Σ_{j=0}^{min(K−1, L−1−t)} k[j] gy[t+j]     t = 0..<L
//   kernel adjoint  gk[j] = Σ_{t=j}^{L−1} gy[t] x[t−j]                 j = 0..<K (0 for j ≥ L)
//
// The adjoints are the transposes of the linear maps x ↦ y (kernel fixed) and k ↦ y (input
// fixed): ⟨k * x, g⟩ = ⟨x, gx⟩ = ⟨k, gk⟩. They are what backpropagation through y = k * x needs.

/// y[t] += Σ_{j=0}^{min(t, K−1)} k[j] x[t−j] for t < L, looping over taps (an axpy per tap, so
/// the inner loop vectorises).
/// - Complexity: O(L · min(K, L)).
func directCausalConvolveAccumulate(_ x: UnsafePointer<Double>, length L: Int, _ k: UnsafePointer<Double>, kernelLength K: Int,
                                    into y: UnsafeMutablePointer<Double>) {
    for j in 0..<min(K, L) {
        let kj = k[j]
        let shifted = y + j
        for t in 0..<(L - j) { shifted[t] += kj * x[t] }
    }
}

/// gx[t] = Σ_{j=0}^{min(K−1, L−1−t)} k[j] gy[t+j] (overwrites `gx`).
/// - Complexity: O(L · min(K, L)).
func directCausalConvolutionInputAdjoint(_ gy: UnsafePointer<Double>, length L: Int, _ k: UnsafePointer<Double>, kernelLength K: Int,
                                         into gx: UnsafeMutablePointer<Double>) {
    zeroFill(gx, count: L)
    for j in 0..<min(K, L) {
        let kj = k[j]
        let ahead = gy + j
        for t in 0..<(L - j) { gx[t] += kj * ahead[t] }
    }
}

/// gk[j] = Σ_{t=j}^{L−1} gy[t] x[t−j] for j < K (overwrites `gk`; taps j ≥ L get 0).
/// - Complexity: O(L · min(K, L)).
func directCausalConvolutionKernelAdjoint(_ gy: UnsafePointer<Double>, _ x: UnsafePointer<Double>, length L: Int,
                                          into gk: UnsafeMutablePointer<Double>, kernelLength K: Int) {
    for j in 0..<K {
        var sum = 0.0
        if j < L {
            for t in j..<L { sum += gy[t] * x[t - j] }
        }
        gk[j] = sum
    }
}
