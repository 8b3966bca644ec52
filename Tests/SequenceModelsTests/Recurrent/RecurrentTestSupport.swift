// RecurrentTestSupport.swift — helpers shared by the recurrent-layer tests: running a generic
// check for each kind, random states, and the full gradient check (inputs, initial states,
// final-state loss terms, every parameter) against central differences.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// Calls the generic `body` with the architecture of `kind` in Double.
func forEachArchitecture(_ kind: RecurrentKind, _ body: RecurrentArchitectureVisitor) {
    switch kind {
    case .lstm: body.visit(LSTMArchitecture<Double>.self)
    case .gru: body.visit(GRUArchitecture<Double>.self)
    case .elman: body.visit(ElmanArchitecture<Double>.self)
    }
}

/// A generic test body over the three architectures (Swift has no generic closures).
protocol RecurrentArchitectureVisitor {
    func visit<A: RecurrentArchitecture>(_ architecture: A.Type) where A.Scalar == Double
}

/// Random states for every layer of `layer`, uniform in [−1, 1).
func randomStates<A: RecurrentArchitecture>(_ layer: RecurrentLayer<A>, batch: Int, using rng: inout SplitMix64) -> [A.State] {
    (0..<layer.layerCount).map { _ in
        let h: Tensor<A.Scalar> = .uniform([batch, layer.hiddenSize], using: &rng)
        let c: Tensor<A.Scalar>? = layer.kind.hasCellState ? .uniform([batch, layer.hiddenSize], using: &rng) : nil
        return A.state(hidden: h, cell: c)
    }
}

/// The (hidden, cell) tensors of a list of states, flattened in order h₀, c₀, h₁, c₁, ….
func stateTensors<A: RecurrentArchitecture>(_ states: [A.State], _: A.Type) -> [Tensor<A.Scalar>] {
    states.flatMap { s -> [Tensor<A.Scalar>] in [A.hidden(of: s)] + (A.cell(of: s).map { [$0] } ?? []) }
}

/// Rebuilds states from `stateTensors` output.
func states<A: RecurrentArchitecture>(from tensors: [Tensor<A.Scalar>], _: A.Type) -> [A.State] {
    let per = A.kind.hasCellState ? 2 : 1
    return stride(from: 0, to: tensors.count, by: per).map { i in
        A.state(hidden: tensors[i], cell: A.kind.hasCellState ? tensors[i + 1] : nil)
    }
}

/// Checks ∂L/∂x, ∂L/∂(initial states) and ∂L/∂θ of `layer` against central differences for
/// L = Σ g ⊙ y + Σ_l (g_h,l ⊙ h_T,l + g_c,l ⊙ c_T,l), with random g and random initial states.
/// Tolerances as in GradientCheck.swift (same step and error budget).
func checkRecurrentGradients<A: RecurrentArchitecture>(_ layer: RecurrentLayer<A>, batch: Int, time: Int, seed: UInt64,
                                                       limit: Int = 40, sourceLocation: SourceLocation = #_sourceLocation)
    where A.Scalar == Double {
    var rng = SplitMix64(seed: seed)
    var x = Tensor<Double>.uniform([batch, time, layer.inputSize], using: &rng)
    var initial = stateTensors(randomStates(layer, batch: batch, using: &rng), A.self)
    let g = Tensor<Double>.uniform([batch, time, layer.hiddenSize], using: &rng)
    let finalWeights = stateTensors(randomStates(layer, batch: batch, using: &rng), A.self)

    _ = layer.forward(x, initialState: states(from: initial, A.self))
    layer.zeroGradients()
    let dx = layer.backward(g, finalStateGradient: states(from: finalWeights, A.self))
    let dInitial = stateTensors(layer.initialStateGradient, A.self)
    let analytic = layer.namedParameters.map { ($0.name, $0.parameter.gradient) }

    let loss: () -> Double = {
        let y = layer.forward(x, initialState: states(from: initial, A.self))
        let finals = stateTensors(layer.finalState, A.self)
        return Tensor.dot(g, y) + zip(finals, finalWeights).reduce(0) { $0 + Tensor.dot($1.0, $1.1) }
    }
    let h = 1e-6
    let xi = checkedIndices(count: x.count, limit: limit, using: &rng)
    let dxNumeric = centralDifferences(indices: xi, step: h, get: { x[flat: $0] }, set: { x[flat: $0] = $1 }, f: loss)
    expectClose(xi.map { dx[flat: $0] }, dxNumeric, rtol: 1e-6, atol: 1e-7, "∂L/∂input", sourceLocation: sourceLocation)
    for k in initial.indices {
        let idx = checkedIndices(count: initial[k].count, limit: limit, using: &rng)
        let numeric = centralDifferences(indices: idx, step: h, get: { initial[k][flat: $0] }, set: { initial[k][flat: $0] = $1 }, f: loss)
        expectClose(idx.map { dInitial[k][flat: $0] }, numeric, rtol: 1e-6, atol: 1e-7, "∂L/∂initial state \(k)", sourceLocation: sourceLocation)
    }
    for (named, (name, gradient)) in zip(layer.namedParameters, analytic) {
        let p = named.parameter
        let idx = checkedIndices(count: p.value.count, limit: limit, using: &rng)
        let numeric = centralDifferences(indices: idx, step: h, get: { p.value[flat: $0] }, set: { p.value[flat: $0] = $1 }, f: loss)
        expectClose(idx.map { gradient[flat: $0] }, numeric, rtol: 1e-6, atol: 1e-7, "∂L/∂\(name)", sourceLocation: sourceLocation)
    }
}

/// The elements of `x` at time steps `range` (batch-major (B, T, F) → (B, range.count, F)).
func timeSlice<S>(_ x: Tensor<S>, _ range: Range<Int>) -> Tensor<S> {
    let b = x.shape[0], t = x.shape[1], f = x.shape[2]
    var out = Tensor<S>(shape: [b, range.count, f])
    for i in 0..<b {
        for (k, s) in range.enumerated() {
            for j in 0..<f { out[flat: (i * range.count + k) * f + j] = x[flat: (i * t + s) * f + j] }
        }
    }
    return out
}

/// Sequences (B, T_k, F) joined along time into (B, Σ T_k, F).
func concatenateTime<S>(_ parts: [Tensor<S>]) -> Tensor<S> {
    let b = parts[0].shape[0], f = parts[0].shape[2], total = parts.reduce(0) { $0 + $1.shape[1] }
    var out = Tensor<S>(shape: [b, total, f])
    var offset = 0
    for part in parts {
        let t = part.shape[1]
        for i in 0..<b {
            for s in 0..<t {
                for j in 0..<f { out[flat: (i * total + offset + s) * f + j] = part[flat: (i * t + s) * f + j] }
            }
        }
        offset += t
    }
    return out
}
