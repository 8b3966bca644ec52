// Workloads.swift — the benchmark workloads `sslab bench` knows.

import Reports

public enum BenchWorkload: String, CaseIterable, Sendable {
    case ltiScan = "lti_scan"
    case ltiKernel = "lti_kernel"
    case fftConv = "fft_conv"
    case ssmStep = "ssm_step"
    case lstmStep = "lstm_step"
    case attention
    case ridge

    public func run(_ opts: BenchOptions, emit: (JSONValue) -> Void) throws {
        switch self {
        case .ltiScan: try LTIWorkloads.scan(opts, emit: emit)
        case .ltiKernel: try LTIWorkloads.kernel(opts, emit: emit)
        case .fftConv: try FFTConvWorkload.run(opts, emit: emit)
        case .ssmStep: try SSMWorkload.run(opts, emit: emit)
        case .lstmStep: try LSTMWorkload.run(opts, emit: emit)
        case .attention: try AttentionWorkload.run(opts, emit: emit)
        case .ridge: try RidgeWorkload.run(opts, emit: emit)
        }
    }
}
