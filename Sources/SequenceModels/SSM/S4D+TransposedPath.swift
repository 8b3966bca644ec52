// S4D+TransposedPath.swift — the reference convolution path of the S4D layer: transpose the
// (batch, time, channels) input to (batch, channels, time), convolve every row with Spectral's
// `BatchedCausalConvolver`, transpose back and add D u. `S4D.convolutionPath = .transposed`
// selects it; the tests compare it with the default tiled path.

import Spectral

extension S4D {
    /// y = K * u + D u through whole-tensor transposes (allocates the output).
    /// - Complexity: O(B H L log L), several passes over B·H·n scalars.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func transposedForward(_ x: Tensor<Scalar>, kernel k: [Double], batch B: Int, length L: Int) -> Tensor<Scalar> {
        let H = channels
        prepareTransposedWorkspaces(batch: B, length: L)
        let tiny = Double(Scalar.leastNormalMagnitude)
        for i in 0..<(H * L) { kernelScalars[i] = Swift.abs(k[i]) < tiny ? 0 : Scalar(k[i]) }   // no subnormal taps
        x.withUnsafeBufferPointer { px in
            transposedInput.withUnsafeMutableBufferPointer { SSMLayout.transpose(px, rows: B, a: L, b: H, into: $0) }   // (B, H, L)
        }
        let conv = convolver!
        transposedInput.withUnsafeBufferPointer { u in
            kernelScalars.withUnsafeBufferPointer { kk in
                transposedOutput.withUnsafeMutableBufferPointer { y in conv.forward(u, kernels: kk, into: y) }     // (B, H, L)
            }
        }
        let d = skip.value
        return Tensor<Scalar>(shape: x.shape) { out in                          // (B, L, H) = K * u + D u
            transposedOutput.withUnsafeBufferPointer { yt in
                x.withUnsafeBufferPointer { px in
                    d.withUnsafeBufferPointer { pd in
                        SSMLayout.transpose(yt, rows: B, a: H, b: L, adding: px, scaledBy: pd, into: out)
                    }
                }
            }
        }
    }

    /// Backward of `transposedForward`: ∂ℓ/∂u (returned), ∂ℓ/∂K (into `kernelGradient`) and
    /// ∂ℓ/∂D (into `gD`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func transposedBackward(_ dy: Tensor<Scalar>, input x: Tensor<Scalar>, skipGradient gD: inout [Scalar],
                            batch B: Int, length L: Int) -> Tensor<Scalar> {
        let H = channels
        guard let conv = convolver else { preconditionFailure("S4D: transposed backward without its convolver") } // invariant: set by transposedForward
        // ∂ℓ/∂y in (B, H, L) (into transposedInput, whose forward contents the convolver no longer
        // needs: it keeps the spectra), then the convolution adjoints: ∂ℓ/∂u (into
        // transposedOutput) and ∂ℓ/∂K (into kernelGradient).
        dy.withUnsafeBufferPointer { g in
            transposedInput.withUnsafeMutableBufferPointer { SSMLayout.transpose(g, rows: B, a: L, b: H, into: $0) }
        }
        transposedInput.withUnsafeBufferPointer { g in
            transposedOutput.withUnsafeMutableBufferPointer { gu in
                kernelGradient.withUnsafeMutableBufferPointer { conv.backward(outputGradient: g, inputGradient: gu, kernelGradient: $0) }
            }
        }
        // D: ∂ℓ/∂D[h] = Σ_{b,t} dy u (contiguous rows of H);  ∂ℓ/∂u = convolution adjoint + D dy.
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { g in
                gD.withUnsafeMutableBufferPointer { acc in
                    for row in 0..<(B * L) { for h in 0..<H { acc[h] += g[row * H + h] * px[row * H + h] } }
                }
            }
        }
        let d = skip.value
        return Tensor<Scalar>(shape: x.shape) { out in
            transposedOutput.withUnsafeBufferPointer { gu in
                dy.withUnsafeBufferPointer { g in
                    d.withUnsafeBufferPointer { pd in SSMLayout.transpose(gu, rows: B, a: H, b: L, adding: g, scaledBy: pd, into: out) }
                }
            }
        }
    }

    private func prepareTransposedWorkspaces(batch B: Int, length L: Int) {
        let H = channels
        if let c = convolver, c.batch == B, c.length == L, kernelScalars.count == H * L, kernelGradient.count == H * L { return }
        convolver = BatchedCausalConvolver<Scalar>(batch: B, channels: H, length: L)
        transposedInput = [Scalar](repeating: 0, count: B * H * L)
        transposedOutput = transposedInput
        kernelScalars = [Scalar](repeating: 0, count: H * L)
        kernelGradient = kernelScalars
    }
}
