// Linear.swift — the affine map on the last dimension, y = x Wᵀ + b.
//
// The weight is stored (out, in) like PyTorch's `nn.Linear`, so its weights and fixtures load
// unchanged; the product uses gemm's transposition flag instead of a transposed copy. All
// leading dimensions (batch, time, …) fold into the row count of one gemm.

import LinearAlgebra

/// `y[…, o] = Σ_i x[…, i] · W[o, i] + b[o]`.
///
/// Backward, with `X` and `dY` flattened to (N, in) and (N, out):
/// `∂L/∂W += dYᵀ X`, `∂L/∂b += Σ_n dY[n, ·]`, `∂L/∂X = dY W`.
/// - Complexity: forward and `∂L/∂X` are each 2·N·in·out flops; `∂L/∂W` another 2·N·in·out.
public final class Linear<Scalar: NeuralScalar>: Layer {
    /// Features per input row.
    public let inputSize: Int
    /// Features per output row.
    public let outputSize: Int
    /// `W`, shape (outputSize, inputSize).
    public let weight: Parameter<Scalar>
    /// `b`, shape (outputSize), or `nil` for a layer without bias.
    public let bias: Parameter<Scalar>?
    public var mode: LayerMode = .training

    /// Forward cache: the last input, released by `backward` (one backward per forward).
    private var input: Tensor<Scalar>?
    /// Output and input-gradient buffers, reused across calls (`Tensor.resize(to:)`).
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

    /// A layer with PyTorch's default initialisation unless told otherwise: weight
    /// `U(±1/√in)` (`Initializer.linearDefault`), bias `U(±1/√in)`. The weight is drawn first.
    public init(inputSize: Int, outputSize: Int, bias hasBias: Bool = true,
                weightInitializer: Initializer = .linearDefault, biasInitializer: Initializer? = nil,
                using rng: inout SplitMix64) {
        precondition(inputSize >= 0 && outputSize >= 0, "Linear sizes must be non-negative") // invariant: programmer misuse
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Parameter(weightInitializer.tensor([outputSize, inputSize], using: &rng))
        if hasBias {
            let bound = 1 / Double(Swift.max(1, inputSize)).squareRoot()
            let rule = biasInitializer ?? .uniform(lo: -bound, hi: bound)
            bias = Parameter(rule.tensor([outputSize], using: &rng))
        } else {
            bias = nil
        }
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = [NamedParameter("weight", weight)]
        if let bias { list.append(NamedParameter("bias", bias)) }
        return list
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        try requireLastDimension(inputShape, inputSize, "Linear")
        return inputShape.dropLast() + [outputSize]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank >= 1 && x.lastDimension == inputSize, "Linear(\(inputSize)→\(outputSize)) got input \(x.shape)") // invariant: shapes checked by caller
        input = nil
        let rows = x.shape.dropLast().reduce(1, *)
        outputBuffer.resize(to: [rows, outputSize])                              // (N, out)
        if inputSize == 0 {
            outputBuffer.fill(0)
        } else {
            Tensor.matmul(x.reshaped([rows, inputSize]), .none, weight.value, .transpose, into: &outputBuffer)
        }
        if let bias { outputBuffer.add(lastAxis: bias.value) }
        outputBuffer.reshape(x.shape.dropLast() + [outputSize])
        input = x
        return outputBuffer
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("Linear.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dy.shape == x.shape.dropLast() + [outputSize], "Linear.backward: gradient \(dy.shape) for input \(x.shape)") // invariant: shapes checked by caller
        let rows = x.shape.dropLast().reduce(1, *)
        let dyRows = dy.reshaped([rows, outputSize])                             // (N, out)
        if rows > 0 {
            Tensor.matmul(dyRows, .transpose, x.reshaped([rows, inputSize]), .none, into: &weight.gradient, beta: 1)  // (out, in)
        }
        if let bias { dyRows.accumulateSumOverLeadingAxes(into: &bias.gradient) }
        gradientBuffer.resize(to: [rows, inputSize])                             // (N, in)
        if outputSize == 0 {
            gradientBuffer.fill(0)
        } else {
            Tensor.matmul(dyRows, .none, weight.value, .none, into: &gradientBuffer)
        }
        gradientBuffer.reshape(x.shape)
        input = nil
        return gradientBuffer
    }
}
