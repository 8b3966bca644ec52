// FusedLayerTests.swift — the fused, vectorised layer kernels against their plain reference
// paths: LayerNorm (row kernels vs sequential two-pass loops), GLU (SIMD σ vs libm) and the
// activations (VectorMath vs libm), in Float and Double, at widths with and without a partial
// lane group.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct FusedLayerTests {
    @Test(arguments: [1, 5, 8, 13, 32, 37])
    func layerNormMatchesReference(size: Int) {
        var rng = SplitMix64(seed: UInt64(90 + size))
        for affine in [true, false] {
            let layer = LayerNorm<Double>(size: size, affine: affine)
            if affine {
                layer.weight!.value = .uniform([size], 0.5, 1.5, using: &rng)
                layer.bias!.value = .uniform([size], using: &rng)
            }
            // An offset mean and a wide spread exercise the two-pass variance.
            let x = Tensor<Double>.uniform([3, 4, size], 5, 9, using: &rng)
            let dy = Tensor<Double>.uniform([3, 4, size], using: &rng)
            let y = layer.forward(x)
            layer.zeroGradients()
            let dx = layer.backward(dy)
            let reference = layer.referenceBackward(x, dy)
            // Different summation orders: agreement to a few Double roundings of O(1) values.
            expectClose(y.scalars, layer.referenceForward(x).scalars, rtol: 1e-12, atol: 1e-12, "forward, size \(size)")
            expectClose(dx.scalars, reference.input.scalars, rtol: 1e-10, atol: 1e-12, "∂L/∂x, size \(size)")
            if affine {
                expectClose(layer.weight!.gradient.scalars, reference.weight!.scalars, rtol: 1e-12, atol: 1e-12, "∂L/∂γ")
                expectClose(layer.bias!.gradient.scalars, reference.bias!.scalars, rtol: 1e-12, atol: 1e-12, "∂L/∂β")
            }
        }
    }

    @Test func layerNormFloatMatchesDoubleReference() {
        var rng = SplitMix64(seed: 95)
        let size = 37
        let x = Tensor<Double>.uniform([2, 50, size], -3, 3, using: &rng)
        let dy = Tensor<Double>.uniform([2, 50, size], using: &rng)
        let single = LayerNorm<Float>(size: size), double = LayerNorm<Double>(size: size)
        let gain = Tensor<Double>.uniform([size], 0.5, 1.5, using: &rng)
        single.weight!.value = Tensor(converting: gain)
        double.weight!.value = Tensor(converting: Tensor<Float>(converting: gain))
        let y = single.forward(Tensor(converting: x)), dx = single.backward(Tensor(converting: dy))
        let yRef = double.referenceForward(Tensor(converting: Tensor<Float>(converting: x)))
        let dxRef = double.referenceBackward(Tensor(converting: Tensor<Float>(converting: x)), Tensor(converting: Tensor<Float>(converting: dy)))
        // Float rounding of O(1) values accumulated over a 37-element row: 1e-5 leaves room.
        expectClose(y.scalars.map(Double.init), yRef.scalars, rtol: 1e-5, atol: 1e-5, "Float forward")
        expectClose(dx.scalars.map(Double.init), dxRef.input.scalars, rtol: 1e-4, atol: 1e-5, "Float ∂L/∂x")
        expectClose(single.weight!.gradient.scalars.map(Double.init), dxRef.weight!.scalars, rtol: 1e-4, atol: 1e-4, "Float ∂L/∂γ")
    }

    @Test(arguments: [1, 3, 8, 12, 32])
    func gluMatchesReference(half: Int) {
        var rng = SplitMix64(seed: UInt64(100 + half))
        let x = Tensor<Float>.uniform([3, 5, 2 * half], -8, 8, using: &rng)
        let fast = GLU<Float>().forward(x)
        // σ within 2.5 Float ulp (VectorMath) against libm's σ, times a in Float.
        expectClose(fast.scalars.map(Double.init), GLU<Float>.referenceForward(x).scalars.map(Double.init),
                    rtol: 4e-7, atol: 1e-30, "GLU, half width \(half)")
        let xd = Tensor<Double>.uniform([3, 5, 2 * half], -8, 8, using: &rng)
        expectClose(GLU<Double>().forward(xd).scalars, GLU<Double>.referenceForward(xd).scalars, rtol: 1e-15, atol: 1e-300,
                    "GLU Double, half width \(half)")
    }

    /// The fast activation path and the libm reference path agree within the kernels' bounds.
    @Test(arguments: ActivationKind.allCases)
    func activationFastPathMatchesReference(kind: ActivationKind) {
        var rng = SplitMix64(seed: 72)
        let n = 1003
        for scale in [1.0, 4.0, 12.0] {
            let x = (0..<n).map { _ in Float(rng.uniform(-scale, scale)) }
            let dy = (0..<n).map { _ in Float(rng.uniform(-1, 1)) }
            var fast = [Float](repeating: 0, count: n), slow = fast, derivative = fast, dxFast = fast, dxSlow = fast
            x.withUnsafeBufferPointer { px in
                fast.withUnsafeMutableBufferPointer { kind.apply(px, into: $0) }
                slow.withUnsafeMutableBufferPointer { kind.applyReference(px, into: $0) }
                var y = [Float](repeating: 0, count: n)
                y.withUnsafeMutableBufferPointer { py in derivative.withUnsafeMutableBufferPointer { kind.apply(px, into: py, derivative: $0) } }
                fast.withUnsafeBufferPointer { py in
                    dy.withUnsafeBufferPointer { g in
                        dxFast.withUnsafeMutableBufferPointer { kind.backward(input: px, output: py, outputGradient: g, into: $0) }
                        slow.withUnsafeBufferPointer { ps in
                            dxSlow.withUnsafeMutableBufferPointer { kind.backwardReference(input: px, output: ps, outputGradient: g, into: $0) }
                        }
                    }
                }
            }
            // Both paths round in Float; the reference's own 1 + erf and tanh formulas lose a few
            // ulp on the left tail, so compare at a few Float ulp of the O(1) scale.
            expectClose(fast.map(Double.init), slow.map(Double.init), rtol: 1e-6, atol: 1e-6, "\(kind) value")
            expectClose(dxFast.map(Double.init), dxSlow.map(Double.init), rtol: 1e-5, atol: 1e-6, "\(kind) backward")
            let dxFromDerivative = zip(dy, derivative).map { Double($0 * $1) }
            expectClose(dxFromDerivative, dxSlow.map(Double.init), rtol: 1e-5, atol: 1e-6, "\(kind) cached derivative")
        }
    }
}
