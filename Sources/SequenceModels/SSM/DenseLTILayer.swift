// DenseLTILayer.swift — a full learnable discrete LTI system as a sequence layer: the lab's
// "an RNN is an LTI system is a CNN" layer.
//
// Control convention (as StateSpace): with n states, m inputs, p outputs,
//     x[k+1] = A x[k] + B u[k],     y[k] = C x[k] + D u[k],     x[0] = 0
// which is a linear RNN (DenseLTICell, DenseLTILayer+Recurrent.swift) and equally a causal
// convolution y = h * u with the kernel h[0] = D, h[k] = C A^(k−1) B. Training uses the latter:
//   1. h (L, p, m) from StateSpace's `DiscreteLTI.kernel(method: .doubling)`     O(L n² m) in GEMMs
//   2. y = h * u by batched MIMO FFT (BatchedMIMOConvolver)                      O((B m + p m + B p) L log L)
// Backward: the convolver's adjoints give ∂ℓ/∂u and ∂ℓ/∂h; ∂ℓ/∂D = ∂ℓ/∂h[0], and reverse mode
// through the power recursion gives A, B, C (DenseLTILayer+Kernel.swift).

import LinearAlgebra
import Spectral
import StateSpace

/// The hyperparameters of a `DenseLTILayer`.
public struct DenseLTIConfiguration: Codable, Hashable, Sendable {
    /// m, input channels.
    public var inputSize: Int
    /// p, output channels.
    public var outputSize: Int
    /// n, states.
    public var stateSize: Int
    /// ρ: A starts as ρ times a random orthogonal matrix, so every eigenvalue has modulus ρ. Default 0.9.
    public var spectralRadius: Double

    public init(inputSize: Int, outputSize: Int, stateSize: Int, spectralRadius: Double = 0.9) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.stateSize = stateSize
        self.spectralRadius = spectralRadius
    }

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        for (name, value) in [("inputSize", inputSize), ("outputSize", outputSize), ("stateSize", stateSize)] where value < 1 {
            throw .invalidConfiguration(name: name, reason: "must be ≥ 1, got \(value)")
        }
        guard spectralRadius.isFinite && spectralRadius >= 0 && spectralRadius < 1 else {
            throw .invalidConfiguration(name: "spectralRadius", reason: "must be in [0, 1) for a stable start, got \(spectralRadius)")
        }
    }
}

/// A learnable `x[k+1] = A x[k] + B u[k]`, `y[k] = C x[k] + D u[k]` on (batch, time, m) → (batch, time, p).
/// Parameters: "A" (n, n), "B" (n, m), "C" (p, n), "D" (p, m), row-major like StateSpace's matrices.
/// - Complexity: forward O(L n² m) kernel + O((B + p) m L log L) convolution; backward adds the
///   kernel's reverse mode, O(L n² m) + O(L n m (n + p)) in GEMMs.
public final class DenseLTILayer<Scalar: NeuralScalar & FFTScalar>: Layer {
    public let configuration: DenseLTIConfiguration
    public let a: Parameter<Scalar>
    public let b: Parameter<Scalar>
    public let c: Parameter<Scalar>
    public let d: Parameter<Scalar>
    public var mode: LayerMode = .training

    private var inputShape: [Int]?
    private var convolver: BatchedMIMOConvolver<Scalar>?
    private var transposedInput: [Scalar] = []     // (B, m, L)
    private var transposedOutput: [Scalar] = []    // (B, p, L)
    private var kernelScalars: [Scalar] = []       // (p, m, L)

    /// Draws, in order: A = ρ·Q with Q orthogonal (`Initializer.orthogonal`), then B, C, D with
    /// PyTorch's Linear default U(±1/√fan_in).
    /// - Throws: `SequenceModelError.invalidConfiguration` for a bad field.
    public init(configuration cfg: DenseLTIConfiguration, using rng: inout SplitMix64) throws(SequenceModelError) {
        try cfg.validate()
        configuration = cfg
        let n = cfg.stateSize, m = cfg.inputSize, p = cfg.outputSize
        a = Parameter(Initializer.orthogonal(gain: cfg.spectralRadius).tensor([n, n], using: &rng))
        b = Parameter(Initializer.linearDefault.tensor([n, m], using: &rng))
        c = Parameter(Initializer.linearDefault.tensor([p, n], using: &rng))
        d = Parameter(Initializer.linearDefault.tensor([p, m], using: &rng))
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        [NamedParameter("A", a), NamedParameter("B", b), NamedParameter("C", c), NamedParameter("D", d)]
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else {
            throw .shapeMismatch(operation: "DenseLTILayer input (batch, time, inputs)", expected: [-1, -1, configuration.inputSize], found: inputShape)
        }
        try requireLastDimension(inputShape, configuration.inputSize, "DenseLTILayer")
        return [inputShape[0], inputShape[1], configuration.outputSize]
    }

    /// The current parameters as a StateSpace system (Double), or nil when they are not finite.
    public func system() -> DiscreteLTI? {
        let n = configuration.stateSize, m = configuration.inputSize, p = configuration.outputSize
        func matrix(_ t: Tensor<Scalar>, _ r: Int, _ c: Int) -> Matrix { Matrix(rows: r, cols: c, elements: t.scalars.map { Double($0) }) }
        return try? DiscreteLTI(a: matrix(a.value, n, n), b: matrix(b.value, n, m), c: matrix(c.value, p, n), d: matrix(d.value, p, m))
    }

    /// The kernel h (L, p, m) in StateSpace's layout, from `DiscreteLTI.kernel(.doubling)`; NaN
    /// everywhere when the parameters are not finite (a diverged model yields NaN outputs, which
    /// the training loop detects, instead of trapping).
    public func kernel(length: Int) -> [Double] {
        let p = configuration.outputSize, m = configuration.inputSize
        guard let sys = system(), let k = try? sys.kernel(length: length, method: .doubling) else {
            return [Double](repeating: .nan, count: length * p * m)
        }
        return k.values
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let m = configuration.inputSize, p = configuration.outputSize
        precondition(x.rank == 3 && x.shape[2] == m, "DenseLTILayer(m: \(m)) needs (batch, time, \(m)), got \(x.shape)") // invariant: shapes checked by caller
        let B = x.shape[0], L = x.shape[1]
        prepare(batch: B, length: L)
        let h = kernel(length: L)
        kernelScalars.withUnsafeMutableBufferPointer { ks in        // (L, p, m) → (p, m, L)
            for k in 0..<L { for e in 0..<(p * m) { ks[e * L + k] = Scalar(h[k * p * m + e]) } }
        }
        x.withUnsafeBufferPointer { px in transposedInput.withUnsafeMutableBufferPointer { SSMLayout.transpose(px, rows: B, a: L, b: m, into: $0) } }
        let conv = convolver!
        transposedInput.withUnsafeBufferPointer { u in
            kernelScalars.withUnsafeBufferPointer { k in
                transposedOutput.withUnsafeMutableBufferPointer { conv.forward(u, kernels: k, into: $0) }
            }
        }
        var flat = [Scalar](repeating: 0, count: B * L * p)
        transposedOutput.withUnsafeBufferPointer { SSMLayout.transpose($0, rows: B, a: p, b: L, into: &flat) }
        inputShape = x.shape
        return Tensor(shape: [B, L, p], scalars: flat)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape, let conv = convolver else { preconditionFailure("DenseLTILayer.backward called before forward") } // invariant: forward/backward pairing
        let m = configuration.inputSize, p = configuration.outputSize
        let B = shape[0], L = shape[1]
        precondition(dy.shape == [B, L, p], "DenseLTILayer.backward: gradient \(dy.shape) for output [\(B), \(L), \(p)]") // invariant: shapes checked by caller
        var gyT = [Scalar](repeating: 0, count: B * p * L)
        dy.withUnsafeBufferPointer { SSMLayout.transpose($0, rows: B, a: L, b: p, into: &gyT) }
        var guT = [Scalar](repeating: 0, count: B * m * L), gk = [Scalar](repeating: 0, count: p * m * L)
        gyT.withUnsafeBufferPointer { g in
            guT.withUnsafeMutableBufferPointer { gu in
                gk.withUnsafeMutableBufferPointer { conv.backward(outputGradient: g, inputGradient: gu, kernelGradient: $0) }
            }
        }
        // ∂ℓ/∂h in StateSpace's (L, p, m) layout, Double.
        var gh = [Double](repeating: 0, count: L * p * m)
        for e in 0..<(p * m) { for k in 0..<L { gh[k * p * m + e] = Double(gk[e * L + k]) } }
        accumulateKernelGradients(gh, length: L)
        var flat = [Scalar](repeating: 0, count: B * L * m)
        guT.withUnsafeBufferPointer { SSMLayout.transpose($0, rows: B, a: m, b: L, into: &flat) }
        return Tensor(shape: shape, scalars: flat)
    }

    private func prepare(batch B: Int, length L: Int) {
        let m = configuration.inputSize, p = configuration.outputSize
        if let c = convolver, c.batch == B, c.length == L { return }
        convolver = BatchedMIMOConvolver(batch: B, inputs: m, outputs: p, length: L)
        transposedInput = [Scalar](repeating: 0, count: B * m * L)
        transposedOutput = [Scalar](repeating: 0, count: B * p * L)
        kernelScalars = [Scalar](repeating: 0, count: p * m * L)
    }
}
