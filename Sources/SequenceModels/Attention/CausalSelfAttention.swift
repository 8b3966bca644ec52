// CausalSelfAttention.swift — multi-head (causal) self-attention with a fused QKV projection.
//
// Vaswani et al., "Attention Is All You Need" (2017). The weights use the peers' layout
// (/work/shared/peers/README.md, workload e; Tests/Fixtures/torch/attention.json): inputs
// multiply from the left, `qkv = x Wqkv` with Wqkv of shape (d, 3d) whose column blocks are
// q, k, v and, inside each, the heads. Two interchangeable kernels compute the attention core:
// `BlockedAttention` (tiles with an online softmax, O(T·d) memory, concurrent heads) and
// `ReferenceAttention` (explicit T × T probabilities); tests pin that they agree.

import LinearAlgebra

/// How the attention core is computed.
public enum AttentionAlgorithm: Hashable, Sendable {
    /// Explicit T × T scores and probabilities per head; keeps them (O(B·h·T²) memory).
    case reference
    /// Tiles of `queryBlock` × `keyBlock` scores with an online softmax; keeps one log-sum-exp
    /// per query row and recomputes the probabilities in backward (O(B·T·d) memory).
    case blocked(queryBlock: Int, keyBlock: Int)

    /// The blocked kernel with tiles of 64 queries × (2¹² / dₕ) keys (clamped to 32…512): every
    /// tile product has m·n·k ≤ 2¹⁸, which OpenBLAS runs in the calling thread, so heads can run
    /// concurrently.
    public static func blocked(headSize: Int) -> AttentionAlgorithm {
        .blocked(queryBlock: 64, keyBlock: Swift.min(512, Swift.max(32, 4096 / Swift.max(1, headSize))))
    }
}

/// `y = Attn(x Wqkv + b_qkv) Wo + b_o` on (batch, time, d) with `h` heads of width dₕ = d / h:
///
///     [Q | K | V] = x Wqkv + b_qkv                           (B, T, 3d)
///     O_j = softmax(Q_j K_jᵀ / √dₕ + M) V_j                   head j: columns j·dₕ ..< (j+1)·dₕ
///     y = [O_0 | … | O_{h−1}] Wo + b_o                        (B, T, d)
///
/// `M` is −∞ where a query may not see a key: later positions when `isCausal`, and positions
/// whose key mask is 0 (`setKeyMask`). A query that sees no key outputs O = 0 (PyTorch gives
/// NaN there). Backward: with `∂y` (B·T, d), `∂Wo += Oᵀ ∂y`, `∂b_o += Σ ∂y`, `∂O = ∂y Woᵀ`,
/// the core backward gives ∂[Q | K | V] (see `BlockedAttention.swift`), then
/// `∂Wqkv += xᵀ ∂QKV`, `∂b_qkv += Σ ∂QKV`, `∂x = ∂QKV Wqkvᵀ`.
///
/// Parameters: "qkv.weight" (d, 3d), "qkv.bias" (3d), "out.weight" (d, d), "out.bias" (d);
/// initialised like PyTorch's `nn.MultiheadAttention`: Glorot-uniform Wqkv, U(±1/√d) Wo, zero
/// biases. Forward cache: the input, the projections (B, T, 3d), the head outputs (B, T, d) and
/// either the log-sum-exp (B, h, T) or the probabilities (B, h, T, T).
/// - Complexity: 8·B·T·d² flops of projections plus ≈ 2·B·T²·d (causal) in the core forward;
///   about twice that backward.
public final class CausalSelfAttention<Scalar: NeuralScalar>: Layer {
    /// d, the width of the input and output.
    public let modelSize: Int
    /// h, the number of heads.
    public let heads: Int
    /// dₕ = d / h.
    public var headSize: Int { modelSize / heads }
    /// Whether query t sees only keys s ≤ t.
    public let isCausal: Bool
    /// Wqkv, shape (d, 3d).
    public let qkvWeight: Parameter<Scalar>
    /// b_qkv, shape (3d), or nil.
    public let qkvBias: Parameter<Scalar>?
    /// Wo, shape (d, d).
    public let outputWeight: Parameter<Scalar>
    /// b_o, shape (d), or nil.
    public let outputBias: Parameter<Scalar>?
    /// The kernel of the attention core (default: `.blocked(headSize:)`).
    public var algorithm: AttentionAlgorithm
    /// Whether the blocked kernel runs (sequence, head) pairs concurrently, and (when OpenBLAS
    /// runs single-threaded) the projections in row blocks; results are identical either way.
    public var runsConcurrently = true
    public var mode: LayerMode = .training
    /// The key mask set by `setKeyMask`, shape (batch, time), entries 0 or 1.
    public private(set) var keyMask: Tensor<Scalar>?

    private struct Cache {
        var problem: AttentionProblem
        var algorithm: AttentionAlgorithm
        var input: Tensor<Scalar>            // (B, T, d)
        var qkv: Tensor<Scalar>              // (B, T, 3d)
        var merged: Tensor<Scalar>           // (B, T, d)
        var logSumExp: Tensor<Scalar>?       // (B, h, T), blocked
        var probabilities: Tensor<Scalar>?   // (B, h, T, T), reference
        var keep: [Bool]?                    // (B, T)
    }
    private var cache: Cache?

    /// A layer of width `modelSize` with `heads` heads (`heads` must divide `modelSize`).
    public init(modelSize: Int, heads: Int, causal: Bool = true, bias: Bool = true, using rng: inout SplitMix64) {
        precondition(modelSize > 0 && heads > 0 && modelSize % heads == 0, "CausalSelfAttention: \(heads) heads must divide width \(modelSize)") // invariant: programmer misuse (configurations are validated)
        self.modelSize = modelSize
        self.heads = heads
        isCausal = causal
        qkvWeight = Parameter(Initializer.glorotUniform().tensor([modelSize, 3 * modelSize], using: &rng))
        let bound = 1 / Double(modelSize).squareRoot()
        outputWeight = Parameter(Initializer.uniform(lo: -bound, hi: bound).tensor([modelSize, modelSize], using: &rng))
        qkvBias = bias ? Parameter(Tensor(shape: [3 * modelSize]), group: .noWeightDecay) : nil
        outputBias = bias ? Parameter(Tensor(shape: [modelSize]), group: .noWeightDecay) : nil
        algorithm = .blocked(headSize: modelSize / heads)
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        var list = [NamedParameter("qkv.weight", qkvWeight)]
        if let qkvBias { list.append(NamedParameter("qkv.bias", qkvBias)) }
        list.append(NamedParameter("out.weight", outputWeight))
        if let outputBias { list.append(NamedParameter("out.bias", outputBias)) }
        return list
    }

    /// Sets (or with nil clears) the key mask used by the following forwards: shape
    /// (batch, time), 1 where a position may be attended to, 0 where not (padding).
    /// - Throws: `SequenceModelError.shapeMismatch` for a mask that is not rank 2,
    ///   `.invalidMask` for an entry other than 0 or 1.
    public func setKeyMask(_ mask: Tensor<Scalar>?) throws(SequenceModelError) {
        if let mask {
            guard mask.rank == 2 else { throw .shapeMismatch(operation: "attention key mask (batch, time)", expected: [-1, -1], found: mask.shape) }
            for (i, v) in mask.scalars.enumerated() where v != 0 && v != 1 {
                throw .invalidMask(index: i, value: Double(v))
            }
        }
        keyMask = mask
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "CausalSelfAttention input (batch, time, features)", expected: [-1, -1, modelSize], found: inputShape) }
        try requireLastDimension(inputShape, modelSize, "CausalSelfAttention")
        if let keyMask, keyMask.shape != Array(inputShape.prefix(2)) {
            throw .shapeMismatch(operation: "attention key mask", expected: Array(inputShape.prefix(2)), found: keyMask.shape)
        }
        return inputShape
    }

    /// The attention probabilities (B, h, T, T) of the last forward, when it ran `.reference`.
    public var lastProbabilities: Tensor<Scalar>? { cache?.probabilities }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == modelSize, "CausalSelfAttention(\(modelSize)) got input \(x.shape)") // invariant: shapes checked by caller
        let batch = x.shape[0], time = x.shape[1], d = modelSize
        precondition(keyMask.map { $0.shape == [batch, time] } ?? true, "attention key mask \(keyMask!.shape) for input \(x.shape)") // invariant: checked by outputShape(for:)
        let problem = AttentionProblem(batch: batch, time: time, modelSize: d, heads: heads, causal: isCausal)
        let keep = keyMask.map { $0.scalars.map { $0 != 0 } }
        guard batch * time > 0 else {                                   // empty batch or sequence
            cache = Cache(problem: problem, algorithm: algorithm, input: x, qkv: Tensor(shape: [batch, time, 3 * d]),
                          merged: Tensor(shape: x.shape), logSumExp: Tensor(shape: [batch, heads, time]),
                          probabilities: Tensor(shape: [batch, heads, time, time]), keep: keep)
            return Tensor(shape: x.shape)
        }

        let parallel = runsConcurrently && BLAS.threads == 1                  // see Tensor+RowParallel.swift
        var qkv = Tensor.rowBlockProduct(x.reshaped([batch * time, d]), qkvWeight.value, .none, concurrent: parallel)   // (B·T, 3d)
        if let qkvBias { qkv.addToEveryRow(qkvBias.value) }
        qkv.reshape([batch, time, 3 * d])
        var merged = Tensor<Scalar>(shape: [batch, time, d]) { _ in }    // every element written below
        var logSumExp: Tensor<Scalar>? = nil, probabilities: Tensor<Scalar>? = nil
        let algorithm = self.algorithm
        keep.withOptionalBuffer { keepPointer in
            qkv.withUnsafeBufferPointer { pqkv in
                merged.withUnsafeMutableBufferPointer { pm in
                    switch algorithm {
                    case .reference:
                        var pr = Tensor<Scalar>(shape: [batch, heads, time, time]) { _ in }
                        pr.withUnsafeMutableBufferPointer { pp in
                            ReferenceAttentionForward(problem: problem, qkv: UnsafeRawPointer(pqkv.baseAddress!), keep: keepPointer,
                                                      merged: UnsafeMutableRawPointer(pm.baseAddress!),
                                                      probabilities: UnsafeMutableRawPointer(pp.baseAddress!)).run(for: Scalar.self)
                        }
                        probabilities = pr
                    case let .blocked(queryBlock, keyBlock):
                        precondition(queryBlock > 0 && keyBlock > 0, "attention tiles must be positive") // invariant: programmer misuse
                        var lse = Tensor<Scalar>(shape: [batch, heads, time]) { _ in }
                        lse.withUnsafeMutableBufferPointer { pl in
                            BlockedAttentionForward(problem: problem, tiles: AttentionTiles(queryBlock: queryBlock, keyBlock: keyBlock),
                                                    concurrent: runsConcurrently, qkv: UnsafeRawPointer(pqkv.baseAddress!), keep: keepPointer,
                                                    merged: UnsafeMutableRawPointer(pm.baseAddress!),
                                                    logSumExp: UnsafeMutableRawPointer(pl.baseAddress!)).run(for: Scalar.self)
                        }
                        logSumExp = lse
                    }
                }
            }
        }
        var y = Tensor.rowBlockProduct(merged.reshaped([batch * time, d]), outputWeight.value, .none, concurrent: parallel)   // (B·T, d)
        if let outputBias { y.addToEveryRow(outputBias.value) }
        y.reshape([batch, time, d])
        cache = Cache(problem: problem, algorithm: algorithm, input: x, qkv: qkv, merged: merged,
                      logSumExp: logSumExp, probabilities: probabilities, keep: keep)
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let c = cache else { preconditionFailure("CausalSelfAttention.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == c.input.shape, "CausalSelfAttention.backward: gradient \(dy.shape) for input \(c.input.shape)") // invariant: shapes checked by caller
        let p = c.problem, rows = p.batch * p.time, d = modelSize
        guard rows > 0 else { return Tensor(shape: c.input.shape) }
        let dyRows = dy.reshaped([rows, d])
        let parallel = runsConcurrently && BLAS.threads == 1
        Tensor.accumulateRowBlockTransposedProduct(c.merged.reshaped([rows, d]), dyRows, into: &outputWeight.gradient, concurrent: parallel)
        if let outputBias { dyRows.accumulateColumnSums(into: &outputBias.gradient) }
        var dMerged = Tensor.rowBlockProduct(dyRows, outputWeight.value, .transpose, concurrent: parallel)   // (B·T, d)
        dMerged.reshape([p.batch, p.time, d])

        var dqkv = Tensor<Scalar>.zeroFilled([p.batch, p.time, 3 * d])                   // kernels accumulate
        c.keep.withOptionalBuffer { keepPointer in
            c.qkv.withUnsafeBufferPointer { pqkv in
                dMerged.withUnsafeBufferPointer { pdm in
                    dqkv.withUnsafeMutableBufferPointer { pd in
                        let qkv = UnsafeRawPointer(pqkv.baseAddress!), dOut = UnsafeRawPointer(pdm.baseAddress!)
                        let dq = UnsafeMutableRawPointer(pd.baseAddress!)
                        switch c.algorithm {
                        case .reference:
                            c.probabilities!.withUnsafeBufferPointer { pp in
                                ReferenceAttentionBackward(problem: p, qkv: qkv, probabilities: UnsafeRawPointer(pp.baseAddress!),
                                                           mergedGradient: dOut, qkvGradient: dq).run(for: Scalar.self)
                            }
                        case let .blocked(queryBlock, keyBlock):
                            c.merged.withUnsafeBufferPointer { pm in
                                c.logSumExp!.withUnsafeBufferPointer { pl in
                                    BlockedAttentionBackward(problem: p, tiles: AttentionTiles(queryBlock: queryBlock, keyBlock: keyBlock),
                                                             concurrent: runsConcurrently, qkv: qkv, keep: keepPointer,
                                                             merged: UnsafeRawPointer(pm.baseAddress!), mergedGradient: dOut,
                                                             logSumExp: UnsafeRawPointer(pl.baseAddress!), qkvGradient: dq).run(for: Scalar.self)
                                }
                            }
                        }
                    }
                }
            }
        }
        let dqkvRows = dqkv.reshaped([rows, 3 * d])
        Tensor.accumulateRowBlockTransposedProduct(c.input.reshaped([rows, d]), dqkvRows, into: &qkvWeight.gradient, concurrent: parallel)
        if let qkvBias { dqkvRows.accumulateColumnSums(into: &qkvBias.gradient) }
        var dx = Tensor.rowBlockProduct(dqkvRows, qkvWeight.value, .transpose, concurrent: parallel)   // (B·T, d)
        dx.reshape(c.input.shape)
        return dx
    }
}

extension Optional where Wrapped == [Bool] {
    /// Calls `body` with the array's base address, or nil.
    func withOptionalBuffer<R>(_ body: (UnsafePointer<Bool>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case let .some(array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}
