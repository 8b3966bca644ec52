// S4D.swift — the diagonal structured state-space layer, in convolution mode (training).
//
// Follows Gu, Gupta, Goel, Ré, "On the Parameterization and Initialization of Diagonal State
// Space Models" (2022), with The Annotated S4 and the paper's minimal s4d.py as references for
// the math (no code taken from them).
//
// H independent channels; channel h is a single-input single-output SSM with N/2 complex modes
// (conjugate pairs folded, output 2·Re). In the S4 convention (input enters the state BEFORE
// the output is read; see S4D+Convention.swift for the relation to the control convention):
//     x[k] = Ā x[k−1] + B̄ u[k],      y[k] = 2 Re(C x[k]) + D u[k],      x[−1] = 0
// so y = K * u + D u with the kernel K[l] = 2 Re Σ_n C_n B̄_n Ā_n^l.
//
// Training runs the whole sequence at once (convolution mode):
//   1. parameters → (Ā, B̄, W = C B̄)              S4D+Discretization.swift      O(H P)
//   2. K (H, L) by Vandermonde products           VandermondeKernel.swift       O(H P L) in GEMMs
//   3. y = K * u per (batch, channel) by FFT      Spectral.BatchedCausalConvolver, Float or
//      (length ≥ 2L − 1, so no wrap-around)        Double, O(B H L log L)
//   4. y += D u
// Backward runs the same steps in reverse: the convolver's adjoints give ∂ℓ/∂u and ∂ℓ/∂K,
// the Vandermonde adjoint gives ∂ℓ/∂W and ∂ℓ/∂Ā, the discretisation's derivative the
// parameter gradients. Steps 1–2 and their adjoints run in Double whatever `Scalar` is (they
// cost O(H P L), and Double keeps z^l free of Float underflow for long L).
//
// Recurrent mode (inference, O(H P) per step independent of L): `S4DCell`, S4D+Recurrent.swift.

import LinearAlgebra
import Numerics
import Spectral

/// An S4D layer on (batch, time, H) sequences. See S4D.swift for the math.
///
/// Parameters ("name", shape; group):
/// * "log_dt" (H) — log Δ, initialised log-uniform in [dtMin, dtMax]; SSM group
/// * "log_A_real" (H, P) — Re A = −exp(log_A_real); SSM group
/// * "A_imag" (H, P) — Im A; SSM group
/// * "B" (H, P, 2) — complex B (re, im); SSM group; listed only when `learnableInput`
/// * "C" (H, P, 2) — complex C, initialised complex normal (variance ½ per part); default group
/// * "D" (H) — skip, initialised N(0, 1); default group
/// The SSM group (`S4DConfiguration.ssmGroup`) has its own learning rate and no weight decay.
///
/// - Complexity: forward O(H P L) kernel + O(B H L log L) convolution; backward twice that.
public final class S4D<Scalar: NeuralScalar & FFTScalar>: Layer {
    public let configuration: S4DConfiguration
    /// log Δ, shape (H).
    public let logStep: Parameter<Scalar>
    /// log(−Re A), shape (H, P).
    public let logAReal: Parameter<Scalar>
    /// Im A, shape (H, P).
    public let aImag: Parameter<Scalar>
    /// B, shape (H, P, 2). Trainable only when `configuration.learnableInput`.
    public let inputMatrix: Parameter<Scalar>
    /// C, shape (H, P, 2).
    public let outputMatrix: Parameter<Scalar>
    /// D, shape (H).
    public let skip: Parameter<Scalar>
    public var mode: LayerMode = .training

    /// Forward cache and workspaces (reused while (B, L) stay the same).
    private var inputShape: [Int]?
    private var input = Tensor<Scalar>(shape: [0])
    private var system: S4DDiscreteSystem?
    private var convolver: BatchedCausalConvolver<Scalar>?
    private var transposedInput: [Scalar] = []      // (B, H, L)
    private var transposedOutput: [Scalar] = []     // (B, H, L)
    private var kernelScalars: [Scalar] = []        // (H, L)
    private var kernelGradient: [Scalar] = []       // (H, L)

    /// A layer with the S4D initialisation: log Δ ~ U(log dtMin, log dtMax) per channel (drawn
    /// first), then C (re, im interleaved, each N(0, ½)), then D ~ N(0, 1); A and B from
    /// `configuration.initialization`.
    /// - Throws: `SequenceModelError.invalidConfiguration` for a bad field (or a failed LegS
    ///   eigendecomposition).
    public init(configuration c: S4DConfiguration, using rng: inout SplitMix64) throws(SequenceModelError) {
        try c.validate()
        configuration = c
        let H = c.channels, P = c.modes
        let (a, b) = try c.initialization.diagonal(stateSize: c.stateSize, learnableInput: c.learnableInput)
        let lo = Double.log(c.dtMin), hi = Double.log(c.dtMax)
        let group = c.ssmGroup
        logStep = Parameter(Tensor(shape: [H]) { p in for h in 0..<H { p[h] = Scalar(rng.uniform(lo, hi)) } }, group: group)
        logAReal = Parameter(Tensor(shape: [H, P]) { p in
            for i in 0..<(H * P) { p[i] = Scalar(Double.log(-a[i % P].real)) }
        }, group: group)
        aImag = Parameter(Tensor(shape: [H, P]) { p in for i in 0..<(H * P) { p[i] = Scalar(a[i % P].imaginary) } }, group: group)
        inputMatrix = Parameter(Tensor(shape: [H, P, 2]) { p in
            for i in 0..<(H * P) { p[2 * i] = Scalar(b[i % P].real); p[2 * i + 1] = Scalar(b[i % P].imaginary) }
        }, group: group)
        let sd = 0.5.squareRoot()
        outputMatrix = Parameter(Tensor.normal([H, P, 2], standardDeviation: sd, using: &rng))
        skip = Parameter(Tensor.normal([H], using: &rng))
    }

    /// H, the width of inputs and outputs.
    public var channels: Int { configuration.channels }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = [NamedParameter("log_dt", logStep), NamedParameter("log_A_real", logAReal), NamedParameter("A_imag", aImag)]
        if configuration.learnableInput { list.append(NamedParameter("B", inputMatrix)) }
        return list + [NamedParameter("C", outputMatrix), NamedParameter("D", skip)]
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else {
            throw .shapeMismatch(operation: "S4D input (batch, time, channels)", expected: [-1, -1, channels], found: inputShape)
        }
        try requireLastDimension(inputShape, channels, "S4D")
        return inputShape
    }

    /// The convolution kernel K (H, L) of the current parameters, without D (Double).
    /// - Complexity: O(H P L).
    public func kernel(length: Int, method: VandermondeMethod = .blocked) -> [Double] {
        discreteSystem().vandermonde.kernel(length: length, method: method)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == channels, "S4D(H: \(channels)) needs (batch, time, \(channels)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1], H = channels
        let sys = discreteSystem()
        let k = sys.vandermonde.kernel(length: L)                               // (H, L) Double
        prepareWorkspaces(batch: B, length: L)
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
        let y = Tensor<Scalar>(shape: x.shape) { out in                        // (B, L, H) = K * u + D u
            transposedOutput.withUnsafeBufferPointer { yt in
                x.withUnsafeBufferPointer { px in
                    d.withUnsafeBufferPointer { pd in
                        SSMLayout.transpose(yt, rows: B, a: H, b: L, adding: px, scaledBy: pd, into: out)
                    }
                }
            }
        }
        input = x
        inputShape = x.shape
        system = sys
        return y
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape, let sys = system, let conv = convolver else { preconditionFailure("S4D.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape, "S4D.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        let B = shape[0], L = shape[1], H = channels
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
        var gD = [Scalar](repeating: 0, count: H)
        input.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { g in
                gD.withUnsafeMutableBufferPointer { acc in
                    for row in 0..<(B * L) { for h in 0..<H { acc[h] += g[row * H + h] * px[row * H + h] } }
                }
            }
        }
        let d = skip.value
        let dx = Tensor<Scalar>(shape: shape) { out in
            transposedOutput.withUnsafeBufferPointer { gu in
                dy.withUnsafeBufferPointer { g in
                    d.withUnsafeBufferPointer { pd in SSMLayout.transpose(gu, rows: B, a: H, b: L, adding: g, scaledBy: pd, into: out) }
                }
            }
        }
        skip.gradient.withUnsafeMutableBufferPointer { dst in for h in 0..<H { dst[h] += gD[h] } }
        // Kernel → (W, Ā) → parameters.
        let (gW, gz) = sys.vandermonde.adjoint(kernelGradient: kernelGradient.map { Double($0) }, length: L)
        accumulateDiscretizationGradients(sys, weights: gW, eigenvalues: gz)
        return dx
    }

    private func prepareWorkspaces(batch B: Int, length L: Int) {
        let H = channels
        if let c = convolver, c.batch == B, c.length == L { return }
        convolver = BatchedCausalConvolver<Scalar>(batch: B, channels: H, length: L)
        transposedInput = [Scalar](repeating: 0, count: B * H * L)
        transposedOutput = transposedInput
        kernelScalars = [Scalar](repeating: 0, count: H * L)
        kernelGradient = kernelScalars
    }
}
