// GradientCheck.swift — backward passes against central finite differences, in Double.
//
// For a layer f and a seeded random upstream gradient g, the scalar L(x, θ) = Σ g ⊙ f(x; θ)
// has ∂L/∂x = backward(g) and ∂L/∂θ = the accumulated parameter gradients. Each checked
// element e is compared with the central difference (L(e + h) − L(e − h)) / 2h.
//
// Tolerance: with h = 1e-6 the truncation error is O(h² · |L'''|) ≈ 1e-12 and the rounding
// error O(ε · |L| / h) ≈ 1e-9 for |L| ~ 10, so rtol 1e-6 / atol 1e-7 leave a wide margin while
// any wrong factor, sign or index in a backward pass fails by orders of magnitude.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// Central differences of `f` with respect to the elements `indices` of a tensor reached
/// through `get`/`set`.
func centralDifferences(indices: [Int], step h: Double,
                        get: (Int) -> Double, set: (Int, Double) -> Void, f: () -> Double) -> [Double] {
    indices.map { i in
        let original = get(i)
        set(i, original + h)
        let plus = f()
        set(i, original - h)
        let minus = f()
        set(i, original)
        return (plus - minus) / (2 * h)
    }
}

/// All indices of a tensor with `count` elements, or a seeded sample of `limit` of them.
func checkedIndices(count: Int, limit: Int, using rng: inout SplitMix64) -> [Int] {
    guard count > limit else { return Array(0..<count) }
    var all = Array(0..<count)
    all.shuffle(using: &rng)
    return Array(all.prefix(limit)).sorted()
}

/// Checks `layer.backward` for the input and every parameter against central differences.
/// `beforeForward` runs before every forward (e.g. to reset a dropout generator so every
/// evaluation uses the same mask). Set `checkInput: false` for non-differentiable inputs.
func checkLayerGradients<L: Layer>(_ layer: L, input: Tensor<Double>, seed: UInt64,
                                   checkInput: Bool = true, limit: Int = 60,
                                   step h: Double = 1e-6, rtol: Double = 1e-6, atol: Double = 1e-7,
                                   beforeForward: () -> Void = {},
                                   sourceLocation: SourceLocation = #_sourceLocation) where L.Scalar == Double {
    var rng = SplitMix64(seed: seed)
    beforeForward()
    let y = layer.forward(input)
    let g = Tensor<Double>.uniform(y.shape, using: &rng)
    layer.zeroGradients()
    let dx = layer.backward(g)
    #expect(dx.shape == input.shape, "input gradient shape", sourceLocation: sourceLocation)
    let analyticParams = layer.namedParameters.map { ($0.name, $0.parameter.gradient) }

    var x = input
    let loss: () -> Double = {
        beforeForward()
        return Tensor.dot(g, layer.forward(x))
    }
    if checkInput {
        let idx = checkedIndices(count: x.count, limit: limit, using: &rng)
        let numeric = centralDifferences(indices: idx, step: h, get: { x[flat: $0] }, set: { x[flat: $0] = $1 }, f: loss)
        expectClose(idx.map { dx[flat: $0] }, numeric, rtol: rtol, atol: atol, "∂L/∂input", sourceLocation: sourceLocation)
    }
    for (named, (name, analytic)) in zip(layer.namedParameters, analyticParams) {
        let p = named.parameter
        let idx = checkedIndices(count: p.value.count, limit: limit, using: &rng)
        let numeric = centralDifferences(indices: idx, step: h, get: { p.value[flat: $0] },
                                         set: { p.value[flat: $0] = $1 }, f: loss)
        expectClose(idx.map { analytic[flat: $0] }, numeric, rtol: rtol, atol: atol, "∂L/∂\(name)", sourceLocation: sourceLocation)
    }
}

/// Checks a loss gradient with respect to every prediction element against central differences.
func checkLossGradient(_ loss: some Loss, prediction: Tensor<Double>, target: Tensor<Double>,
                       mask: Tensor<Double>?, step h: Double = 1e-6,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
    let analytic = try loss.evaluate(prediction, target, mask: mask).gradient
    var p = prediction
    var failure: SequenceModelError?
    let numeric = centralDifferences(indices: Array(0..<p.count), step: h, get: { p[flat: $0] }, set: { p[flat: $0] = $1 }) {
        do throws(SequenceModelError) { return try loss.evaluate(p, target, mask: mask).value } catch { failure = error; return .nan }
    }
    if let failure { throw failure }
    // Same finite-difference error budget as checkLayerGradients.
    expectClose(analytic.scalars, numeric, rtol: 1e-6, atol: 1e-7, "∂L/∂prediction", sourceLocation: sourceLocation)
}
