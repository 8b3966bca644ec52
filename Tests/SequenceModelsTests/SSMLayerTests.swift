// The S4D layer: backward against central finite differences in Double (input, log Δ, A real and
// imaginary parts, B, C, D) for every initialisation and discretisation, and the recurrent
// mode against the convolution mode in Float and Double.

import LinearAlgebra
import Numerics
import SequenceModels
import Spectral
import TestSupport
import Testing

@Suite struct SSMLayerTests {
    static func layer<S>(_ type: S.Type, _ initialization: S4DInitialization, _ discretization: SSMDiscretization,
                         channels: Int = 3, stateSize: Int = 6, seed: UInt64) throws -> S4D<S> {
        var rng = SplitMix64(seed: seed)
        let config = S4DConfiguration(channels: channels, stateSize: stateSize, initialization: initialization,
                                      discretization: discretization, dtMin: 0.01, dtMax: 0.5, learnableInput: true)
        let layer = try S4D<S>(configuration: config, using: &rng)
        // General position: B away from ones, larger steps so Δ matters over a short sequence.
        layer.inputMatrix.value = .uniform([channels, stateSize / 2, 2], 0.5, 1.5, using: &rng)
        return layer
    }

    @Test(arguments: S4DInitialization.allCases, SSMDiscretization.allCases)
    func backwardMatchesFiniteDifferences(initialization: S4DInitialization, discretization: SSMDiscretization) throws {
        let layer = try SSMLayerTests.layer(Double.self, initialization, discretization, seed: 41)
        var rng = SplitMix64(seed: 42)
        let x = Tensor<Double>.uniform([2, 9, 3], using: &rng)
        #expect(layer.namedParameters.map(\.name) == ["log_dt", "log_A_real", "A_imag", "B", "C", "D"])
        checkLayerGradients(layer, input: x, seed: 43)
    }

    @Test func backwardWithFixedInputMatrixLeavesBAlone() throws {
        var rng = SplitMix64(seed: 44)
        let layer = try S4D<Double>(configuration: S4DConfiguration(channels: 2, stateSize: 4, dtMin: 0.05, dtMax: 0.3), using: &rng)
        #expect(!layer.namedParameters.contains { $0.name == "B" })
        checkLayerGradients(layer, input: .uniform([3, 7, 2], using: &rng), seed: 45)
        #expect(layer.inputMatrix.gradient.squaredNorm() == 0)
    }

    @Test func longSequenceGradientUsesBlockedKernel() throws {
        // L = 300 > one block of the two-level split (c = 32), Δ small enough that modes stay alive.
        let layer = try SSMLayerTests.layer(Double.self, .inv, .zeroOrderHold, channels: 2, stateSize: 4, seed: 46)
        var rng = SplitMix64(seed: 47)
        checkLayerGradients(layer, input: .uniform([1, 300, 2], using: &rng), seed: 48, limit: 20)
    }

    /// Convolution-mode output against the step-by-step recurrence.
    func recurrentMatchesConvolution<S: NeuralScalar & FFTScalar>(_ type: S.Type, _ initialization: S4DInitialization,
                                                                  _ discretization: SSMDiscretization) throws -> Double {
        let layer = try SSMLayerTests.layer(S.self, initialization, discretization, channels: 4, stateSize: 16, seed: 49)
        layer.mode = .inference
        var rng = SplitMix64(seed: 50)
        let x = Tensor<S>.uniform([3, 257, 4], using: &rng)
        let conv = layer.forward(x)
        let cell = layer.recurrentCell()
        let (rec, final) = cell.run(x)
        #expect(final.output.shape == [3, 4])
        return relativeError(rec.scalars.map { Double($0) }, conv.scalars.map { Double($0) })
    }

    @Test(arguments: S4DInitialization.allCases, SSMDiscretization.allCases)
    func recurrentModeEqualsConvolutionMode(initialization: S4DInitialization, discretization: SSMDiscretization) throws {
        #expect(try recurrentMatchesConvolution(Double.self, initialization, discretization) < 1e-12)
        // Float: FFT rounding ~1e-7·log n plus the recursion's ~1e-7 per step, amplified by at
        // most 1/(1 − |Ā|) for the slowest modes.
        #expect(try recurrentMatchesConvolution(Float.self, initialization, discretization) < 2e-4)
    }

    @Test func outputShapeIsChecked() throws {
        var rng = SplitMix64(seed: 51)
        let layer = try S4D<Float>(configuration: S4DConfiguration(channels: 3, stateSize: 4), using: &rng)
        #expect(try layer.outputShape(for: [2, 5, 3]) == [2, 5, 3])
        #expect(throws: SequenceModelError.self) { try layer.outputShape(for: [2, 5, 4]) }
        #expect(throws: SequenceModelError.self) { try layer.outputShape(for: [5, 3]) }
        #expect(throws: SequenceModelError.invalidConfiguration(name: "stateSize", reason: "must be even and ≥ 2 (N/2 complex modes), got 5")) {
            _ = try S4D<Float>(configuration: S4DConfiguration(channels: 3, stateSize: 5), using: &rng)
        }
    }

    @Test(arguments: [(1, 1, 1), (2, 33, 5), (3, 70, 65), (2, 32, 64)])
    func tiledTransposeMatchesPlainLoop(rows: Int, a: Int, b: Int) {
        var rng = SplitMix64(seed: 52)
        let src = rng.uniforms(rows * a * b), extra = rng.uniforms(rows * a * b), scale = rng.uniforms(a)
        let reference = SSMLayout.transposeReference(src, rows: rows, a: a, b: b)
        var out = [Double](repeating: 0, count: src.count), fused = out
        src.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { SSMLayout.transpose(s, rows: rows, a: a, b: b, into: $0) } }
        #expect(out == reference)
        src.withUnsafeBufferPointer { s in
            extra.withUnsafeBufferPointer { e in
                scale.withUnsafeBufferPointer { c in
                    fused.withUnsafeMutableBufferPointer { SSMLayout.transpose(s, rows: rows, a: a, b: b, adding: e, scaledBy: c, into: $0) }
                }
            }
        }
        // dst[r][j][i] = src[r][i][j] + scale[i] · extra[r][j][i], one rounding per element.
        let expected = (0..<src.count).map { k -> Double in
            let i = k % a
            return reference[k] + scale[i] * extra[k]
        }
        expectClose(fused, expected, rtol: 1e-15, atol: 0)
    }

    @Test func emptySequencesPassThrough() throws {
        var rng = SplitMix64(seed: 53)
        let s4d = try S4D<Float>(configuration: S4DConfiguration(channels: 3, stateSize: 4), using: &rng)
        let dense = try DenseLTILayer<Float>(configuration: DenseLTIConfiguration(inputSize: 3, outputSize: 2, stateSize: 4), using: &rng)
        let x = Tensor<Float>(shape: [2, 0, 3])
        #expect(s4d.forward(x).shape == [2, 0, 3] && s4d.backward(x).shape == [2, 0, 3])
        #expect(dense.forward(x).shape == [2, 0, 2] && dense.backward(Tensor(shape: [2, 0, 2])).shape == [2, 0, 3])
    }
}
