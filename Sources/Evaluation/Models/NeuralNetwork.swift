// NeuralNetwork.swift — the per-step sequence network of each neural kind, built from the
// core's layers, (batch, time, F) → (batch, time, O), plus what the cost probes and the kernel
// report need from it (its recurrent mode and its LTI kernels).
//
//   ssm          SSMModel: Linear F→H, `layers` S4D blocks (S4D-Lin, ZOH, N = state_dim,
//                GLU mixing, pre-norm residual), LayerNorm, Linear H→O
//   lti          DenseLTILayer (n = state_dim, F inputs, O outputs), no projections, so its
//                kernel is the model's impulse response in normalised units
//   rnn/gru/lstm `layers` single-layer recurrent stacks of width H with dropout after each,
//                then Linear H→O (dropout between layers: the core's stacked layer has none,
//                so each layer is its own stack)
//   transformer  causal decoder-only Transformer, d = H, `heads`, `layers` blocks, FFN 4d,
//                sinusoidal positions
//   tcn          TCN, H channels, `layers` levels (dilations 1 … 2^(layers−1)), `kernel_size`,
//                per-step head; receptive field 1 + 2(k − 1)(2^layers − 1) steps
//   mlp          LagWindow(order) then the core's residual MLP (width H, `layers` blocks)
//
// Every weight and dropout generator is seeded from the run's generator.

import LinearAlgebra
import SequenceModels

/// A built network and its optional capabilities.
struct NeuralNetwork {
    /// (batch, time, inputSize) → (batch, time, outputSize).
    let layer: any Layer<Float>
    let inputSize: Int
    let outputSize: Int
    /// Makes a batch-1 stepper from a zero state: each call advances the network by one step on
    /// a (1, inputSize) input. nil when the kind has no step-by-step inference mode here.
    let makeStepper: (() -> (Tensor<Float>) -> Void)?
    /// Up to `limit` impulse responses of `length` taps (LTI-like kinds).
    let kernels: ((_ length: Int, _ limit: Int) -> [(name: String, taps: [Double])])?
    /// Whether predictions must come from windows no longer than the training window
    /// (the Transformer: positions beyond it were never trained).
    let boundedContext: Bool
}

enum NeuralNetworkBuilder {
    /// The network of `kind` with `settings`, drawing its seeds from `rng`; `inputNames` and
    /// `outputNames` name the LTI kernels.
    /// - Throws: `RunError.failed` when the core rejects the configuration.
    static func make(_ kind: NeuralKind, _ s: NeuralSettings, inputSize f: Int, outputSize o: Int,
                     inputNames: [String], outputNames: [String], rng: inout SplitMix64) throws -> NeuralNetwork {
        do {
            switch kind {
            case .ssm: return try ssm(s, f, o, seed: rng.next())
            case .lti: return try lti(s, f, o, inputNames, outputNames, seed: rng.next())
            case .rnn: return recurrent(ElmanArchitecture<Float>.self, s, f, o, rng: &rng)
            case .gru: return recurrent(GRUArchitecture<Float>.self, s, f, o, rng: &rng)
            case .lstm: return recurrent(LSTMArchitecture<Float>.self, s, f, o, rng: &rng)
            case .transformer:
                let c = TransformerConfiguration(input: .features(size: f), outputSize: o, modelSize: s.hidden, heads: s.heads,
                                                 depth: s.layers, expansion: 4, positions: .sinusoidal, dropout: s.dropout, causal: true)
                return NeuralNetwork(layer: try Transformer<Float>(configuration: c, seed: rng.next()), inputSize: f, outputSize: o,
                                     makeStepper: nil, kernels: nil, boundedContext: true)
            case .tcn:
                let c = TCNConfiguration(inputSize: f, outputSize: o, channels: s.hidden, levels: s.layers, kernelSize: s.kernelSize,
                                         dropout: s.dropout, head: .perStep)
                return NeuralNetwork(layer: try TCN<Float>(configuration: c, seed: rng.next()), inputSize: f, outputSize: o,
                                     makeStepper: nil, kernels: nil, boundedContext: false)
            case .mlp: return try mlp(s, f, o, seed: rng.next())
            }
        } catch let e as SequenceModelError {
            throw RunError.failed("\(kind.rawValue) network: \(e)")
        }
    }

    private static func ssm(_ s: NeuralSettings, _ f: Int, _ o: Int, seed: UInt64) throws -> NeuralNetwork {
        let c = SSMModelConfiguration(inputSize: f, outputSize: o, width: s.hidden, depth: s.layers, stateSize: s.stateDimension,
                                      initialization: .lin, discretization: .zeroOrderHold, dtMin: s.dtMin, dtMax: s.dtMax, dropout: s.dropout, pooling: .none,
                                      ssmLearningRate: s.stateSpaceLearningRate)
        let model = try SSMModel<Float>(configuration: c, seed: seed)
        return NeuralNetwork(
            layer: model, inputSize: f, outputSize: o,
            makeStepper: {
                let cell = model.recurrentCell()
                var state = cell.zeroState(batch: 1)
                return { x in cell.step(x, state: &state) }
            },
            kernels: { length, limit in
                // The first block's channels: K (H, L) of the S4 convention plus the skip D at
                // tap 0, i.e. each channel's impulse response h[0] = K[0] + D, h[l] = K[l].
                guard let first = model.blocks.first, length > 0 else { return [] }
                let k = first.ssm.kernel(length: length), d = first.ssm.skip.value.scalars
                return (0..<min(limit, first.ssm.channels)).map { h in
                    var taps = Array(k[(h * length)..<((h + 1) * length)])
                    taps[0] += Double(d[h])
                    return (name: "block1.ch\(h + 1)", taps: taps)
                }
            },
            boundedContext: false)
    }

    private static func lti(_ s: NeuralSettings, _ f: Int, _ o: Int, _ inputNames: [String], _ outputNames: [String],
                            seed: UInt64) throws -> NeuralNetwork {
        var rng = SplitMix64(seed: seed)
        let layer = try DenseLTILayer<Float>(configuration: DenseLTIConfiguration(inputSize: f, outputSize: o, stateSize: s.stateDimension),
                                             using: &rng)
        // The state matrix trains as S4 trains its state parameters: own rate, no decay.
        layer.a.group = ParameterGroup(name: S4DConfiguration.ssmGroupName, learningRate: s.stateSpaceLearningRate, weightDecay: 0)
        return NeuralNetwork(
            layer: layer, inputSize: f, outputSize: o,
            makeStepper: {
                let cell = layer.recurrentCell()
                var state = cell.zeroState(batch: 1)
                return { x in cell.step(x, state: &state) }
            },
            kernels: { length, limit in
                guard length > 0 else { return [] }
                let h = layer.kernel(length: length)          // (L, p, m)
                var out: [(name: String, taps: [Double])] = []
                for r in 0..<o { for i in 0..<f where out.count < limit {
                    out.append((name: "\(outputNames[r])←\(inputNames[i])", taps: (0..<length).map { h[$0 * o * f + r * f + i] }))
                } }
                return out
            },
            boundedContext: false)
    }

    private static func recurrent<A: RecurrentArchitecture>(_: A.Type, _ s: NeuralSettings, _ f: Int, _ o: Int,
                                                            rng: inout SplitMix64) -> NeuralNetwork where A.Scalar == Float {
        var weights = SplitMix64(seed: rng.next())
        var stacks: [RecurrentLayer<A>] = [], children: [any Layer<Float>] = []
        for l in 0..<s.layers {
            let stack = RecurrentLayer<A>(inputSize: l == 0 ? f : s.hidden, hiddenSize: s.hidden, layers: 1, using: &weights)
            stacks.append(stack)
            children += [stack, Dropout<Float>(rate: s.dropout, seed: rng.next())]
        }
        let head = Linear<Float>(inputSize: s.hidden, outputSize: o, using: &weights)
        return NeuralNetwork(
            layer: Sequential(children + [head]), inputSize: f, outputSize: o,
            makeStepper: {
                let cells = stacks.flatMap { $0.makeCells() }
                var states = cells.map { $0.zeroState(batch: 1) }
                return { x in
                    var h = x
                    for i in cells.indices {
                        cells[i].step(h, state: &states[i])
                        h = states[i].output
                    }
                    _ = head.forward(h)
                }
            },
            kernels: nil, boundedContext: false)
    }

    private static func mlp(_ s: NeuralSettings, _ f: Int, _ o: Int, seed: UInt64) throws -> NeuralNetwork {
        let width = f * s.order
        let body = try MLP<Float>(configuration: MLPConfiguration(inputSize: width, outputSize: o, width: s.hidden, depth: s.layers,
                                                                  dropout: s.dropout), seed: seed)
        return NeuralNetwork(
            layer: Sequential([LagWindow<Float>(inputSize: f, order: s.order), body]), inputSize: f, outputSize: o,
            makeStepper: {
                // One step = shift the lag window by one input, then the MLP on it.
                var window = [Float](repeating: 0, count: width)
                return { x in
                    if width > f { for i in stride(from: width - 1, through: f, by: -1) { window[i] = window[i - f] } }
                    x.withUnsafeBufferPointer { for j in 0..<f { window[j] = $0[j] } }
                    _ = body.forward(Tensor(shape: [1, width], scalars: window))
                }
            },
            kernels: nil, boundedContext: false)
    }
}
