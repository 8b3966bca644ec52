// LSTM, GRU and Elman RNN against PyTorch (Tests/Fixtures/torch/{lstm,gru,rnn}.json, float64):
// outputs, final states, and the gradients of loss = Σ output ⊙ R with respect to the input,
// the initial states and every weight, with the fixture's weights loaded unchanged.

import Foundation
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// The schema of Tests/Fixtures/torch/{lstm,gru,rnn}.json (see Tests/Fixtures/README.md).
struct RecurrentFixture: Decodable {
    struct Config: Decodable {
        let inputSize: Int, hiddenSize: Int, numLayers: Int, batch: Int, seqLen: Int
        enum CodingKeys: String, CodingKey {
            case inputSize = "input_size", hiddenSize = "hidden_size", numLayers = "num_layers", batch, seqLen = "seq_len"
        }
    }
    struct Weights: Decodable {
        let weightIH: [[Double]], weightHH: [[Double]], biasIH: [Double], biasHH: [Double]
        enum CodingKeys: String, CodingKey {
            case weightIH = "weight_ih", weightHH = "weight_hh", biasIH = "bias_ih", biasHH = "bias_hh"
        }
        /// weight_ih, weight_hh, bias_ih, bias_hh flattened row-major (the layer's parameter order).
        var flattened: [[Double]] { [weightIH.flatMap { $0 }, weightHH.flatMap { $0 }, biasIH, biasHH] }
    }
    struct Gradients: Decodable {
        let input: [[[Double]]], h0: [[[Double]]], c0: [[[Double]]]?, layers: [Weights]
    }
    let config: Config
    let layers: [Weights]
    let input: [[[Double]]], h0: [[[Double]]], c0: [[[Double]]]?
    let output: [[[Double]]]
    let hN: [[[Double]]], cN: [[[Double]]]?
    let R: [[[Double]]]
    let loss: Double
    let grad: Gradients
    enum CodingKeys: String, CodingKey {
        case config, layers, input, h0, c0, output, hN = "h_n", cN = "c_n", R, loss, grad
    }
}

func flat3(_ a: [[[Double]]]) -> [Double] { a.flatMap { $0.flatMap { $0 } } }

@Suite struct RecurrentFixtureTests {
    static let files: [(RecurrentKind, String, UInt64)] = [(.lstm, "torch/lstm.json", 7001), (.gru, "torch/gru.json", 7002),
                                                            (.elman, "torch/rnn.json", 7003)]

    struct Compare: RecurrentArchitectureVisitor {
        let fixture: RecurrentFixture
        let path: RecurrentKernelPath

        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            let f = fixture, c = f.config
            var rng = SplitMix64(seed: 0)
            let layer = RecurrentLayer<A>(inputSize: c.inputSize, hiddenSize: c.hiddenSize, layers: c.numLayers, using: &rng)
            layer.kernelPath = path
            for (p, w) in zip(layer.namedParameters.map(\.parameter), f.layers.flatMap(\.flattened)) {
                p.value = Tensor(shape: p.shape, scalars: w)
            }
            let b = c.batch, h = c.hiddenSize
            let initial: [A.State] = (0..<c.numLayers).map { l in
                A.state(hidden: Tensor(shape: [b, h], scalars: f.h0[l].flatMap { $0 }),
                        cell: f.c0.map { Tensor(shape: [b, h], scalars: $0[l].flatMap { $0 }) })
            }
            let x = Tensor(shape: [b, c.seqLen, c.inputSize], scalars: flat3(f.input))
            let y = layer.forward(x, initialState: initial)
            // Same equations as PyTorch, summed in another order: agreement to ~1e-15 relative.
            expectClose(y.scalars, flat3(f.output), rtol: 1e-12, atol: 1e-14, "output")
            expectClose(layer.finalState.flatMap { A.hidden(of: $0).scalars }, flat3(f.hN), rtol: 1e-12, atol: 1e-14, "h_n")
            if let cN = f.cN {
                expectClose(layer.finalState.flatMap { A.cell(of: $0)!.scalars }, flat3(cN), rtol: 1e-12, atol: 1e-14, "c_n")
            }
            let r = Tensor(shape: y.shape, scalars: flat3(f.R))
            expectClose(Tensor.dot(y, r), f.loss, rtol: 1e-12, "loss")

            layer.zeroGradients()
            let dx = layer.backward(r)
            expectClose(dx.scalars, flat3(f.grad.input), rtol: 1e-10, atol: 1e-12, "∂loss/∂input")
            expectClose(layer.initialStateGradient.flatMap { A.hidden(of: $0).scalars }, flat3(f.grad.h0), rtol: 1e-10, atol: 1e-12, "∂loss/∂h0")
            if let c0 = f.grad.c0 {
                expectClose(layer.initialStateGradient.flatMap { A.cell(of: $0)!.scalars }, flat3(c0), rtol: 1e-10, atol: 1e-12, "∂loss/∂c0")
            }
            for (named, expected) in zip(layer.namedParameters, f.grad.layers.flatMap(\.flattened)) {
                expectClose(named.parameter.gradient.scalars, expected, rtol: 1e-10, atol: 1e-12, "∂loss/∂\(named.name)")
            }
        }
    }

    @Test(arguments: [0, 1, 2], RecurrentKernelPath.allCases)
    func matchesPyTorch(file: Int, path: RecurrentKernelPath) throws {
        let (kind, name, _) = Self.files[file]
        let fixture = try Fixtures.load(name, as: RecurrentFixture.self)
        forEachArchitecture(kind, Compare(fixture: fixture, path: path))
    }

    /// `.pytorch` initialisation draws exactly what the fixture generator drew from the same
    /// seed (weight_ih, weight_hh, bias_ih, bias_hh per layer, U(±1/√H) row-major).
    struct SameDraws: RecurrentArchitectureVisitor {
        let fixture: RecurrentFixture
        let seed: UInt64
        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            var rng = SplitMix64(seed: seed)
            let c = fixture.config
            let layer = RecurrentLayer<A>(inputSize: c.inputSize, hiddenSize: c.hiddenSize, layers: c.numLayers,
                                          initialization: .pytorch, using: &rng)
            for (p, w) in zip(layer.namedParameters, fixture.layers.flatMap(\.flattened)) {
                // Bitwise identity of the draws is the property under test.
                #expect(p.parameter.value.scalars == w, "\(p.name)")
            }
        }
    }

    @Test(arguments: [0, 1, 2])
    func pytorchInitializationReproducesGeneratorDraws(file: Int) throws {
        let (kind, name, seed) = Self.files[file]
        forEachArchitecture(kind, SameDraws(fixture: try Fixtures.load(name, as: RecurrentFixture.self), seed: seed))
    }
}
