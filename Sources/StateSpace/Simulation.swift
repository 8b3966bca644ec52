// Simulation.swift — running a discrete system over an input signal, in several modes that
// compute the same thing:
//
//   recurrent    x[k+1] = A x[k] + B u[k],  y[k] = C x[k] + D u[k]          (the linear RNN)
//   modal        the same recursion in A's eigenbasis: z[k+1] = Λ z[k] + V⁻¹B u[k],
//                y[k] = Re(C V z[k]) + D u[k], one complex multiply-add per mode and step
//   convolution  y[k] = C A^k x[0] + Σ_{j=0}^{k} h[j] u[k−j]  with h[0] = D, h[j] = C A^(j−1) B
//                (the CNN), by direct summation
//   fft          the same convolution through the FFT (zero-padded, no wrap-around)
//
// Signals are matrices with one row per time step and one column per channel (time-major),
// the layout of the CSV signal files.

import LinearAlgebra

/// How to run a discrete LTI system over an input.
public enum SimulationMode: String, CaseIterable, Sendable {
    /// The dense state recursion (O(n²) per step).
    case recurrent
    /// The diagonal recursion in the eigenbasis of A (O(n·(m+p)) per step); needs a
    /// well-conditioned eigenvector matrix.
    case modal
    /// Direct convolution with the kernel plus the free response of x[0] (O(L²·p·m)).
    case convolution
    /// Convolution with the kernel through the FFT plus the free response (O(L log L · p·m)).
    case fft
}

/// Outputs (L × p) and the state after the last step.
public struct SimulationResult: Sendable {
    /// y[k] for k = 0..<L, one row per step.
    public let outputs: Matrix
    /// x[L], the state after the last input (continue a simulation from here). The recursive
    /// modes produce it; the convolution modes do not (`nil`): computing it would cost a
    /// recursion over the whole input, which is what those modes avoid.
    public let finalState: [Double]?
}

extension DiscreteLTI {
    /// Simulates the system from `x0` (default zero) over `input` (L × m, one row per step).
    /// - Throws: `.inputMismatch`, `.initialStateMismatch`, `.nonFinite(matrix: "input")`;
    ///   `.unsupported` in modal mode when A is not diagonalisable with a well-conditioned basis.
    /// - Complexity: recurrent O(L n²), modal O(L n (m + p) + n³), convolution O(L² p m + L n²),
    ///   fft O(p m L log L + L n²) (the n² terms are the free response and vanish when x0 = 0).
    public func simulate(_ input: Matrix, x0: [Double]? = nil, mode: SimulationMode = .recurrent) throws(StateSpaceError) -> SimulationResult {
        guard input.cols == inputCount || (input.rows == 0) else {
            throw .inputMismatch(expectedInputs: inputCount, foundColumns: input.cols)
        }
        guard input.isFinite else { throw .nonFinite(matrix: "input") }
        let x0 = x0 ?? [Double](repeating: 0, count: stateCount)
        guard x0.count == stateCount else { throw .initialStateMismatch(expected: stateCount, found: x0.count) }
        guard x0.allSatisfy(\.isFinite) else { throw .nonFinite(matrix: "x0") }
        let u = input.cols == inputCount ? input : Matrix(rows: 0, cols: inputCount)
        switch mode {
        case .recurrent:
            return DenseRecurrence(self).run(u, x0: x0)
        case .modal:
            return try ModalRecurrence(self).run(u, x0: x0)
        case .convolution, .fft:
            return try simulateByConvolution(u, x0: x0, useFFT: mode == .fft)
        }
    }

    /// Response to a unit impulse on each input at k = 0 (scipy.signal.dimpulse convention):
    /// entry `[k][o][i]` is output o at step k for an impulse on input i, i.e. the kernel h[k].
    public func impulseResponse(steps: Int) throws(StateSpaceError) -> Kernel {
        try kernel(length: steps, method: .power)
    }

    /// Response to a unit step on each input from k = 0 (scipy.signal.dstep convention):
    /// entry `[k][o][i]` = Σ_{j ≤ k} h[j][o][i].
    public func stepResponse(steps: Int) throws(StateSpaceError) -> Kernel {
        var h = try kernel(length: steps, method: .power)
        let pm = outputCount * inputCount
        if steps > 1 {
            for k in 1..<steps { for e in 0..<pm { h.values[k * pm + e] += h.values[(k - 1) * pm + e] } }
        }
        return h
    }

    /// The free response y_free[k] = C A^k x0 for k < L (L × p).
    /// - Complexity: O(L n²).
    func freeResponse(x0: [Double], steps: Int) -> Matrix {
        let zeroInput = Matrix(rows: steps, cols: inputCount)
        return DenseRecurrence(self).run(zeroInput, x0: x0, includeFeedthrough: false).outputs
    }
}
