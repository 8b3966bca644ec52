// PositionalEncoding.swift — position information added to a (batch, time, d) sequence.
//
// Attention is permutation-equivariant; these layers make position t visible by adding a vector
// p_t to every input row x[b, t, :]. Both add with BLAS (axpy per sequence), so the broadcast over
// the batch costs one pass at BLAS speed.

import LinearAlgebra

extension Tensor {
    /// `self[b, t, :] += alpha · table[t, :]` for every sequence b of the (B, T, d) tensor,
    /// where `table` has at least T·d elements (row-major (·, d)).
    mutating func addToEverySequence(_ table: UnsafePointer<Scalar>) {
        guard count > 0 else { return }
        let perSequence = shape[1] * shape[2], batch = shape[0]
        withUnsafeMutableBufferPointer { p in
            for b in 0..<batch {
                Scalar.axpy(n: perSequence, alpha: 1, x: table, incx: 1, y: p.baseAddress! + b * perSequence, incy: 1)
            }
        }
    }
}

/// `y[b, t, :] = x[b, t, :] + p_t` with the fixed sinusoids of Vaswani et al., "Attention Is
/// All You Need" (2017): for i < ⌈d/2⌉, ω_i = base^(−2i/d), `p_t[2i] = sin(t ω_i)`,
/// `p_t[2i+1] = cos(t ω_i)`. No parameters; backward is the identity. The table is computed
/// in Double, rounded once, and grown as longer sequences arrive.
/// - Complexity: O(B·T·d).
public final class SinusoidalPositionalEncoding<Scalar: NeuralScalar>: Layer {
    /// d, the feature width.
    public let size: Int
    /// The wavelength base (10 000 in the paper).
    public let base: Double
    public var mode: LayerMode = .training
    private var table = Tensor<Scalar>(shape: [0, 0])
    private var inputShape: [Int]?

    public init(size: Int, base: Double = 10_000) {
        precondition(size > 0 && base > 1, "SinusoidalPositionalEncoding needs size > 0 and base > 1") // invariant: programmer misuse
        self.size = size
        self.base = base
    }

    /// The encodings p_0 … p_{length−1}, shape (length, d).
    public func encodings(length: Int) -> Tensor<Scalar> {
        let d = size, base = self.base
        return Tensor(shape: [length, d]) { out in
            for t in 0..<length {
                for i in stride(from: 0, to: d, by: 2) {
                    let angle = Double(t) * Double.pow(base, -Double(i) / Double(d))
                    out[t * d + i] = Scalar(Double.sin(angle))
                    if i + 1 < d { out[t * d + i + 1] = Scalar(Double.cos(angle)) }
                }
            }
        }
    }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "positional encoding input (batch, time, features)", expected: [-1, -1, size], found: inputShape) }
        try requireLastDimension(inputShape, size, "SinusoidalPositionalEncoding")
        return inputShape
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == size, "SinusoidalPositionalEncoding(\(size)) got input \(x.shape)") // invariant: shapes checked by caller
        inputShape = x.shape
        guard x.count > 0 else { return x }
        let time = x.shape[1]
        if table.shape[0] < time { table = encodings(length: Swift.max(time, 2 * table.shape[0])) }
        var y = x
        table.withUnsafeBufferPointer { y.addToEverySequence($0.baseAddress!) }
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("SinusoidalPositionalEncoding.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape, "SinusoidalPositionalEncoding.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        return dy
    }
}

/// `y[b, t, :] = x[b, t, :] + W[t, :]` with a learned table W of shape (maxLength, d), as in
/// GPT-2 (initialised N(0, 0.02²)). Backward: `∂L/∂x = ∂L/∂y`, `∂L/∂W[t] += Σ_b ∂L/∂y[b, t]`.
/// Parameter: "weight". Sequences longer than `maxLength` are rejected by `outputShape(for:)`.
/// - Complexity: O(B·T·d).
public final class LearnedPositionalEncoding<Scalar: NeuralScalar>: Layer {
    /// The longest sequence the table covers.
    public let maxLength: Int
    /// d, the feature width.
    public let size: Int
    /// W, shape (maxLength, d).
    public let weight: Parameter<Scalar>
    public var mode: LayerMode = .training
    private var inputShape: [Int]?

    public init(maxLength: Int, size: Int, initializer: Initializer = .normal(standardDeviation: 0.02),
                using rng: inout SplitMix64) {
        precondition(maxLength > 0 && size > 0, "LearnedPositionalEncoding needs positive sizes") // invariant: programmer misuse
        self.maxLength = maxLength
        self.size = size
        weight = Parameter(initializer.tensor([maxLength, size], using: &rng))
    }

    public var namedParameters: [NamedParameter<Scalar>] { [NamedParameter("weight", weight)] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "positional encoding input (batch, time, features)", expected: [-1, -1, size], found: inputShape) }
        try requireLastDimension(inputShape, size, "LearnedPositionalEncoding")
        guard inputShape[1] <= maxLength else {
            throw .invalidConfiguration(name: "sequence length", reason: "\(inputShape[1]) exceeds the learned positional table of \(maxLength) positions")
        }
        return inputShape
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == size && x.shape[1] <= maxLength, "LearnedPositionalEncoding(\(maxLength), \(size)) got input \(x.shape)") // invariant: shapes checked by caller
        inputShape = x.shape
        guard x.count > 0 else { return x }
        var y = x
        weight.value.withUnsafeBufferPointer { y.addToEverySequence($0.baseAddress!) }
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("LearnedPositionalEncoding.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape, "LearnedPositionalEncoding.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        let perSequence = shape[1] * shape[2]
        guard dy.count > 0 else { return dy }
        dy.withUnsafeBufferPointer { g in
            weight.gradient.withUnsafeMutableBufferPointer { w in
                for b in 0..<shape[0] {
                    Scalar.axpy(n: perSequence, alpha: 1, x: g.baseAddress! + b * perSequence, incx: 1, y: w.baseAddress!, incy: 1)
                }
            }
        }
        return dy
    }
}
