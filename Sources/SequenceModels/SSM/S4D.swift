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
//   3. K'[h][0] = K[h][0] + D[h]                  (D u is the kernel's tap 0)
//   4. y = K' * u per (batch, channel) by FFT     TimeMajorConvolver.swift, Float or Double,
//      (length ≥ 2L − 1, so no wrap-around)        O(B H L log L), in cache-sized tiles
// Backward runs the same steps in reverse: the convolver's adjoints give ∂ℓ/∂u and ∂ℓ/∂K'
// (whose tap 0 is ∂ℓ/∂D), the Vandermonde adjoint gives ∂ℓ/∂W and ∂ℓ/∂Ā, the
// discretisation's derivative the parameter gradients. Steps 1–2 and their adjoints run in
// Double whatever `Scalar` is (they cost O(H P L), and Double keeps z^l free of Float underflow
// for long L). The reference path (`convolutionPath = .transposed`, S4D+TransposedPath.swift)
// transposes to (B, H, L), convolves with Spectral's `BatchedCausalConvolver` and adds D u
// separately.
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
/// Forward cache: a reference to the input (released by `backward`, one backward per forward)
/// and the discrete system. The output and input-gradient buffers are reused across calls
/// (`Tensor.resize(to:)`), as are the convolver's workspaces while (batch, length) stay the same.
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

    /// How convolution mode runs (`.tiled` by default; `.transposed` is the reference path).
    /// Results agree to rounding. Takes effect at the next `forward`.
    public var convolutionPath: S4DConvolutionPath = .tiled

    /// Forward cache: the input (released by `backward`), the discrete system, the path taken.
    var input: Tensor<Scalar>?
    var system: S4DDiscreteSystem?
    var forwardPath: S4DConvolutionPath = .tiled
    /// Output and input-gradient buffers, reused across calls (`Tensor.resize(to:)`).
    var outputBuffer = Tensor<Scalar>(shape: [0])
    var gradientBuffer = Tensor<Scalar>(shape: [0])
    /// Workspaces, reused while (B, L) stay the same.
    var tiledConvolver: TimeMajorConvolver<Scalar>?
    var kernelScalars: [Scalar] = []                // (H, L): K with D folded into tap 0 (tiled path)
    var kernelGradient: [Scalar] = []               // (H, L)
    /// Threads for the Vandermonde kernel and its adjoint on the tiled path (set by a fused
    /// `SSMBlock` to its `batchParallelism`; the result does not depend on it).
    var kernelParallelism = 1
    var convolver: BatchedCausalConvolver<Scalar>?  // transposed path
    var transposedInput: [Scalar] = []              // (B, H, L)
    var transposedOutput: [Scalar] = []             // (B, H, L)

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

    /// y = K * u + D u per channel, in convolution mode.
    ///
    /// The tiled path folds D into the kernel's first tap, `K'[h][0] = K[h][0] + D[h]`, so
    /// `y = K' * u` in one convolution; then `∂ℓ/∂D[h] = ∂ℓ/∂K'[h][0]` and `∂ℓ/∂K = ∂ℓ/∂K'`.
    /// - Complexity: O(H P L) kernel + O(B H L log L) convolution.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == channels, "S4D(H: \(channels)) needs (batch, time, \(channels)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1]
        input = nil                                                             // let a buffer we cached go first
        let y: Tensor<Scalar>
        switch convolutionPath {
        case .tiled:
            let conv = prepareTiledConvolution(batch: B, length: L)
            outputBuffer.resize(to: x.shape)
            x.withUnsafeBufferPointer { px in outputBuffer.withUnsafeMutableBufferPointer { conv.forward(px, into: $0) } }
            y = outputBuffer
        case .transposed:
            let sys = discreteSystem()
            system = sys
            y = transposedForward(x, kernel: sys.vandermonde.kernel(length: L), batch: B, length: L)
        }
        input = x
        forwardPath = convolutionPath
        return y
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("S4D.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dy.shape == x.shape, "S4D.backward: gradient \(dy.shape) for input \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1], H = channels
        let dx: Tensor<Scalar>
        switch forwardPath {
        case .tiled:
            guard let conv = tiledConvolver else { preconditionFailure("S4D: tiled backward without its convolver") } // invariant: set by forward
            gradientBuffer.resize(to: x.shape)
            dy.withUnsafeBufferPointer { g in
                x.withUnsafeBufferPointer { px in
                    gradientBuffer.withUnsafeMutableBufferPointer { gx in
                        kernelGradient.withUnsafeMutableBufferPointer { conv.backward(outputGradient: g, input: px, inputGradient: gx, kernelGradient: $0) }
                    }
                }
            }
            dx = gradientBuffer
            accumulateTiledKernelGradients(length: L)
        case .transposed:
            var gD = [Scalar](repeating: 0, count: H)
            dx = transposedBackward(dy, input: x, skipGradient: &gD, batch: B, length: L)
            accumulateKernelGradients(length: L, skip: gD)
        }
        input = nil                                                             // one backward per forward
        return dx
    }

    /// Tiled path, before the convolution: discretises the parameters (kept for the backward),
    /// builds K' = K with D added to tap 0 (taps below the smallest normal flushed to 0) and
    /// hands it to the (B, L) convolver, made or reused.
    /// - Complexity: O(H P L) for the kernel, 2H FFTs for its spectrum.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func prepareTiledConvolution(batch B: Int, length L: Int) -> TimeMajorConvolver<Scalar> {
        let H = channels
        let sys = discreteSystem()
        system = sys
        let k = sys.vandermonde.kernel(length: L, parallelism: kernelParallelism), d = sys.d   // (H, L) Double
        if tiledConvolver == nil || tiledConvolver!.batch != B || tiledConvolver!.length != L {
            tiledConvolver = TimeMajorConvolver<Scalar>(batch: B, length: L, channels: H)
        }
        if kernelScalars.count != H * L { kernelScalars = [Scalar](repeating: 0, count: H * L) }
        if kernelGradient.count != H * L { kernelGradient = [Scalar](repeating: 0, count: H * L) }
        let tiny = Double(Scalar.leastNormalMagnitude)
        kernelScalars.withUnsafeMutableBufferPointer { ks in
            for i in 0..<(H * L) { ks[i] = Swift.abs(k[i]) < tiny ? 0 : Scalar(k[i]) }   // no subnormal taps
            if L > 0 { for h in 0..<H { ks[h * L] = Scalar(k[h * L] + d[h]) } }       // K'[h][0] = K[h][0] + D[h]
        }
        let conv = tiledConvolver!
        kernelScalars.withUnsafeBufferPointer { conv.setKernels($0) }
        return conv
    }

    /// Tiled path, after the convolution adjoint left ∂ℓ/∂K' in `kernelGradient`: ∂ℓ/∂D[h] is its
    /// tap 0, ∂ℓ/∂K the whole of it; adds the parameter gradients.
    func accumulateTiledKernelGradients(length L: Int) {
        let H = channels
        var gD = [Scalar](repeating: 0, count: H)
        if L > 0 { for h in 0..<H { gD[h] = kernelGradient[h * L] } }
        accumulateKernelGradients(length: L, skip: gD)
    }

    /// Adds ∂ℓ/∂D and, from ∂ℓ/∂K in `kernelGradient`, the gradients of C, B, A and log Δ
    /// (Vandermonde adjoint, then the discretisation's reverse mode) to the parameters.
    /// - Complexity: O(H P L).
    func accumulateKernelGradients(length L: Int, skip gD: [Scalar]) {
        guard let sys = system else { preconditionFailure("S4D: kernel gradients without a forward") } // invariant: set by forward
        let H = channels
        skip.gradient.withUnsafeMutableBufferPointer { dst in for h in 0..<H { dst[h] += gD[h] } }
        let (gW, gz) = sys.vandermonde.adjoint(kernelGradient: kernelGradient.map { Double($0) }, length: L, parallelism: kernelParallelism)
        accumulateDiscretizationGradients(sys, weights: gW, eigenvalues: gz)
    }
}

/// How `S4D` runs its convolution mode. Both give the same values up to rounding (the tests
/// compare them).
public enum S4DConvolutionPath: String, Sendable, CaseIterable {
    /// `TimeMajorConvolver`: tiles of 8 channels of one sequence go through gather, FFTs,
    /// products and scatter in cache, on the (batch, time, channels) layout; D is folded into
    /// the kernel's first tap. The default.
    case tiled
    /// The reference path: whole-tensor transposes to (batch, channels, time) around Spectral's
    /// `BatchedCausalConvolver`, D u added separately (S4D+TransposedPath.swift).
    case transposed
}
