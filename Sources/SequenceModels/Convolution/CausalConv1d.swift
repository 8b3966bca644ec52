// CausalConv1d.swift — dilated causal 1-D convolution over time on (batch, time, channels).
//
// van den Oord et al., "WaveNet: A Generative Model for Raw Audio" (2016) for dilated causal
// convolutions; the layout follows PyTorch's `nn.Conv1d` (weight (out, in, k), cross-correlation)
// with a left zero-padding of (k − 1)·dilation only (Tests/Fixtures/torch/conv1d.json).
//
// Fast path ("shifted products"): tap j looks s_j = (k − 1 − j)·dilation steps back, so
//     Y[b, s_j:T, :] += X[b, 0:T−s_j, :] · W_j        with W_j[i, o] = W[o, i, j]  (C_in × C_out)
// is one gemm per (sequence, tap) on row ranges of the time-major buffers: no im2col copy, and
// the forward cache is just the input. The plain path (`CausalConv1d+Reference.swift`) evaluates
// the defining sum element by element; tests pin that they agree.

import LinearAlgebra

/// How `CausalConv1d` computes.
public enum ConvolutionAlgorithm: Hashable, Sendable {
    /// One gemm per (sequence, tap) on shifted row ranges.
    case shiftedProducts
    /// The defining sums, element by element (for tests).
    case reference
}

/// `y[b, t, o] = bias[o] + Σ_{i, j} W[o, i, j] · x[b, t − (k−1−j)·dilation, i]`, terms with a
/// negative time index being 0 (causal, left padding only; tap k − 1 is the current sample).
///
/// Backward, with s_j = (k−1−j)·dilation:
/// `∂W[o, i, j] += Σ_{b, t ≥ s_j} ∂y[b, t, o] x[b, t − s_j, i]`, `∂bias[o] += Σ_{b, t} ∂y[b, t, o]`,
/// `∂x[b, t, i] = Σ_{j, o} W[o, i, j] ∂y[b, t + s_j, o]` (terms with t + s_j ≥ T being 0).
/// Parameters: "weight" (out, in, k), "bias" (out); PyTorch's default initialisation
/// U(±1/√(in·k)) for both.
/// - Complexity: 2·B·T·k·C_in·C_out flops forward, twice that backward.
public final class CausalConv1d<Scalar: NeuralScalar>: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let dilation: Int
    /// W, shape (outputChannels, inputChannels, kernelSize).
    public let weight: Parameter<Scalar>
    /// b, shape (outputChannels), or nil.
    public let bias: Parameter<Scalar>?
    public var algorithm: ConvolutionAlgorithm = .shiftedProducts
    public var mode: LayerMode = .training
    private var input: Tensor<Scalar>?

    /// The number of past steps the output sees, (k − 1)·dilation (the left padding).
    public var padding: Int { (kernelSize - 1) * dilation }

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, dilation: Int = 1, bias hasBias: Bool = true,
                weightInitializer: Initializer = .linearDefault, using rng: inout SplitMix64) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && dilation > 0, "CausalConv1d sizes must be positive") // invariant: programmer misuse (configurations are validated)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.dilation = dilation
        weight = Parameter(weightInitializer.tensor([outputChannels, inputChannels, kernelSize], using: &rng))
        let bound = 1 / Double(inputChannels * kernelSize).squareRoot()
        bias = hasBias ? Parameter(Initializer.uniform(lo: -bound, hi: bound).tensor([outputChannels], using: &rng), group: .noWeightDecay) : nil
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = [NamedParameter("weight", weight)]
        if let bias { list.append(NamedParameter("bias", bias)) }
        return list
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "CausalConv1d input (batch, time, channels)", expected: [-1, -1, inputChannels], found: inputShape) }
        try requireLastDimension(inputShape, inputChannels, "CausalConv1d")
        return [inputShape[0], inputShape[1], outputChannels]
    }

    /// The weight rearranged tap-major, W_j[i, o] = W[o, i, j]: shape (k, C_in, C_out).
    func tapMajorWeight() -> Tensor<Scalar> {
        let (co, ci, k) = (outputChannels, inputChannels, kernelSize)
        return weight.value.withUnsafeBufferPointer { w in
            Tensor(shape: [k, ci, co]) { out in
                for o in 0..<co { for i in 0..<ci { for j in 0..<k { out[(j * ci + i) * co + o] = w[(o * ci + i) * k + j] } } }
            }
        }
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == inputChannels, "CausalConv1d(\(inputChannels)→\(outputChannels)) got input \(x.shape)") // invariant: shapes checked by caller
        input = x
        if algorithm == .reference { return referenceForward(x) }
        let (batch, time, ci, co) = (x.shape[0], x.shape[1], inputChannels, outputChannels)
        var y = Tensor<Scalar>.zeroFilled([batch, time, co])
        guard y.count > 0 else { return y }
        let taps = tapMajorWeight()
        x.withUnsafeBufferPointer { px in
            taps.withUnsafeBufferPointer { pw in
                y.withUnsafeMutableBufferPointer { py in
                    for b in 0..<batch {
                        for j in 0..<kernelSize {
                            let shift = (kernelSize - 1 - j) * dilation
                            guard shift < time else { continue }
                            Scalar.gemm(.none, .none, m: time - shift, n: co, k: ci, alpha: 1,
                                        a: px.baseAddress! + b * time * ci, lda: ci,
                                        b: pw.baseAddress! + j * ci * co, ldb: co, beta: 1,
                                        c: py.baseAddress! + (b * time + shift) * co, ldc: co)
                        }
                    }
                }
            }
        }
        if let bias { y.addToEveryRow(bias.value) }
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("CausalConv1d.backward called before forward") } // invariant: forward/backward pairing
        let (batch, time, ci, co, k) = (x.shape[0], x.shape[1], inputChannels, outputChannels, kernelSize)
        precondition(dy.shape == [batch, time, co], "CausalConv1d.backward: gradient \(dy.shape) for input \(x.shape)") // invariant: shapes checked by caller
        if algorithm == .reference { return referenceBackward(x, dy) }
        guard x.count > 0 else { return Tensor.zeroFilled(x.shape) }
        if let bias { dy.accumulateColumnSums(into: &bias.gradient) }
        let taps = tapMajorWeight()
        var tapGradient = Tensor<Scalar>.zeroFilled([k, ci, co])                  // ∂W_j, tap-major
        var dx = Tensor<Scalar>.zeroFilled(x.shape)
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { pdy in
                taps.withUnsafeBufferPointer { pw in
                    tapGradient.withUnsafeMutableBufferPointer { pg in
                        dx.withUnsafeMutableBufferPointer { pdx in
                            for b in 0..<batch {
                                for j in 0..<k {
                                    let shift = (k - 1 - j) * dilation
                                    guard shift < time else { continue }
                                    let xRows = px.baseAddress! + b * time * ci                 // x[b, 0:T−s]
                                    let dyRows = pdy.baseAddress! + (b * time + shift) * co     // ∂y[b, s:T]
                                    Scalar.gemm(.transpose, .none, m: ci, n: co, k: time - shift, alpha: 1,
                                                a: xRows, lda: ci, b: dyRows, ldb: co, beta: 1,
                                                c: pg.baseAddress! + j * ci * co, ldc: co)       // ∂W_j += xᵀ ∂y
                                    Scalar.gemm(.none, .transpose, m: time - shift, n: ci, k: co, alpha: 1,
                                                a: dyRows, lda: co, b: pw.baseAddress! + j * ci * co, ldb: co, beta: 1,
                                                c: pdx.baseAddress! + b * time * ci, ldc: ci)    // ∂x += ∂y W_jᵀ
                                }
                            }
                        }
                    }
                }
            }
        }
        tapGradient.withUnsafeBufferPointer { g in
            weight.gradient.withUnsafeMutableBufferPointer { w in
                for o in 0..<co { for i in 0..<ci { for j in 0..<k { w[(o * ci + i) * k + j] += g[(j * ci + i) * co + o] } } }
            }
        }
        return dx
    }
}
