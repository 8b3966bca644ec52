// BLAS.swift — the narrow typed boundary to CBLAS (OpenBLAS), generic over Float and Double.
//
// Every other module that needs a BLAS kernel (the learning stack's Float tensors, the
// control core's Double matrices) calls these; only LinearAlgebra imports CBLAS.
// All routines take row-major operands with explicit leading dimensions; pointers never
// escape the call.

import CBLAS

/// Transposition flag for BLAS operands.
public enum Transpose: Sendable {
    case none, transpose
    @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// A floating-point type with BLAS kernels: `Float` (s-routines) and `Double` (d-routines).
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// `C = alpha * op(A) * op(B) + beta * C`, row-major, `op(A)` is `m × k`, `op(B)` is `k × n`.
    static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                     alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y = alpha * op(A) * x + beta * y`, row-major `A` is `m × n`.
    static func gemv(_ trans: Transpose, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
    /// `A += alpha * x * yᵀ`, row-major `A` is `m × n`.
    static func ger(m: Int, n: Int, alpha: Self, x: UnsafePointer<Self>, incx: Int,
                    y: UnsafePointer<Self>, incy: Int, a: UnsafeMutablePointer<Self>, lda: Int)
    /// `y += alpha * x`.
    static func axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, incx: Int, y: UnsafeMutablePointer<Self>, incy: Int)
    /// `xᵀ y`.
    static func dot(n: Int, x: UnsafePointer<Self>, incx: Int, y: UnsafePointer<Self>, incy: Int) -> Self
    /// `x *= alpha`.
    static func scal(n: Int, alpha: Self, x: UnsafeMutablePointer<Self>, incx: Int)
    /// Euclidean norm of `x`.
    static func nrm2(n: Int, x: UnsafePointer<Self>, incx: Int) -> Self
}

extension Double: BLASScalar {
    @inlinable
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable
    public static func gemv(_ trans: Transpose, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, Int32(incx), beta, y, Int32(incy))
    }
    @inlinable
    public static func ger(m: Int, n: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int,
                           y: UnsafePointer<Double>, incy: Int, a: UnsafeMutablePointer<Double>, lda: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dger(CblasRowMajor, Int32(m), Int32(n), alpha, x, Int32(incx), y, Int32(incy), a, Int32(lda))
    }
    @inlinable
    public static func axpy(n: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int, y: UnsafeMutablePointer<Double>, incy: Int) {
        guard n > 0 else { return }
        cblas_daxpy(Int32(n), alpha, x, Int32(incx), y, Int32(incy))
    }
    @inlinable
    public static func dot(n: Int, x: UnsafePointer<Double>, incx: Int, y: UnsafePointer<Double>, incy: Int) -> Double {
        guard n > 0 else { return 0 }
        return cblas_ddot(Int32(n), x, Int32(incx), y, Int32(incy))
    }
    @inlinable
    public static func scal(n: Int, alpha: Double, x: UnsafeMutablePointer<Double>, incx: Int) {
        guard n > 0 else { return }
        cblas_dscal(Int32(n), alpha, x, Int32(incx))
    }
    @inlinable
    public static func nrm2(n: Int, x: UnsafePointer<Double>, incx: Int) -> Double {
        guard n > 0 else { return 0 }
        return cblas_dnrm2(Int32(n), x, Int32(incx))
    }
}

extension Float: BLASScalar {
    @inlinable
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable
    public static func gemv(_ trans: Transpose, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, Int32(incx), beta, y, Int32(incy))
    }
    @inlinable
    public static func ger(m: Int, n: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int,
                           y: UnsafePointer<Float>, incy: Int, a: UnsafeMutablePointer<Float>, lda: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, Int32(incx), y, Int32(incy), a, Int32(lda))
    }
    @inlinable
    public static func axpy(n: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int, y: UnsafeMutablePointer<Float>, incy: Int) {
        guard n > 0 else { return }
        cblas_saxpy(Int32(n), alpha, x, Int32(incx), y, Int32(incy))
    }
    @inlinable
    public static func dot(n: Int, x: UnsafePointer<Float>, incx: Int, y: UnsafePointer<Float>, incy: Int) -> Float {
        guard n > 0 else { return 0 }
        return cblas_sdot(Int32(n), x, Int32(incx), y, Int32(incy))
    }
    @inlinable
    public static func scal(n: Int, alpha: Float, x: UnsafeMutablePointer<Float>, incx: Int) {
        guard n > 0 else { return }
        cblas_sscal(Int32(n), alpha, x, Int32(incx))
    }
    @inlinable
    public static func nrm2(n: Int, x: UnsafePointer<Float>, incx: Int) -> Float {
        guard n > 0 else { return 0 }
        return cblas_snrm2(Int32(n), x, Int32(incx))
    }
}

/// Process-wide BLAS settings.
public enum BLAS {
    /// The number of threads OpenBLAS uses. Set it before any concurrent BLAS work starts:
    /// changing it while another thread is inside BLAS is undefined in OpenBLAS.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
    }

    /// Sets the OpenBLAS thread count (values below 1 are treated as 1).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }

    /// OpenBLAS build configuration string, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …".
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The CPU kernel OpenBLAS selected (e.g. "Zen", "Haswell").
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
