// S4D+Recurrent.swift — the recurrent (inference) mode of S4D: the discretised diagonal
// recursion run one step at a time.
//
// Per channel h and mode n, in the S4 convention (input enters the state before the output is
// read, as in convolution mode):
//     x_n[k] = Ā_n x_n[k−1] + B̄_n u[k],        y[k] = 2 Re Σ_n C_n x_n[k] + D u[k]
// Unrolled from x[−1] = 0 this is y[k] = Σ_{j≤k} K[j] u[k−j] + D u[k] with
// K[j] = 2 Re Σ_n C_n B̄_n Ā_n^j: exactly the convolution mode (a test pins it). The cost per
// step is O(batch · H · P), independent of how long the sequence already is — the point of the
// recurrent view for autoregressive generation.

import LinearAlgebra
import Numerics
import Spectral

/// The state of an `S4DCell`.
public struct S4DState<Scalar: NeuralScalar>: RecurrentState {
    /// The complex modal states x, shape (batch, H, P, 2) with (re, im) last.
    public var modes: Tensor<Scalar>
    /// y[k], shape (batch, H).
    public var output: Tensor<Scalar>

    public init(modes: Tensor<Scalar>, output: Tensor<Scalar>) {
        self.modes = modes
        self.output = output
    }
}

/// The recurrent view of an `S4D` layer. It is a snapshot: Ā, B̄, C and D are discretised from
/// the layer's parameters when the cell is made (`S4D.recurrentCell()`), so make a new cell
/// after training further.
public final class S4DCell<Scalar: NeuralScalar & FFTScalar>: RecurrentCell {
    public let inputSize: Int
    public var hiddenSize: Int { inputSize }
    /// P, complex modes per channel.
    public let modes: Int
    /// The layer's parameters (for naming; the cell itself reads only its snapshot).
    public let namedParameters: [NamedParameter<Scalar>]
    // Snapshot, (H, P) each, split real/imaginary; C already doubled (output 2 Re).
    private let aRe: [Scalar], aIm: [Scalar], bRe: [Scalar], bIm: [Scalar], cRe: [Scalar], cIm: [Scalar]
    private let d: [Scalar]

    init(layer: S4D<Scalar>) {
        let sys = layer.discreteSystem()
        inputSize = sys.channels
        modes = sys.modes
        namedParameters = layer.namedParameters
        aRe = sys.aBar.map { Scalar($0.real) }
        aIm = sys.aBar.map { Scalar($0.imaginary) }
        bRe = sys.bBar.map { Scalar($0.real) }
        bIm = sys.bBar.map { Scalar($0.imaginary) }
        cRe = sys.c.map { Scalar(2 * $0.real) }
        cIm = sys.c.map { Scalar(2 * $0.imaginary) }
        d = sys.d.map { Scalar($0) }
    }

    public func zeroState(batch: Int) -> S4DState<Scalar> {
        S4DState(modes: Tensor(shape: [batch, inputSize, modes, 2]), output: Tensor(shape: [batch, inputSize]))
    }

    /// One step of the diagonal recursion for input `x` of shape (batch, H).
    /// - Complexity: O(batch · H · P): one complex multiply-add per mode for the state, one for
    ///   the output.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step(_ x: Tensor<Scalar>, state: inout S4DState<Scalar>) {
        let H = inputSize, P = modes
        precondition(x.rank == 2 && x.shape[1] == H && state.modes.shape == [x.shape[0], H, P, 2], "S4DCell.step: input \(x.shape), state \(state.modes.shape) for H \(H), P \(P)") // invariant: shapes checked by caller
        let batch = x.shape[0]
        let aRe = self.aRe, aIm = self.aIm, bRe = self.bRe, bIm = self.bIm, cRe = self.cRe, cIm = self.cIm, d = self.d
        x.withUnsafeBufferPointer { u in
            state.modes.withUnsafeMutableBufferPointer { s in
                state.output.withUnsafeMutableBufferPointer { y in
                    for b in 0..<batch {
                        for h in 0..<H {
                            let uk = u[b * H + h]
                            var acc = d[h] * uk
                            let base = (b * H + h) * P
                            for n in 0..<P {
                                let i = h * P + n, j = 2 * (base + n)
                                let re = aRe[i] * s[j] - aIm[i] * s[j + 1] + bRe[i] * uk
                                let im = aRe[i] * s[j + 1] + aIm[i] * s[j] + bIm[i] * uk
                                s[j] = re
                                s[j + 1] = im
                                acc += cRe[i] * re - cIm[i] * im
                            }
                            y[b * H + h] = acc
                        }
                    }
                }
            }
        }
    }
}

extension S4D {
    /// The recurrent view of this layer, discretised from the current parameters.
    public func recurrentCell() -> S4DCell<Scalar> { S4DCell(layer: self) }
}
