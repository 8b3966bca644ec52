// TemporalPooling.swift — pooling over the time axis of (batch, time, channels) sequences.
//
// Windows follow PyTorch's AvgPool1d/MaxPool1d without padding: output step j covers input steps
// j·stride ..< j·stride + kernelSize, and there are ⌊(T − kernelSize) / stride⌋ + 1 of them.

import LinearAlgebra

/// Which statistic a pooling window takes.
public enum PoolingKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The mean of the window; backward spreads ∂y / k over it.
    case average
    /// The maximum of the window; backward routes ∂y to the first position attaining it.
    case max
}

/// `y[b, j, c] = pool_{u < k} x[b, j·s + u, c]` (average or maximum), per channel.
/// - Complexity: O(B·T_out·k·C).
public final class TemporalPool<Scalar: NeuralScalar>: Layer {
    public let kind: PoolingKind
    public let kernelSize: Int
    public let stride: Int
    public var mode: LayerMode = .training
    private var inputShape: [Int]?
    private var argmax: [Int] = []                       // flat input index per output element (max)

    /// Windows of `kernelSize` steps every `stride` steps (default: non-overlapping).
    public init(_ kind: PoolingKind, kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "TemporalPool needs a positive kernel size and stride") // invariant: programmer misuse
        self.kind = kind
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "TemporalPool input (batch, time, channels)", expected: [-1, kernelSize, -1], found: inputShape) }
        guard inputShape[1] >= kernelSize else {
            throw .shapeMismatch(operation: "TemporalPool input (time ≥ kernel size \(kernelSize))", expected: [inputShape[0], kernelSize, inputShape[2]], found: inputShape)
        }
        return [inputShape[0], (inputShape[1] - kernelSize) / stride + 1, inputShape[2]]
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[1] >= kernelSize, "TemporalPool(k \(kernelSize)) got input \(x.shape)") // invariant: shapes checked by caller
        let (batch, time, channels) = (x.shape[0], x.shape[1], x.shape[2])
        let steps = (time - kernelSize) / stride + 1
        inputShape = x.shape
        var indices = [Int](repeating: 0, count: kind == .max ? batch * steps * channels : 0)
        var y = Tensor<Scalar>.zeroFilled([batch, steps, channels])
        guard y.count > 0 else { argmax = indices; return y }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                indices.withUnsafeMutableBufferPointer { pi in
                    PoolingKernel(kind: kind, backward: false, batch: batch, time: time, channels: channels, steps: steps,
                                  kernelSize: kernelSize, stride: stride, input: UnsafeMutableRawPointer(mutating: px.baseAddress!),
                                  output: UnsafeMutableRawPointer(py.baseAddress!), argmax: pi.baseAddress).run(for: Scalar.self)
                }
            }
        }
        argmax = indices
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("TemporalPool.backward called before forward") } // invariant: forward/backward pairing
        let (batch, time, channels) = (shape[0], shape[1], shape[2])
        let steps = (time - kernelSize) / stride + 1
        precondition(dy.shape == [batch, steps, channels], "TemporalPool.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        var dx = Tensor<Scalar>.zeroFilled(shape)
        guard dy.count > 0 else { return dx }
        dx.withUnsafeMutableBufferPointer { pdx in
            dy.withUnsafeBufferPointer { g in
                argmax.withUnsafeMutableBufferPointer { pi in
                    PoolingKernel(kind: kind, backward: true, batch: batch, time: time, channels: channels, steps: steps,
                                  kernelSize: kernelSize, stride: stride, input: UnsafeMutableRawPointer(pdx.baseAddress!),
                                  output: UnsafeMutableRawPointer(mutating: g.baseAddress!), argmax: pi.baseAddress).run(for: Scalar.self)
                }
            }
        }
        return dx
    }
}

/// The pooling loops, run as specialised code (see `ScalarSpecialized`). Forward reads `input`
/// and writes `output` (and `argmax` for max); backward reads `output` (∂y) and accumulates into
/// `input` (∂x, zeroed).
private struct PoolingKernel: ScalarSpecialized {
    let kind: PoolingKind
    let backward: Bool
    let batch, time, channels, steps, kernelSize, stride: Int
    let input: UnsafeMutableRawPointer
    let output: UnsafeMutableRawPointer
    let argmax: UnsafeMutablePointer<Int>?

    func callAsFunction<S: NeuralScalar>(_: S.Type) {
        let x = input.assumingMemoryBound(to: S.self), y = output.assumingMemoryBound(to: S.self)
        let k = kernelSize, share = 1 / S(k)
        if backward && kind == .max, let argmax {
            for o in 0..<(batch * steps * channels) { x[argmax[o]] += y[o] }
            return
        }
        for b in 0..<batch {
            for j in 0..<steps {
                let first = (b * time + j * stride) * channels, o = (b * steps + j) * channels
                switch (kind, backward) {
                case (.average, false):
                    for u in 0..<k { for c in 0..<channels { y[o + c] += x[first + u * channels + c] } }
                    for c in 0..<channels { y[o + c] *= share }
                case (.average, true):
                    for u in 0..<k { for c in 0..<channels { x[first + u * channels + c] += y[o + c] * share } }
                case (.max, _):
                    for c in 0..<channels {
                        var best = first + c
                        for u in 1..<k where x[first + u * channels + c] > x[best] { best = first + u * channels + c }
                        y[o + c] = x[best]
                        argmax?[o + c] = best
                    }
                }
            }
        }
    }
}

/// `y[b, c] = Σ_t m[b, t] x[b, t, c] / Σ_t m[b, t]`: the (masked) mean over time, the usual
/// head of a sequence classifier. Without a mask m = 1; a sequence whose mask is all 0 gives 0.
/// Backward: `∂x[b, t, c] = m[b, t] ∂y[b, c] / Σ_t m[b, t]`.
/// - Complexity: O(B·T·C).
public final class GlobalAveragePool<Scalar: NeuralScalar>: Layer {
    public var mode: LayerMode = .training
    /// The weights set by `setMask`, shape (batch, time).
    public private(set) var mask: Tensor<Scalar>?
    private var inputShape: [Int]?

    public init() {}

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    /// Sets (or clears) the time mask (batch, time) of the following forwards: finite weights
    /// ≥ 0, normally 1 for real steps and 0 for padding.
    /// - Throws: `SequenceModelError.shapeMismatch` for a mask that is not rank 2,
    ///   `.invalidMask` for a negative or non-finite entry.
    public func setMask(_ mask: Tensor<Scalar>?) throws(SequenceModelError) {
        if let mask {
            guard mask.rank == 2 else { throw .shapeMismatch(operation: "pooling mask (batch, time)", expected: [-1, -1], found: mask.shape) }
            for (i, w) in mask.scalars.enumerated() where !(w.isFinite && w >= 0) { throw .invalidMask(index: i, value: Double(w)) }
        }
        self.mask = mask
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3 else { throw .shapeMismatch(operation: "GlobalAveragePool input (batch, time, channels)", expected: [-1, -1, -1], found: inputShape) }
        if let mask, mask.shape != Array(inputShape.prefix(2)) {
            throw .shapeMismatch(operation: "pooling mask", expected: Array(inputShape.prefix(2)), found: mask.shape)
        }
        return [inputShape[0], inputShape[2]]
    }

    /// The weight of step t in sequence b: m[b, t] / Σ_t m[b, t] (0 when the sum is 0).
    private func weights(batch: Int, time: Int) -> [Scalar] {
        guard let mask else { return [Scalar](repeating: time > 0 ? 1 / Scalar(time) : 0, count: batch * time) }
        var w = mask.scalars
        for b in 0..<batch {
            let total = (0..<time).reduce(Scalar(0)) { $0 + w[b * time + $1] }
            for t in 0..<time { w[b * time + t] = total > 0 ? w[b * time + t] / total : 0 }
        }
        return w
    }

    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3, "GlobalAveragePool got input \(x.shape)") // invariant: shapes checked by caller
        let (batch, time, channels) = (x.shape[0], x.shape[1], x.shape[2])
        precondition(mask.map { $0.shape == [batch, time] } ?? true, "pooling mask for input \(x.shape)") // invariant: checked by outputShape(for:)
        inputShape = x.shape
        let w = weights(batch: batch, time: time)
        var y = Tensor<Scalar>(shape: [batch, channels])
        guard x.count > 0 else { return y }
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                y.withUnsafeMutableBufferPointer { out in
                    for b in 0..<batch {                                // y_b = Σ_t w_bt x_bt: one gemv
                        Scalar.gemv(.transpose, m: time, n: channels, alpha: 1, a: px.baseAddress! + b * time * channels,
                                    lda: channels, x: pw.baseAddress! + b * time, incx: 1, beta: 0,
                                    y: out.baseAddress! + b * channels, incy: 1)
                    }
                }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("GlobalAveragePool.backward called before forward") } // invariant: forward/backward pairing
        let (batch, time, channels) = (shape[0], shape[1], shape[2])
        precondition(dy.shape == [batch, channels], "GlobalAveragePool.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        let w = weights(batch: batch, time: time)
        var dx = Tensor<Scalar>.zeroFilled(shape)
        guard dx.count > 0 else { return dx }
        w.withUnsafeBufferPointer { pw in
            dy.withUnsafeBufferPointer { g in
                dx.withUnsafeMutableBufferPointer { out in
                    for b in 0..<batch {                                // ∂x_b = w_b ∂y_bᵀ: one rank-1 update
                        Scalar.ger(m: time, n: channels, alpha: 1, x: pw.baseAddress! + b * time, incx: 1,
                                   y: g.baseAddress! + b * channels, incy: 1, a: out.baseAddress! + b * time * channels, lda: channels)
                    }
                }
            }
        }
        return dx
    }
}
