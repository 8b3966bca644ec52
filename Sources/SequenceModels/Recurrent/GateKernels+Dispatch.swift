// GateKernels+Dispatch.swift — choosing the gate kernel for a scalar type and path.
//
// The recurrent layers are generic over `NeuralScalar` and called from other modules, where
// generic code runs unspecialised. The point-wise kernels are the only per-element loops of a
// time step, so each call checks the scalar type once and enters a kernel compiled for that
// concrete type (Float with VectorActivations, Double with lane-wise libm); anything else, or
// `.reference`, runs the plain scalar loops. (`.fast`, `.packed` and `.blas` share the SIMD gate
// kernels; the packed LSTM path applies the same formulas inside its own tiles.)

import LinearAlgebra

/// Which implementations a recurrent layer runs for its per-step products and gate math.
public enum RecurrentKernelPath: String, Sendable, Hashable, CaseIterable {
    /// The default. For the LSTM, `.packed` when the build targets a CPU with FMA (the
    /// `SSLAB_FMA` condition that `SSLAB_TARGET_CPU` sets, see Package.swift), where the
    /// micro-kernels beat a BLAS call per step, and `.blas` otherwise; for GRU and Elman, `.blas`.
    case fast
    /// LSTM: every per-step product in register-blocked micro-kernels over packed weights, with
    /// the gate law fused onto the forward tile and the weight gradients accumulated per step
    /// (PackedLSTMKernels.swift); no BLAS call in the time loops. GRU and Elman: as `.blas`.
    case packed
    /// One BLAS gemm per step (blocked for batch partitions) and the fused SIMD gate kernels:
    /// Float with `VectorActivations` (a few ulp from libm), Double with libm per lane.
    case blas
    /// BLAS products and plain scalar loops with libm activations: the reference the other
    /// paths are tested against.
    case reference

    /// Whether `.fast` runs the packed LSTM kernels in this build.
    public static var fastUsesPackedKernels: Bool {
        #if SSLAB_FMA
        return true
        #else
        return false
        #endif
    }
}

enum GateKernels {
    static func lstmForward<S: NeuralScalar>(_ a: LSTMForwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.lstmForward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.lstmForward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.lstmForward(a)
    }

    static func lstmBackward<S: NeuralScalar>(_ a: LSTMBackwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.lstmBackward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.lstmBackward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.lstmBackward(a)
    }

    static func gruForward<S: NeuralScalar>(_ a: GRUForwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.gruForward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.gruForward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.gruForward(a)
    }

    static func gruBackward<S: NeuralScalar>(_ a: GRUBackwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.gruBackward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.gruBackward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.gruBackward(a)
    }

    static func elmanForward<S: NeuralScalar>(_ a: ElmanForwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.elmanForward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.elmanForward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.elmanForward(a)
    }

    static func elmanBackward<S: NeuralScalar>(_ a: ElmanBackwardStep<S>, _ path: RecurrentKernelPath) {
        if path != .reference {
            if S.self == Float.self { return FastGateKernels<FastFloatGateMath>.elmanBackward(a.cast(to: Float.self)) }
            if S.self == Double.self { return FastGateKernels<LanewiseGateMath<Double>>.elmanBackward(a.cast(to: Double.self)) }
        }
        ReferenceGateKernels<S>.elmanBackward(a)
    }

    /// `destination (cols × rows) = sourceᵀ` for a row-major `source` (rows × cols), in a
    /// loop compiled for the concrete scalar type (the engine's own code runs unspecialised).
    /// - Complexity: O(rows · cols).
    static func transpose<S: NeuralScalar>(_ source: UnsafePointer<S>, rows: Int, cols: Int, into destination: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            return transposeLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Float.self), rows: rows, cols: cols,
                                 into: UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Float.self))
        }
        if S.self == Double.self {
            return transposeLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Double.self), rows: rows, cols: cols,
                                 into: UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Double.self))
        }
        transposeLoop(source, rows: rows, cols: cols, into: destination)
    }

    @inline(__always)
    private static func transposeLoop<S>(_ source: UnsafePointer<S>, rows: Int, cols: Int, into destination: UnsafeMutablePointer<S>) {
        for c in 0..<cols {
            for r in 0..<rows { destination[c * rows + r] = source[r * cols + c] }
        }
    }

    /// `destination (cols × rows) += sourceᵀ` for a row-major `source` (rows × cols), specialised
    /// like `transpose`.
    /// - Complexity: O(rows · cols).
    static func addTransposed<S: NeuralScalar>(_ source: UnsafePointer<S>, rows: Int, cols: Int, into destination: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            return addTransposedLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Float.self), rows: rows, cols: cols,
                                     into: UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Float.self))
        }
        if S.self == Double.self {
            return addTransposedLoop(UnsafeRawPointer(source).assumingMemoryBound(to: Double.self), rows: rows, cols: cols,
                                     into: UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Double.self))
        }
        addTransposedLoop(source, rows: rows, cols: cols, into: destination)
    }

    @inline(__always)
    private static func addTransposedLoop<S: NeuralScalar>(_ source: UnsafePointer<S>, rows: Int, cols: Int,
                                                           into destination: UnsafeMutablePointer<S>) {
        for c in 0..<cols {
            for r in 0..<rows { destination[c * rows + r] += source[r * cols + c] }
        }
    }
}
