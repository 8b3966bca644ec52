// The fast paths beside their references: VectorActivations against libm in Double, and the
// fused SIMD gate kernels against the plain scalar kernels (forward and backward, Float and
// Double, hidden sizes with a partial 8-lane chunk).

import Foundation
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentKernelTests {
    /// Arguments covering saturation, the polynomial/exponential switch of tanh at 0.625,
    /// tiny values (tanh x ≈ x), and a dense sweep.
    static var sweep: [Float] {
        var xs: [Float] = [0, -0, 0.625, -0.625, 0.6249999, 87, -87, 88, -88, 100, -100, 1e-30, -1e-30, 1e-8, -3e-5]
        for k in 0...40_000 { xs.append(-20 + Float(k) * 0.001) }
        var rng = SplitMix64(seed: 300)
        for _ in 0..<2000 { xs.append(Float(rng.uniform(-1, 1) * Double.exp(rng.uniform(-20, 4)))) }
        return xs
    }

    static func evaluate(_ xs: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
        var out: [Float] = []
        var i = 0
        while i < xs.count {
            var v = SIMD8<Float>()
            for k in 0..<8 where i + k < xs.count { v[k] = xs[i + k] }
            let y = f(v)
            for k in 0..<8 where i + k < xs.count { out.append(y[k]) }
            i += 8
        }
        return out
    }

    /// Relative error ≤ 3·10⁻⁷ (observed 1.8·10⁻⁷ for both) wherever the true value is a normal Float;
    /// σ underflows to at most 2·10⁻³⁸ below x = −87.
    @Test func vectorActivationsMatchLibm() {
        let xs = Self.sweep
        let sig = Self.evaluate(xs, VectorActivations.sigmoid), th = Self.evaluate(xs, VectorActivations.tanh)
        var worstSigmoid = 0.0, worstTanh = 0.0
        for (k, x) in xs.enumerated() {
            let s = 1 / (1 + Double.exp(-Double(x))), t = Double.tanh(Double(x))
            if s > 1e-37 { worstSigmoid = max(worstSigmoid, abs(Double(sig[k]) - s) / s) } else { #expect(Double(sig[k]) < 2e-38) }
            if t != 0 { worstTanh = max(worstTanh, abs(Double(th[k]) - t) / abs(t)) } else { #expect(th[k] == 0) }
            #expect(sig[k] >= 0 && sig[k] <= 1 && th[k] >= -1 && th[k] <= 1, "range at \(x)")
        }
        #expect(worstSigmoid <= 3e-7, "σ worst relative error \(worstSigmoid)")
        #expect(worstTanh <= 3e-7, "tanh worst relative error \(worstTanh)")
        let arguments: [Float] = [0, -1e-8, -0.3, -1, -10, -50.5, -86.9, -87]
        let e = Self.evaluate(arguments, VectorActivations.expNonPositive)
        expectClose(e.map(Double.init), arguments.map { Double.exp(Double($0)) }, rtol: 3e-7, atol: 0)
        // Below −87 the argument is clamped (the result stays a normal Float).
        expectClose(Double(Self.evaluate([-100, -1000, -.infinity], VectorActivations.expNonPositive)[0]), Double.exp(-87), rtol: 3e-7)
        // expm1 keeps relative accuracy near 0, where eˣ − 1 would cancel.
        let small: [Float] = [-1e-7, -3e-5, -0.01, -0.2, -0.34, -0.35, -0.7, -5, -80]
        expectClose(Self.evaluate(small, VectorActivations.expm1NonPositive).map(Double.init), small.map { Double.expMinusOne(Double($0)) },
                    rtol: 3e-7, atol: 0)
    }

    /// The sixteen-lane twin computes exactly the eight-lane functions, lane for lane (the
    /// packed LSTM uses it for two rows at once on AVX-512 builds, and its results must not
    /// depend on that).
    @Test func sixteenLaneActivationsMatchEightLaneBitwise() {
        let xs = Self.sweep + [.infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude]
        typealias F8 = (SIMD8<Float>) -> SIMD8<Float>
        typealias F16 = (SIMD16<Float>) -> SIMD16<Float>
        let pairs: [(String, F8, F16)] = [("sigmoid", VectorActivations.sigmoid, VectorActivations16.sigmoid),
                                          ("tanh", VectorActivations.tanh, VectorActivations16.tanh),
                                          ("exp", VectorActivations.expNonPositive, VectorActivations16.expNonPositive),
                                          ("expm1", VectorActivations.expm1NonPositive, VectorActivations16.expm1NonPositive)]
        for (name, f8, f16) in pairs {
            let xs = name.hasPrefix("exp") ? xs.map { -abs($0) } : xs
            let eight = Self.evaluate(xs, f8)
            var sixteen: [Float] = []
            var i = 0
            while i < xs.count {
                var v = SIMD16<Float>()
                for k in 0..<16 where i + k < xs.count { v[k] = xs[i + k] }
                let y = f16(v)
                for k in 0..<16 where i + k < xs.count { sixteen.append(y[k]) }
                i += 16
            }
            #expect(eight.map(\.bitPattern) == sixteen.map(\.bitPattern), "\(name)")
        }
    }

    /// Forward outputs, final states, input/initial-state/parameter gradients of the fast and
    /// reference kernel paths, for any scalar type.
    static func compareKernelPaths<A: RecurrentArchitecture>(_: A.Type, rtol: Double, atol: Double, seed: UInt64,
                                                             sourceLocation: SourceLocation = #_sourceLocation) {
        func run(_ path: RecurrentKernelPath) -> [[Double]] {
            var rng = SplitMix64(seed: seed)
            let layer = RecurrentLayer<A>(inputSize: 3, hiddenSize: 13, layers: 2, using: &rng)
            layer.kernelPath = path
            let x = Tensor<A.Scalar>.uniform([4, 20, 3], -2, 2, using: &rng)
            let g = Tensor<A.Scalar>.uniform([4, 20, 13], using: &rng)
            let y = layer.forward(x, initialState: randomStates(layer, batch: 4, using: &rng))
            let finals = stateTensors(layer.finalState, A.self)
            layer.zeroGradients()
            let dx = layer.backward(g, finalStateGradient: randomStates(layer, batch: 4, using: &rng))
            let tensors = [y] + finals + [dx] + stateTensors(layer.initialStateGradient, A.self) + layer.namedParameters.map(\.parameter.gradient)
            return tensors.map { $0.scalars.map { Double($0) } }
        }
        for (fast, reference) in zip(run(.fast), run(.reference)) {
            expectClose(fast, reference, rtol: rtol, atol: atol, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func fastKernelsMatchReferenceInFloat(kind: RecurrentKind) {
        // Float: VectorActivations differ from libm by a few ulp per activation; through 20
        // steps, 2 layers and the backward recurrence that stays below 1e-5 of each value's
        // scale (observed ≤ 6e-7 relative to each tensor's largest entry).
        switch kind {
        case .lstm: Self.compareKernelPaths(LSTMArchitecture<Float>.self, rtol: 1e-5, atol: 1e-5, seed: 310)
        case .gru: Self.compareKernelPaths(GRUArchitecture<Float>.self, rtol: 1e-5, atol: 1e-5, seed: 311)
        case .elman: Self.compareKernelPaths(ElmanArchitecture<Float>.self, rtol: 1e-5, atol: 1e-5, seed: 312)
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func fastKernelsMatchReferenceInDouble(kind: RecurrentKind) {
        // Double: the same libm calls on both paths; only the summation order of the bias
        // gradient differs.
        switch kind {
        case .lstm: Self.compareKernelPaths(LSTMArchitecture<Double>.self, rtol: 1e-13, atol: 1e-14, seed: 320)
        case .gru: Self.compareKernelPaths(GRUArchitecture<Double>.self, rtol: 1e-13, atol: 1e-14, seed: 321)
        case .elman: Self.compareKernelPaths(ElmanArchitecture<Double>.self, rtol: 1e-13, atol: 1e-14, seed: 322)
        }
    }

    /// Float and Double runs of the same weights agree to Float accuracy.
    @Test func floatMatchesDouble() {
        var r1 = SplitMix64(seed: 330), r2 = SplitMix64(seed: 330)
        let single = LSTM<Float>(inputSize: 2, hiddenSize: 16, using: &r1)
        let double = LSTM<Double>(inputSize: 2, hiddenSize: 16, using: &r2)
        for (p, q) in zip(single.namedParameters, double.namedParameters) { p.parameter.value = Tensor(converting: q.parameter.value) }
        var rng = SplitMix64(seed: 331)
        let x = Tensor<Double>.uniform([3, 25, 2], using: &rng)
        let yd = double.forward(x), ys = single.forward(Tensor(converting: x))
        // Float rounding through 25 steps.
        expectClose(ys.scalars.map(Double.init), yd.scalars, rtol: 1e-5, atol: 1e-6)
    }
}
