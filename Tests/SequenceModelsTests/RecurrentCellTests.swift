import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// A minimal cell to exercise the protocol: an exponential moving average per feature,
/// h[t] = a h[t−1] + (1 − a) x[t], updated in place.
final class MovingAverageCell: RecurrentCell {
    typealias Scalar = Double
    let inputSize: Int
    var hiddenSize: Int { inputSize }
    let decay: Double
    init(size: Int, decay: Double) { inputSize = size; self.decay = decay }
    func zeroState(batch: Int) -> HiddenState<Double> { HiddenState(hidden: Tensor(shape: [batch, inputSize])) }
    func step(_ input: Tensor<Double>, state: inout HiddenState<Double>) {
        let a = decay
        input.withUnsafeBufferPointer { x in
            state.hidden.withUnsafeMutableBufferPointer { h in
                for i in 0..<h.count { h[i] = a * h[i] + (1 - a) * x[i] }
            }
        }
    }
    var namedParameters: [NamedParameter<Double>] { [] }
}

@Suite struct RecurrentCellTests {
    @Test func runMatchesClosedForm() {
        var rng = SplitMix64(seed: 70)
        let x = Tensor<Double>.uniform([2, 6, 3], using: &rng)
        let cell = MovingAverageCell(size: 3, decay: 0.8)
        let (y, final) = cell.run(x)
        // h[t] = (1 − a) Σ_{s ≤ t} a^(t−s) x[s].
        for b in 0..<2 {
            for t in 0..<6 {
                for j in 0..<3 {
                    let expected = (0...t).reduce(0.0) { $0 + 0.2 * Double.pow(0.8, Double(t - $1)) * x[b, $1, j] }
                    expectClose(y[b, t, j], expected, rtol: 1e-13, atol: 1e-15)
                }
            }
        }
        expectClose(final.output.scalars, [0, 1].flatMap { b in (0..<3).map { y[b, 5, $0] } })
    }
}
