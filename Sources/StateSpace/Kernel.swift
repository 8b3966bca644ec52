// Kernel.swift — the impulse response (convolution kernel) of a discrete system,
//
//     h[0] = D,   h[k] = C A^(k−1) B  (k ≥ 1),
//
// so that y = h * u + (free response of x[0]). The Markov parameters C A^k B (k ≥ 0) are the
// kernel without its feedthrough tap. Three ways to compute them, checked against each other:
//
//   power      X ← A X one step at a time (the reference: O(L n² m))
//   doubling   the Krylov block [B, AB, …, A^(b−1)B] built by doubling — [X, A^s X] with
//              A^(2s) = (A^s)² — so only O(log b) matrix products make a block of b taps,
//              then later blocks as A^b · block GEMMs (O(L n² m) flops, all in GEMMs)
//   diagonal   A = V Λ V⁻¹: C A^k B = Re Σ_q W_q λ_q^k with W_q = (C v_q)(ṽ_q B) (conjugate pairs
//              folded), evaluated as one real GEMM with the two-level split k = j·c + r:
//              λ^k = λ^(jc) · λ^r (O(n³ + L n p m) flops). Falls back to doubling when
//              cond₂(V) is too large (defective or nearly defective A).

import LinearAlgebra
import Numerics

/// A multi-input multi-output kernel: `length` taps of p × m matrices.
public struct Kernel: Equatable, Sendable {
    public let length: Int, outputs: Int, inputs: Int
    /// Layout (length, outputs, inputs): tap k, output o, input i at `(k * outputs + o) * inputs + i`.
    public var values: [Double]
    /// The method that actually produced the values (diagonal may fall back to doubling).
    public let method: KernelMethod

    public init(length: Int, outputs: Int, inputs: Int, values: [Double], method: KernelMethod) {
        precondition(values.count == length * outputs * inputs, "kernel storage size") // invariant: internal construction
        self.length = length; self.outputs = outputs; self.inputs = inputs; self.values = values; self.method = method
    }

    @inlinable
    public subscript(k: Int, o: Int, i: Int) -> Double { values[(k * outputs + o) * inputs + i] }

    /// The series h[·][o][i] of one input/output pair.
    public func series(output o: Int, input i: Int) -> [Double] {
        (0..<length).map { values[($0 * outputs + o) * inputs + i] }
    }
}

/// How to compute kernel taps.
public enum KernelMethod: String, CaseIterable, Sendable {
    /// Repeated products X ← A X (reference).
    case power
    /// Krylov doubling: O(log L) matrix products per block.
    case doubling
    /// Eigen-decomposition and Vandermonde GEMM, falling back to doubling when ill-conditioned.
    case diagonal
}

extension DiscreteLTI {
    /// The kernel h[0..<length] (h[0] = D, h[k] = C A^(k−1) B).
    /// - Throws: `.invalidParameter` for a negative length.
    public func kernel(length: Int, method: KernelMethod = .diagonal) throws(StateSpaceError) -> Kernel {
        guard length >= 0 else { throw .invalidParameter(name: "length", reason: "must be ≥ 0, got \(length)") }
        let p = outputCount, m = inputCount, pm = p * m
        var values = [Double](repeating: 0, count: length * pm)
        if length == 0 { return Kernel(length: 0, outputs: p, inputs: m, values: values, method: method) }
        for e in 0..<pm { values[e] = d.elements[e] }
        let markov = try markovParameters(count: length - 1, method: method)
        for e in 0..<markov.values.count { values[pm + e] = markov.values[e] }
        return Kernel(length: length, outputs: p, inputs: m, values: values, method: markov.method)
    }

    /// The Markov parameters M[k] = C A^k B for k = 0..<count (the kernel without D, shifted by one).
    /// - Complexity: power O(count n² m); doubling O(count n² m) in GEMMs + O(n³ log b);
    ///   diagonal O(n³ + count n p m).
    public func markovParameters(count: Int, method: KernelMethod = .diagonal) throws(StateSpaceError) -> Kernel {
        guard count >= 0 else { throw .invalidParameter(name: "count", reason: "must be ≥ 0, got \(count)") }
        let p = outputCount, m = inputCount
        if count == 0 || stateCount == 0 || p == 0 || m == 0 {
            return Kernel(length: count, outputs: p, inputs: m, values: [Double](repeating: 0, count: count * p * m), method: method)
        }
        switch method {
        case .power:
            return Kernel(length: count, outputs: p, inputs: m, values: markovPower(count), method: .power)
        case .doubling:
            return Kernel(length: count, outputs: p, inputs: m, values: try markovDoubling(count), method: .doubling)
        case .diagonal:
            do throws(StateSpaceError) {
                let f = try modalForm(maxCondition: 1e10)
                return Kernel(length: count, outputs: p, inputs: m, values: markovDiagonal(f, count), method: .diagonal)
            } catch {
                if case .unsupported = error {
                    return Kernel(length: count, outputs: p, inputs: m, values: try markovDoubling(count), method: .doubling)
                }
                throw error
            }
        }
    }

    /// Reference: X = B; M[k] = C X; X ← A X.
    func markovPower(_ count: Int) -> [Double] {
        let p = outputCount, m = inputCount
        var out = [Double](repeating: 0, count: count * p * m)
        var x = b
        for k in 0..<count {
            let ck = c * x
            for e in 0..<(p * m) { out[k * p * m + e] = ck.elements[e] }
            if k + 1 < count { x = a * x }
        }
        return out
    }

    /// Krylov doubling within blocks of at most `maxBlock` taps, then block-wise A^b products.
    func markovDoubling(_ count: Int, maxBlock: Int = 4096) throws(StateSpaceError) -> [Double] {
        let n = stateCount, p = outputCount, m = inputCount
        let blockTaps = Swift.min(count, maxBlock)
        // Krylov block K = [B, AB, …] as n × (taps·m), column k·m + i = A^k B[:, i].
        var krylov = b
        var power = a                                          // A^(taps in krylov)
        var taps = 1
        while taps < blockTaps {
            let grow = Swift.min(taps, blockTaps - taps)
            let head = grow == taps ? krylov : krylov.submatrix(rows: 0..<n, cols: 0..<(grow * m))
            krylov = Matrix.hcat([krylov, power * head])
            if grow == taps { power = power * power } else { power = power * a.power(grow) }
            taps += grow
        }
        // power == A^blockTaps now.
        var out = [Double](repeating: 0, count: count * p * m)
        var block = krylov
        var start = 0
        while start < count {
            let len = Swift.min(blockTaps, count - start)
            let cb = c * (len == blockTaps ? block : block.submatrix(rows: 0..<n, cols: 0..<(len * m)))   // p × (len·m)
            let width = len * m
            for k in 0..<len { for o in 0..<p { for i in 0..<m {
                out[((start + k) * p + o) * m + i] = cb.elements[o * width + k * m + i]
            } } }
            start += len
            if start < count { block = power * block }
        }
        return out
    }

    /// Diagonal route: M[k] = Re Σ_q W_q λ_q^k by a two-level Vandermonde GEMM.
    func markovDiagonal(_ f: ModalForm, _ count: Int) -> [Double] {
        let p = outputCount, m = inputCount, pm = p * m, q = f.modeCount
        // c = power of two near √count; J = ⌈count / c⌉ coarse steps.
        var cw = 1
        while cw * cw < count { cw <<= 1 }
        let coarse = (count + cw - 1) / cw
        // Right factor R (2q × c): rows [Re λ^r ; Im λ^r].
        // Left factor P (J·pm × 2q): row (j, e) = [Re(W λ^(jc)), −Im(W λ^(jc))] so that
        // Re(W λ^(jc) λ^r) = Re(Wλ^(jc)) Re(λ^r) − Im(Wλ^(jc)) Im(λ^r).
        var right = [Double](repeating: 0, count: 2 * q * cw)
        var left = [Double](repeating: 0, count: coarse * pm * 2 * q)
        let tiny = 1e-280   // powers below this are flushed to zero (avoids subnormal slow paths)
        for (j, lam) in f.eigenvalues.enumerated() {
            var z = Complex<Double>.one
            for r in 0..<cw {
                right[j * cw + r] = z.real
                right[(q + j) * cw + r] = z.imaginary
                z = z * lam
                if z.length < tiny { z = .zero }
            }
            let lamC = z                                        // λ^c (flushed if tiny)
            var zc = Complex<Double>.one
            for jj in 0..<coarse {
                for o in 0..<p { for i in 0..<m {
                    let w = f.cTilde[o * q + j] * f.bTilde[j * m + i] * zc
                    let row = jj * pm + o * m + i
                    left[row * 2 * q + j] = w.real
                    left[row * 2 * q + q + j] = -w.imaginary
                } }
                zc = zc * lamC
                if zc.length < tiny { zc = .zero }
            }
        }
        var out = [Double](repeating: 0, count: count * pm)
        if pm == 1 {
            // (J × c) row-major is already the tap order k = j·c + r: one GEMM into a padded buffer.
            var prod = [Double](repeating: 0, count: coarse * cw)
            left.withUnsafeBufferPointer { pl in right.withUnsafeBufferPointer { pr in prod.withUnsafeMutableBufferPointer { pp in
                Double.gemm(.none, .none, m: coarse, n: cw, k: 2 * q, alpha: 1, a: pl.baseAddress!, lda: 2 * q,
                            b: pr.baseAddress!, ldb: cw, beta: 0, c: pp.baseAddress!, ldc: cw)
            } } }
            out.withUnsafeMutableBufferPointer { po in prod.withUnsafeBufferPointer { pp in
                po.baseAddress!.update(from: pp.baseAddress!, count: count)
            } }
            return out
        }
        // MIMO: one GEMM per coarse step writes its (c × pm) tap block straight into the
        // (length, p, m) layout: block_j = Rᵀ (c × 2q) · P_jᵀ (2q × pm).
        left.withUnsafeBufferPointer { pl in right.withUnsafeBufferPointer { pr in out.withUnsafeMutableBufferPointer { po in
            for jj in 0..<coarse {
                let rows = Swift.min(cw, count - jj * cw)
                Double.gemm(.transpose, .transpose, m: rows, n: pm, k: 2 * q, alpha: 1, a: pr.baseAddress!, lda: cw,
                            b: pl.baseAddress! + jj * pm * 2 * q, ldb: 2 * q, beta: 0,
                            c: po.baseAddress! + jj * cw * pm, ldc: pm)
            }
        } } }
        return out
    }
}
