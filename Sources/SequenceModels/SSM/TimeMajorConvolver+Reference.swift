// TimeMajorConvolver+Reference.swift — the direct causal convolution on time-major data and its
// adjoints: the plain reference path of `TimeMajorConvolver` (O(B·H·L²), for the tests).

extension TimeMajorConvolver {
    /// `y[b,t,h] = Σ_{j≤t} k[h,j] x[b,t−j,h]` on (B, L, H) data with kernels (H, L), by the
    /// double loop.
    /// - Complexity: O(B·H·L²).
    public static func directForward(_ x: [Scalar], kernels k: [Scalar], batch B: Int, length L: Int, channels H: Int) -> [Scalar] {
        precondition(x.count == B * L * H && k.count == H * L, "TimeMajorConvolver.directForward: counts") // invariant: API misuse
        var y = [Scalar](repeating: 0, count: x.count)
        for b in 0..<B {
            for h in 0..<H {
                for t in 0..<L {
                    var acc: Scalar = 0
                    for j in 0...t { acc += k[h * L + j] * x[(b * L + t - j) * H + h] }
                    y[(b * L + t) * H + h] = acc
                }
            }
        }
        return y
    }

    /// The adjoints of `directForward` for an output gradient gy (B, L, H):
    /// `gx[b,s,h] = Σ_{t≥s} k[h,t−s] gy[b,t,h]` and `gk[h,j] = Σ_{b,t≥j} gy[b,t,h] x[b,t−j,h]`.
    /// - Complexity: O(B·H·L²).
    public static func directBackward(outputGradient gy: [Scalar], input x: [Scalar], kernels k: [Scalar],
                                      batch B: Int, length L: Int, channels H: Int) -> (input: [Scalar], kernels: [Scalar]) {
        precondition(gy.count == B * L * H && x.count == gy.count && k.count == H * L, "TimeMajorConvolver.directBackward: counts") // invariant: API misuse
        var gx = [Scalar](repeating: 0, count: x.count), gk = [Scalar](repeating: 0, count: H * L)
        for b in 0..<B {
            for h in 0..<H {
                for t in 0..<L {
                    let g = gy[(b * L + t) * H + h]
                    for j in 0...t {
                        gx[(b * L + t - j) * H + h] += k[h * L + j] * g
                        gk[h * L + j] += g * x[(b * L + t - j) * H + h]
                    }
                }
            }
        }
        return (gx, gk)
    }
}
