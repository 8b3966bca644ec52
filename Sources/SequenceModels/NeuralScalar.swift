// NeuralScalar.swift — the element types of the learning stack.
//
// SequenceModels is the neural half of the lab: tensors, layers with hand-written backward
// passes, losses, optimisers, a training loop and model files, all on OpenBLAS through
// LinearAlgebra's `BLASScalar`. Learning runs in `Float`; gradient checks run the same code in
// `Double` (see README.md in this folder for the layer protocol and how gradients are checked).

import LinearAlgebra
import Numerics

/// The stored precision of a tensor in a model file.
public enum ScalarType: String, Codable, Sendable, CaseIterable {
    case float32, float64

    /// Bytes per element.
    public var byteWidth: Int { self == .float32 ? 4 : 8 }
}

/// A scalar the layers can learn in: BLAS kernels (`BLASScalar`), elementary functions
/// (`Real` from swift-numerics: `exp`, `tanh`, `erf`, …, the scalar reference path) and their
/// SIMD versions (`VectorMathScalar`, the fast path). `Float` and `Double` conform.
public protocol NeuralScalar: BLASScalar, Real, Codable, VectorMathScalar, AdamScalar {
    /// The tag written to model files for this precision.
    static var scalarType: ScalarType { get }
}

extension Float: NeuralScalar {
    public static var scalarType: ScalarType { .float32 }
}

extension Double: NeuralScalar {
    public static var scalarType: ScalarType { .float64 }
}
