// Initializer.swift — seeded weight initialisation schemes.
//
// Fans follow PyTorch's convention for a weight of shape (out, in, k…): receptive field
// r = Π k…, fan_in = in · r, fan_out = out · r (a rank-1 tensor uses its length for both).
// All draws are Doubles from the `SplitMix64` passed in, in row-major order, rounded to the
// scalar type: the same seed gives bitwise-identical weights.
//
// References: Glorot & Bengio, "Understanding the difficulty of training deep feedforward
// neural networks" (2010); He et al., "Delving Deep into Rectifiers" (2015); Saxe et al.,
// "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks" (2014).

import LinearAlgebra

/// A rule for drawing initial parameter values.
public enum Initializer: Sendable, Hashable {
    /// All zeros.
    case zeros
    /// Every element `value`.
    case constant(Double)
    /// `U(lo, hi)`.
    case uniform(lo: Double, hi: Double)
    /// `N(0, σ²)`.
    case normal(standardDeviation: Double)
    /// Glorot/Xavier uniform: `U(−a, a)`, `a = gain · √(6 / (fan_in + fan_out))`.
    case glorotUniform(gain: Double = 1)
    /// Glorot/Xavier normal: `N(0, σ²)`, `σ = gain · √(2 / (fan_in + fan_out))`.
    case glorotNormal(gain: Double = 1)
    /// He/Kaiming uniform (fan_in mode): `U(−a, a)`, `a = gain · √(3 / fan_in)`; gain √2 for ReLU.
    case heUniform(gain: Double = 2.0.squareRoot())
    /// He/Kaiming normal (fan_in mode): `N(0, σ²)`, `σ = gain / √fan_in`.
    case heNormal(gain: Double = 2.0.squareRoot())
    /// A (semi-)orthogonal matrix times `gain`: the Q of a QR factorisation of a Gaussian matrix
    /// with the signs of R's diagonal folded in (so Q is Haar-distributed), as `torch.nn.init.orthogonal_`.
    case orthogonal(gain: Double = 1)

    /// PyTorch's `nn.Linear` weight default, `kaiming_uniform_(a: √5)`: `U(±1/√fan_in)`.
    public static var linearDefault: Initializer { .heUniform(gain: (1.0 / 3).squareRoot()) }

    /// `(fan_in, fan_out)` of a weight shape (PyTorch convention).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        default:
            let receptive = shape.dropFirst(2).reduce(1, *)
            return (shape[1] * receptive, shape[0] * receptive)
        }
    }

    /// A tensor of `shape` drawn by this rule from `rng`.
    public func tensor<Scalar: BLASScalar>(_ shape: [Int], using rng: inout SplitMix64) -> Tensor<Scalar> {
        let (fanIn, fanOut) = Initializer.fans(shape)
        switch self {
        case .zeros:
            return Tensor(shape: shape)
        case let .constant(v):
            return Tensor(shape: shape, repeating: Scalar(v))
        case let .uniform(lo, hi):
            return .uniform(shape, lo, hi, using: &rng)
        case let .normal(sd):
            return .normal(shape, standardDeviation: sd, using: &rng)
        case let .glorotUniform(gain):
            let a = gain * (6.0 / Double(Swift.max(1, fanIn + fanOut))).squareRoot()
            return .uniform(shape, -a, a, using: &rng)
        case let .glorotNormal(gain):
            let sd = gain * (2.0 / Double(Swift.max(1, fanIn + fanOut))).squareRoot()
            return .normal(shape, standardDeviation: sd, using: &rng)
        case let .heUniform(gain):
            let a = gain * (3.0 / Double(Swift.max(1, fanIn))).squareRoot()
            return .uniform(shape, -a, a, using: &rng)
        case let .heNormal(gain):
            return .normal(shape, standardDeviation: gain / Double(Swift.max(1, fanIn)).squareRoot(), using: &rng)
        case let .orthogonal(gain):
            return Tensor(converting: Initializer.orthogonal(shape, gain: gain, using: &rng))
        }
    }

    /// Orthogonal initialisation in Double: the flattened (rows, cols) weight has orthonormal
    /// rows (rows ≤ cols) or orthonormal columns (rows > cols), scaled by `gain`.
    /// - Complexity: one QR factorisation of a max(rows, cols) × min(rows, cols) matrix.
    static func orthogonal(_ shape: [Int], gain: Double, using rng: inout SplitMix64) -> Tensor<Double> {
        precondition(shape.count >= 2, "orthogonal initialisation needs rank ≥ 2, got \(shape)") // invariant: programmer misuse
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        if rows == 0 || cols == 0 { return Tensor(shape: shape) }
        var g = Matrix.normal(rows, cols, using: &rng)
        if rows < cols { g = g.transposed }
        // Gaussian draws are finite, so QR cannot fail with a data error; a LAPACK argument
        // error would be a bug in the wrapper.
        guard let qr = try? g.qr() else { preconditionFailure("QR of a finite Gaussian matrix failed") } // invariant: finite input
        var q = qr.q                                   // (max, min), orthonormal columns
        for j in 0..<q.cols where qr.r[j, j] < 0 {
            for i in 0..<q.rows { q[i, j] = -q[i, j] }
        }
        if rows < cols { q = q.transposed }            // (rows, cols)
        return Tensor(shape: shape, scalars: q.elements.map { gain * $0 })
    }

    /// Sets the forget-gate slice of an LSTM bias to `value` (Jozefowicz et al., "An Empirical
    /// Exploration of Recurrent Network Architectures", 2015, recommend 1). The bias holds
    /// `gates · hiddenSize` entries in gate order; PyTorch's order (i, f, g, o) puts the forget
    /// gate at `gateIndex` 1.
    public static func setForgetGateBias<Scalar: BLASScalar>(_ bias: Parameter<Scalar>, hiddenSize: Int,
                                                             gateIndex: Int = 1, value: Double = 1) {
        precondition(bias.value.count >= (gateIndex + 1) * hiddenSize, "forget-gate slice \(gateIndex) of size \(hiddenSize) does not fit a bias of \(bias.value.count)") // invariant: programmer misuse
        bias.value.withUnsafeMutableBufferPointer { p in
            for j in (gateIndex * hiddenSize)..<((gateIndex + 1) * hiddenSize) { p[j] = Scalar(value) }
        }
    }
}
