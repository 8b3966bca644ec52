// CausalConvolution+Direct.swift — the defining sums: the reference every fast path is tested
// against.
//
//   convolution     y[t]  = Σ_{j=0}^{min(t, K−1)} k[j] x[t−j]          t = 0..<L
//   input adjoint   gx[t] = Σ_{j=0}^{min(K−1, L−1−t)} k[j] gy[t+j]     t = 0..<L
//   kernel adjoint  gk[j] = Σ_{t=j}^{L−1} gy[t] x[t−j]                 j = 0..<K (0 for j ≥ L)
//
// The adjoints are the transposes of the linear maps x ↦ y (kernel fixed) and k ↦ y (input
// fixed): ⟨k * x, g⟩ = ⟨x, gx⟩ = ⟨k, gk⟩. They are what backpropagation through y = k * x needs.

/// Output tile of the direct loops: a tile of y (8 KiB) and the matching window of x stay in
/// L1 while every tap sweeps it; untiled, each tap streamed all of y through memory and a
/// 2^18-sample signal ran 3–4× slower per multiply-add.
let directTile = 1024

/// y[t] += Σ_{j=0}^{min(t, K−1)} k[j] x[t−j] for t < L: per output tile, one axpy per tap (so
/// the inner loop vectorises).
/// - Complexity: O(L · min(K, L)).
func directCausalConvolveAccumulate(_ x: UnsafePointer<Double>, length L: Int, _ k: UnsafePointer<Double>, kernelLength K: Int,
                                    into y: UnsafeMutablePointer<Double>) {
    let taps = min(K, L)
    var t0 = 0
    while t0 < L {
        let t1 = min(L, t0 + directTile)
        for j in 0..<min(taps, t1) {          // taps that reach some t in [t0, t1): j ≤ t1 − 1
            let kj = k[j]
            for t in max(t0, j)..<t1 { y[t] += kj * x[t - j] }
        }
        t0 = t1
    }
}

/// gx[t] = Σ_{j=0}^{min(K−1, L−1−t)} k[j] gy[t+j] (overwrites `gx`), tiled like the forward loop.
/// - Complexity: O(L · min(K, L)).
func directCausalConvolutionInputAdjoint(_ gy: UnsafePointer<Double>, length L: Int, _ k: UnsafePointer<Double>, kernelLength K: Int,
                                         into gx: UnsafeMutablePointer<Double>) {
    zeroFill(gx, count: L)
    let taps = min(K, L)
    var t0 = 0
    while t0 < L {
        let t1 = min(L, t0 + directTile)
        for j in 0..<min(taps, L - t0) {      // taps with t + j < L for some t ≥ t0
            let kj = k[j]
            for t in t0..<min(t1, L - j) { gx[t] += kj * gy[t + j] }
        }
        t0 = t1
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
