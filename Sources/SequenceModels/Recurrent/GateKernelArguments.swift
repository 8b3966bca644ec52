// GateKernelArguments.swift — the buffers one time step of a gate kernel reads and writes.
//
// A kernel processes one time step for all `batch` rows: row b of a (batch, G·H) gate block
// starts at b·G·H, row b of a (batch, H) state block at b·H (the time-major workspaces of
// RecurrentEngine are laid out so). Pointers are borrowed from the engine's workspaces for
// the duration of one call. `cast(to:)` reinterprets them for the specialised Float/Double
// kernels once the scalar type is known to be that type.

import LinearAlgebra

/// LSTM forward step: in `gates` the pre-activations `x W_ihᵀ + h W_hhᵀ` (bias not yet
/// added) become the activated gates i, f, g, o; writes `c`, `tanh c` and `h`.
struct LSTMForwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var bias: UnsafePointer<S>          // (4H) b_ih + b_hh
    var cellPrevious: UnsafePointer<S>
    var cell: UnsafeMutablePointer<S>
    var tanhCell: UnsafeMutablePointer<S>
    var hidden: UnsafeMutablePointer<S>
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> LSTMForwardStep<T> {
        LSTMForwardStep<T>(gates: rebind(gates), bias: rebind(bias), cellPrevious: rebind(cellPrevious), cell: rebind(cell),
                           tanhCell: rebind(tanhCell), hidden: rebind(hidden), batch: batch, size: size)
    }
}

/// LSTM backward step: `gates` (activated) becomes ∂L/∂pre-activations; `cellGradient` holds
/// ∂L/∂c_t on entry (from step t+1) and ∂L/∂c_{t−1} on exit; the bias gradient accumulates.
struct LSTMBackwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var tanhCell: UnsafePointer<S>
    var cellPrevious: UnsafePointer<S>
    var hiddenGradient: UnsafePointer<S>
    var cellGradient: UnsafeMutablePointer<S>
    var biasGradient: UnsafeMutablePointer<S>   // (4H)
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> LSTMBackwardStep<T> {
        LSTMBackwardStep<T>(gates: rebind(gates), tanhCell: rebind(tanhCell), cellPrevious: rebind(cellPrevious),
                            hiddenGradient: rebind(hiddenGradient), cellGradient: rebind(cellGradient),
                            biasGradient: rebind(biasGradient), batch: batch, size: size)
    }
}

/// GRU forward step: `gates` holds `x W_ihᵀ` and becomes the activated r, z, n; `recurrent`
/// holds `h W_hhᵀ` (no bias); writes `W_hn h + b_hn` to `newGatePart` and h.
struct GRUForwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var recurrent: UnsafePointer<S>
    var inputBias: UnsafePointer<S>         // (3H) b_ih + (b_hr, b_hz, 0)
    var newGateBias: UnsafePointer<S>       // (H) b_hn
    var hiddenPrevious: UnsafePointer<S>
    var newGatePart: UnsafeMutablePointer<S>
    var hidden: UnsafeMutablePointer<S>
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> GRUForwardStep<T> {
        GRUForwardStep<T>(gates: rebind(gates), recurrent: rebind(recurrent), inputBias: rebind(inputBias),
                          newGateBias: rebind(newGateBias), hiddenPrevious: rebind(hiddenPrevious),
                          newGatePart: rebind(newGatePart), hidden: rebind(hidden), batch: batch, size: size)
    }
}

/// GRU backward step: `gates` (activated) becomes ∂L/∂(input-side pre-activations),
/// `recurrentGradient` receives ∂L/∂(h W_hhᵀ + b_hh); `hiddenPreviousGradient`, when given,
/// accumulates the direct path ∂L/∂h_t ⊙ z.
struct GRUBackwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var recurrentGradient: UnsafeMutablePointer<S>
    var newGatePart: UnsafePointer<S>
    var hiddenPrevious: UnsafePointer<S>
    var hiddenGradient: UnsafePointer<S>
    var hiddenPreviousGradient: UnsafeMutablePointer<S>?
    var inputBiasGradient: UnsafeMutablePointer<S>      // (3H)
    var recurrentBiasGradient: UnsafeMutablePointer<S>  // (3H)
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> GRUBackwardStep<T> {
        GRUBackwardStep<T>(gates: rebind(gates), recurrentGradient: rebind(recurrentGradient),
                           newGatePart: rebind(newGatePart), hiddenPrevious: rebind(hiddenPrevious),
                           hiddenGradient: rebind(hiddenGradient), hiddenPreviousGradient: hiddenPreviousGradient.map { rebind($0) },
                           inputBiasGradient: rebind(inputBiasGradient), recurrentBiasGradient: rebind(recurrentBiasGradient),
                           batch: batch, size: size)
    }
}

/// Elman forward step: `gates` (pre-activation without bias) becomes `h = tanh(pre + b)`,
/// also written to `hidden`.
struct ElmanForwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var bias: UnsafePointer<S>
    var hidden: UnsafeMutablePointer<S>
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> ElmanForwardStep<T> {
        ElmanForwardStep<T>(gates: rebind(gates), bias: rebind(bias), hidden: rebind(hidden), batch: batch, size: size)
    }
}

/// Elman backward step: `gates` (holding h) becomes `∂L/∂pre = ∂L/∂h ⊙ (1 − h²)`.
struct ElmanBackwardStep<S> {
    var gates: UnsafeMutablePointer<S>
    var hiddenGradient: UnsafePointer<S>
    var biasGradient: UnsafeMutablePointer<S>
    var batch: Int, size: Int

    func cast<T>(to: T.Type) -> ElmanBackwardStep<T> {
        ElmanBackwardStep<T>(gates: rebind(gates), hiddenGradient: rebind(hiddenGradient),
                             biasGradient: rebind(biasGradient), batch: batch, size: size)
    }
}

@inline(__always)
private func rebind<S, T>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self)
}

@inline(__always)
private func rebind<S, T>(_ p: UnsafePointer<S>) -> UnsafePointer<T> {
    UnsafeRawPointer(p).assumingMemoryBound(to: T.self)
}
