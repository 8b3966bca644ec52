// OutputSimulator.swift — the shape shared by the models of the system-identification
// simulation task, for the evaluation harness to hold them behind one type.

import LinearAlgebra

/// A fitted input/output model that simulates outputs from inputs.
public protocol OutputSimulator: Sendable {
    /// Free-run outputs `(L, p)` over `segment.inputs`, initialised from the first `warmup`
    /// measured outputs of the segment (and reading no output after them); rows `< warmup` hold
    /// the measured outputs.
    func simulate(_ segment: IOSegment, warmup: Int) throws(BaselineError) -> Matrix
}

extension ARXModel: OutputSimulator {}
extension N4SIDModel: OutputSimulator {}
extension MeanForecaster: OutputSimulator {}
