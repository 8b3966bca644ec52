// GradientLag+Jacobian.swift — ‖∂y_T/∂x_{T−τ}‖ for every lag τ of any sequence layer, by
// backpropagation (fast path) and by central finite differences (reference path).
//
// For a causal layer y = f(x) on (1, T, F) → (1, T, P), the Jacobian of the last output with
// respect to the input τ steps earlier is the P × F matrix
//     J_τ = ∂y_{T−1} / ∂x_{T−1−τ},      τ = 0 … T − 1      (0-based steps).
// Backpropagation gives one row of every J_τ per backward pass: with the upstream gradient
// e_p at the last step (zero elsewhere), ∂L/∂x_t = row p of ∂y_{T−1}/∂x_t. Running P copies of
// the sequence as one batch with the P unit vectors as upstream gradients gives all rows at once.

import LinearAlgebra
import SequenceModels

extension GradientLag {
    /// How the Jacobians are computed.
    public enum Method: String, CaseIterable, Sendable {
        /// One forward and one backward pass on a batch of P copies of the input.
        case backprop
        /// Central differences of the last output, one input element at a time (2·T·F forwards).
        case finiteDifference = "finite-difference"
    }

    /// The Frobenius norms ‖J_τ‖_F = ‖∂y_{T−1}/∂x_{T−1−τ}‖_F for τ = 0 … T − 1 of `layer` at
    /// `input` (shape (1, T, F)); the layer must map (B, T, F) to (B, T, P) causally.
    ///
    /// * `.backprop`: the input repeated P times as a batch (B = P), upstream gradient
    ///   G[p, T−1, p] = 1 and zero elsewhere, so ∂L_p/∂x[p, t, :] is row p of J_{T−1−t}.
    /// * `.finiteDifference`: column j of J_τ ≈ (y_{T−1}(x + ε e_{t,j}) − y_{T−1}(x − ε e_{t,j})) / 2ε
    ///   with ε = `step` · max(1, |x_{t,j}|); the truncation error is O(ε²) for smooth layers.
    ///
    /// - Complexity: backprop: one forward and one backward pass at batch P; finite
    ///   differences: 2·T·F forward passes at batch 1.
    public static func jacobianNorms(of layer: any Layer<Double>, input: Tensor<Double>, method: Method = .backprop,
                                     step: Double = 1e-6) -> [Double] {
        precondition(input.rank == 3 && input.shape[0] == 1, "jacobianNorms needs an input of shape (1, T, F), got \(input.shape)") // invariant: built by GradientLag.input
        switch method {
        case .backprop: return backpropNorms(layer, input)
        case .finiteDifference: return finiteDifferenceNorms(layer, input, step: step)
        }
    }

    private static func backpropNorms(_ layer: any Layer<Double>, _ x: Tensor<Double>) -> [Double] {
        let T = x.shape[1], F = x.shape[2]
        let probe = layer.forward(x)                                   // (1, T, P): the output width
        let P = probe.shape[2]
        let batch = Tensor<Double>(shape: [P, T, F]) { out in        // (P, T, F): P copies of x
            x.withUnsafeBufferPointer { px in for b in 0..<P { for i in 0..<(T * F) { out[b * T * F + i] = px[i] } } }
        }
        _ = layer.forward(batch)                                       // (P, T, P)
        let upstream = Tensor<Double>(shape: [P, T, P]) { g in         // e_p at the last step of copy p
            for i in 0..<g.count { g[i] = 0 }
            for p in 0..<P { g[(p * T + T - 1) * P + p] = 1 }
        }
        let dx = layer.backward(upstream)                              // (P, T, F)
        var norms = [Double](repeating: 0, count: T)
        dx.withUnsafeBufferPointer { g in
            for lag in 0..<T {
                let t = T - 1 - lag
                var sum = 0.0
                for p in 0..<P { for j in 0..<F { let v = g[(p * T + t) * F + j]; sum += v * v } }
                norms[lag] = sum.squareRoot()
            }
        }
        return norms
    }

    private static func finiteDifferenceNorms(_ layer: any Layer<Double>, _ x: Tensor<Double>, step: Double) -> [Double] {
        let T = x.shape[1], F = x.shape[2]
        func lastOutput(_ input: Tensor<Double>) -> [Double] {
            let y = layer.forward(input)                               // (1, T, P)
            let P = y.shape[2]
            return y.withUnsafeBufferPointer { Array($0[((T - 1) * P)..<(T * P)]) }
        }
        var norms = [Double](repeating: 0, count: T)
        for t in 0..<T {
            var sum = 0.0
            for j in 0..<F {
                let i = t * F + j
                let h = step * Swift.max(1, Swift.abs(x[flat: i]))
                var plus = x, minus = x
                plus.withUnsafeMutableBufferPointer { $0[i] += h }
                minus.withUnsafeMutableBufferPointer { $0[i] -= h }
                for (a, b) in zip(lastOutput(plus), lastOutput(minus)) {
                    let d = (a - b) / (2 * h)
                    sum += d * d
                }
            }
            norms[T - 1 - t] = sum.squareRoot()
        }
        return norms
    }
}
