// NeuralSettings.swift — the hyperparameters of the neural kinds (ssm, lti, rnn, gru, lstm,
// transformer, tcn, mlp), read from a `[[model]]` table with the lab's defaults and checked for
// range once, when the model is made. Every default is stated on its field and in
// docs/experiment-format.md.

/// The neural model families of the lab.
public enum NeuralKind: String, Sendable, CaseIterable {
    case ssm, lti, rnn, gru, lstm, transformer, tcn, mlp

    /// The neural kind of a model kind, or nil for the classical ones.
    public init?(_ kind: ModelKind) { self.init(rawValue: kind.rawValue) }
}

/// Hyperparameters of a neural model (keys of `ModelKind.parameterSchema`).
public struct NeuralSettings: Sendable, Equatable {
    /// `hidden`: width of the network (RNN state, SSM channels H, Transformer d, TCN channels,
    /// MLP width). Default 32. Not used by `lti`.
    public var hidden = 32
    /// `layers`: stacked recurrent layers, SSM blocks, Transformer blocks, TCN levels (dilations
    /// 1, 2, …, 2^(layers−1)), MLP residual blocks. Default 2. Not used by `lti`.
    public var layers = 2
    /// `epochs`: maximum passes over the training windows. Default 20.
    public var epochs = 20
    /// Early stopping: epochs without a better validation loss before training stops. Fixed at 5.
    public var patience = 5
    /// `lr`: learning rate of Adam/AdamW. Default 3e-3.
    public var learningRate = 3e-3
    /// Learning rate of the state-space parameter group (S4D's Λ, log Δ; the dense LTI's A, B),
    /// which also has no weight decay, as S4 trains them. Fixed at 1e-3.
    public var stateSpaceLearningRate = 1e-3
    /// `batch_size`: windows (or series) per optimiser step. Default 16.
    public var batchSize = 16
    /// `seq_len`: training window length for I/O and forecast tasks, bounded by the data.
    /// Default 128. Classification and sequence tasks train on whole series.
    public var sequenceLength = 128
    /// `dropout`: drop probability inside the network. Default 0.
    public var dropout = 0.0
    /// `weight_decay`: decoupled (AdamW) weight decay. Default 0, and 0.01 for the Transformer.
    public var weightDecay = 0.0
    /// `heads`: attention heads (Transformer); must divide `hidden`. Default 2.
    public var heads = 2
    /// `kernel_size`: convolution kernel (TCN). Default 3.
    public var kernelSize = 3
    /// `order`: lag window of the MLP (the last `order` steps of every input). Default 16.
    public var order = 16
    /// `state_dim`: N per channel for the SSM (even: N/2 complex modes), n for the dense LTI.
    /// Default 32 (ssm), 8 (lti).
    public var stateDimension = 32
    /// `dt_min`, `dt_max`: range of the SSM's initial step sizes Δ (log-uniform per channel).
    /// Default [1e-3, 1]: wider than S4's [1e-3, 1e-1] towards fast modes, so channels also cover
    /// the short time constants of sampled systems (discrete poles exp(ΔA) down to |λ| ≈ 0.6);
    /// set dt_max = 0.1 for S4's long-memory recipe (long-range tasks).
    public var dtMin = 1e-3
    public var dtMax = 1.0

    /// The defaults of `kind` (see each field).
    public init(kind: NeuralKind) {
        if kind == .transformer { weightDecay = 0.01 }
        if kind == .lti { stateDimension = 8 }
    }

    /// The defaults of the spec's kind overridden by its keys, range-checked.
    /// - Throws: `ExperimentError.invalidValue` naming the key, its line and the allowed range.
    public init(_ spec: ModelSpec, kind: NeuralKind) throws(ExperimentError) {
        self.init(kind: kind)
        func bad(_ key: String, _ reason: String) -> ExperimentError {
            .invalidValue(file: spec.file, line: spec.parameterLines[key] ?? spec.line, key: key, table: spec.tableName, reason: reason)
        }
        func integer(_ key: String, _ value: inout Int, atLeast lo: Int) throws(ExperimentError) {
            guard let v = spec.parameters[key]?.intValue else { return }
            guard v >= lo else { throw bad(key, "must be ≥ \(lo), found \(v)") }
            value = v
        }
        func number(_ key: String, _ value: inout Double, _ ok: (Double) -> Bool, _ range: String) throws(ExperimentError) {
            guard let v = spec.parameters[key]?.doubleValue else { return }
            guard v.isFinite && ok(v) else { throw bad(key, "must be \(range), found \(v)") }
            value = v
        }
        try integer("hidden", &hidden, atLeast: 1)
        try integer("layers", &layers, atLeast: 1)
        try integer("epochs", &epochs, atLeast: 1)
        try integer("batch_size", &batchSize, atLeast: 1)
        try integer("seq_len", &sequenceLength, atLeast: 2)
        try integer("heads", &heads, atLeast: 1)
        try integer("kernel_size", &kernelSize, atLeast: 1)
        try integer("order", &order, atLeast: 1)
        try integer("state_dim", &stateDimension, atLeast: kind == .ssm ? 2 : 1)
        try number("lr", &learningRate, { $0 > 0 }, "a positive number")
        try number("dropout", &dropout, { $0 >= 0 && $0 < 1 }, "in [0, 1)")
        try number("weight_decay", &weightDecay, { $0 >= 0 }, "≥ 0")
        try number("dt_min", &dtMin, { $0 > 0 }, "a positive number")
        try number("dt_max", &dtMax, { $0 > 0 }, "a positive number")
        if dtMin > dtMax { throw bad(spec.parameters["dt_min"] != nil ? "dt_min" : "dt_max", "dt_min (\(dtMin)) must not exceed dt_max (\(dtMax))") }
        if kind == .ssm && stateDimension % 2 != 0 {
            throw bad("state_dim", "must be even for the SSM (N/2 complex-conjugate mode pairs), found \(stateDimension)")
        }
        if kind == .transformer && hidden % heads != 0 {
            throw bad(spec.parameters["heads"] != nil ? "heads" : "hidden", "\(heads) heads do not divide hidden = \(hidden)")
        }
        if kind == .tcn && layers > 24 {
            throw bad("layers", "a TCN with \(layers) levels has dilation 2^\(layers - 1); use at most 24")
        }
    }
}
