// CausalConv1d+Reference.swift — the defining sums of the causal convolution, element by
// element; the plain path beside the shifted-product gemms.

import LinearAlgebra

extension CausalConv1d {
    /// `y[b, t, o] = bias[o] + Σ_{i, j} W[o, i, j] · x[b, t − (k−1−j)·dilation, i]`.
    /// - Complexity: O(B·T·k·C_in·C_out).
    func referenceForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (batch, time, ci, co, k) = (x.shape[0], x.shape[1], inputChannels, outputChannels, kernelSize)
        var y = Tensor<Scalar>(shape: [batch, time, co])
        let w = weight.value
        for b in 0..<batch {
            for t in 0..<time {
                for o in 0..<co {
                    var s: Scalar = bias?.value[o] ?? 0
                    for j in 0..<k {
                        let source = t - (k - 1 - j) * dilation
                        guard source >= 0 else { continue }
                        for i in 0..<ci { s += w[o, i, j] * x[b, source, i] }
                    }
                    y[b, t, o] = s
                }
            }
        }
        return y
    }

    /// The gradients of `referenceForward`, accumulated term by term.
    func referenceBackward(_ x: Tensor<Scalar>, _ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let (batch, time, ci, co, k) = (x.shape[0], x.shape[1], inputChannels, outputChannels, kernelSize)
        var dx = Tensor<Scalar>(shape: x.shape)
        let w = weight.value
        for b in 0..<batch {
            for t in 0..<time {
                for o in 0..<co {
                    let g = dy[b, t, o]
                    if let bias { bias.gradient[o] += g }
                    for j in 0..<k {
                        let source = t - (k - 1 - j) * dilation
                        guard source >= 0 else { continue }
                        for i in 0..<ci {
                            weight.gradient[o, i, j] += g * x[b, source, i]
                            dx[b, source, i] += g * w[o, i, j]
                        }
                    }
                }
            }
        }
        return dx
    }
}
