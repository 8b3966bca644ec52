// DenseRecurrence.swift — the fast path of the dense state recursion
//
//     x[k+1] = A x[k] + B u[k],   y[k] = C x[k] + D u[k].
//
// Goals, in priority order: exactly this recursion (no reassociation across steps); the
// per-step work is only the n² multiply-adds of A x[k]; everything else is batched.
//  - B u[k] for a chunk of steps is one GEMM (chunk × m · m × n) before the scan, and
//    y = X Cᵀ + U Dᵀ for the chunk is one GEMM after it, from the stored states.
//  - A x is computed in blocks of 8 rows held in SIMD8 accumulators while streaming over the
//    columns (A stored column-interleaved per 8-row block, padded with zero rows), so each
//    step reads A once from L1/L2 with no dependency chain longer than n.
// The plain reference path (`referenceRun`) is the textbook loop; tests pin the two together.

import LinearAlgebra

struct DenseRecurrence {
    let n: Int, m: Int, p: Int
    /// n rounded up to a multiple of 8.
    let np: Int
    /// A in 8-row blocks: block β, column j, lane r at ((β·n + j)·8 + r) = A[8β + r, j] (0 beyond n).
    let blockedA: [Double]
    let b: Matrix, c: Matrix, d: Matrix
    /// Steps per chunk for the batched B·u and C·x products.
    static let chunk = 512

    init(_ sys: DiscreteLTI) {
        n = sys.stateCount; m = sys.inputCount; p = sys.outputCount
        np = (n + 7) / 8 * 8
        var blk = [Double](repeating: 0, count: Swift.max(1, np * n))
        let a = sys.a
        for beta in 0..<(np / 8) {
            for j in 0..<n {
                for r in 0..<8 where 8 * beta + r < n { blk[(beta * n + j) * 8 + r] = a[8 * beta + r, j] }
            }
        }
        blockedA = blk
        b = sys.b; c = sys.c; d = sys.d
    }

    /// Runs the recursion over `u` (L × m) from `x0`.
    /// - Parameter includeFeedthrough: add D u[k] to the outputs (false for the free response).
    /// - Complexity: O(L n²) for the scan, plus O(L n (m + p)) in GEMMs.
    func run(_ u: Matrix, x0: [Double], includeFeedthrough: Bool = true) -> SimulationResult {
        let steps = u.rows
        var y = Matrix(rows: steps, cols: p)
        var x = [Double](repeating: 0, count: np)
        for i in 0..<n { x[i] = x0[i] }
        if n == 0 {
            if includeFeedthrough { y = Matrix.product(u, .none, d, .transpose) }
            return SimulationResult(outputs: y, finalState: [])
        }
        let chunk = Swift.min(Self.chunk, Swift.max(steps, 1))
        var bu = [Double](repeating: 0, count: chunk * np)      // (chunk, np): B u[k], zero-padded lanes
        var states = [Double](repeating: 0, count: chunk * n)   // (chunk, n): x[k] for the chunk
        var xNext = [Double](repeating: 0, count: np)
        var t0 = 0
        while t0 < steps {
            let len = Swift.min(chunk, steps - t0)
            u.elements.withUnsafeBufferPointer { pu in
                b.elements.withUnsafeBufferPointer { pb in
                    bu.withUnsafeMutableBufferPointer { pbu in
                        if m > 0 {
                            Double.gemm(.none, .transpose, m: len, n: n, k: m, alpha: 1,
                                        a: pu.baseAddress! + t0 * m, lda: m, b: pb.baseAddress!, ldb: m,
                                        beta: 0, c: pbu.baseAddress!, ldc: np)
                        }
                    }
                }
            }
            Self.scan(blockedA, n: n, np: np, steps: len, bu: &bu, states: &states, x: &x, xNext: &xNext)
            // y[t0 ..< t0+len] = X Cᵀ (+ U Dᵀ).
            states.withUnsafeBufferPointer { ps in
                c.elements.withUnsafeBufferPointer { pc in
                    y.elements.withUnsafeMutableBufferPointer { py in
                        guard p > 0 else { return }
                        Double.gemm(.none, .transpose, m: len, n: p, k: n, alpha: 1, a: ps.baseAddress!, lda: n,
                                    b: pc.baseAddress!, ldb: n, beta: 0, c: py.baseAddress! + t0 * p, ldc: p)
                    }
                }
            }
            if includeFeedthrough && m > 0 && p > 0 {
                u.elements.withUnsafeBufferPointer { pu in
                    d.elements.withUnsafeBufferPointer { pd in
                        y.elements.withUnsafeMutableBufferPointer { py in
                            Double.gemm(.none, .transpose, m: len, n: p, k: m, alpha: 1, a: pu.baseAddress! + t0 * m, lda: m,
                                        b: pd.baseAddress!, ldb: m, beta: 1, c: py.baseAddress! + t0 * p, ldc: p)
                        }
                    }
                }
            }
            t0 += len
        }
        return SimulationResult(outputs: y, finalState: Array(x[0..<n]))
    }

    /// The scan over one chunk: states[t] = x; x ← A x + bu[t].
    /// - Complexity: O(steps · n²), 8 independent accumulator lanes per row block.
    @inline(__always)
    static func scan(_ blockedA: [Double], n: Int, np: Int, steps: Int, bu: inout [Double], states: inout [Double],
                     x: inout [Double], xNext: inout [Double]) {
        let blocks = np / 8
        blockedA.withUnsafeBufferPointer { pa in
            bu.withUnsafeBufferPointer { pbu in
                states.withUnsafeMutableBufferPointer { ps in
                    x.withUnsafeMutableBufferPointer { px in
                        xNext.withUnsafeMutableBufferPointer { pxn in
                            let a = UnsafeRawPointer(pa.baseAddress!)
                            var cur = pxn.baseAddress!, nxt = px.baseAddress!
                            swap(&cur, &nxt) // cur = x
                            for t in 0..<steps {
                                (ps.baseAddress! + t * n).update(from: cur, count: n)
                                let buRow = UnsafeRawPointer(pbu.baseAddress! + t * np)
                                for beta in 0..<blocks {
                                    // Two accumulators (even and odd columns) give 8 independent
                                    // add chains, hiding the add latency behind the throughput.
                                    var acc0 = buRow.loadUnaligned(fromByteOffset: beta * 64, as: SIMD8<Double>.self)
                                    var acc1 = SIMD8<Double>()
                                    var off = beta * n * 64
                                    var j = 0
                                    // Separate multiply and add: without FMA hardware in the
                                    // baseline target, a fused addProduct is a library call.
                                    while j + 1 < n {
                                        acc0 += a.loadUnaligned(fromByteOffset: off, as: SIMD8<Double>.self) * SIMD8(repeating: cur[j])
                                        acc1 += a.loadUnaligned(fromByteOffset: off + 64, as: SIMD8<Double>.self) * SIMD8(repeating: cur[j + 1])
                                        off += 128
                                        j += 2
                                    }
                                    if j < n {
                                        acc0 += a.loadUnaligned(fromByteOffset: off, as: SIMD8<Double>.self) * SIMD8(repeating: cur[j])
                                    }
                                    UnsafeMutableRawPointer(nxt).storeBytes(of: acc0 + acc1, toByteOffset: beta * 64, as: SIMD8<Double>.self)
                                }
                                swap(&cur, &nxt)
                            }
                            if cur != px.baseAddress! { px.baseAddress!.update(from: cur, count: np) }
                        }
                    }
                }
            }
        }
    }

    /// The textbook loop, one step at a time with plain scalar arithmetic (reference path).
    static func referenceRun(_ sys: DiscreteLTI, _ u: Matrix, x0: [Double]) -> SimulationResult {
        let n = sys.stateCount, m = sys.inputCount, p = sys.outputCount
        var x = x0
        var y = Matrix(rows: u.rows, cols: p)
        for k in 0..<u.rows {
            for o in 0..<p {
                var s = 0.0
                for j in 0..<n { s += sys.c[o, j] * x[j] }
                for i in 0..<m { s += sys.d[o, i] * u[k, i] }
                y[k, o] = s
            }
            var xn = [Double](repeating: 0, count: n)
            for r in 0..<n {
                var s = 0.0
                for j in 0..<n { s += sys.a[r, j] * x[j] }
                for i in 0..<m { s += sys.b[r, i] * u[k, i] }
                xn[r] = s
            }
            x = xn
        }
        return SimulationResult(outputs: y, finalState: x)
    }
}

extension DiscreteLTI {
    /// The textbook state recursion, scalar loops only: the reference the fast modes are tested against.
    public func simulateReference(_ input: Matrix, x0: [Double]? = nil) throws(StateSpaceError) -> SimulationResult {
        guard input.cols == inputCount else { throw .inputMismatch(expectedInputs: inputCount, foundColumns: input.cols) }
        let x0 = x0 ?? [Double](repeating: 0, count: stateCount)
        guard x0.count == stateCount else { throw .initialStateMismatch(expected: stateCount, found: x0.count) }
        return DenseRecurrence.referenceRun(self, input, x0: x0)
    }
}
