// GateKernels+Reference.swift — the plain reference for the fused gate kernels: one scalar
// loop per formula, libm activations, any `NeuralScalar`. Selected by
// `RecurrentKernelPath.reference`; the tests check that both paths agree.

import LinearAlgebra

enum ReferenceGateKernels<S: NeuralScalar> {
    @inline(__always) static func sigmoid(_ x: S) -> S { ActivationKind.sigmoid(x) }

    static func lstmForward(_ a: LSTMForwardStep<S>) {
        let h = a.size
        for b in 0..<a.batch {
            for j in 0..<h {
                let base = b * 4 * h + j, s = b * h + j
                let i = sigmoid(a.gates[base] + a.bias[j])
                let f = sigmoid(a.gates[base + h] + a.bias[h + j])
                let g = S.tanh(a.gates[base + 2 * h] + a.bias[2 * h + j])
                let o = sigmoid(a.gates[base + 3 * h] + a.bias[3 * h + j])
                let c = f * a.cellPrevious[s] + i * g
                a.gates[base] = i; a.gates[base + h] = f; a.gates[base + 2 * h] = g; a.gates[base + 3 * h] = o
                a.cell[s] = c
                a.tanhCell[s] = S.tanh(c)
                a.hidden[s] = o * a.tanhCell[s]
            }
        }
    }

    static func lstmBackward(_ a: LSTMBackwardStep<S>) {
        let h = a.size
        for b in 0..<a.batch {
            for j in 0..<h {
                let base = b * 4 * h + j, s = b * h + j
                let i = a.gates[base], f = a.gates[base + h], g = a.gates[base + 2 * h], o = a.gates[base + 3 * h]
                let tc = a.tanhCell[s], dh = a.hiddenGradient[s]
                let dc = a.cellGradient[s] + dh * o * (1 - tc * tc)
                let di = dc * g * i * (1 - i)
                let df = dc * a.cellPrevious[s] * f * (1 - f)
                let dg = dc * i * (1 - g * g)
                let dout = dh * tc * o * (1 - o)
                a.cellGradient[s] = dc * f
                a.gates[base] = di; a.gates[base + h] = df; a.gates[base + 2 * h] = dg; a.gates[base + 3 * h] = dout
                a.biasGradient[j] += di; a.biasGradient[h + j] += df
                a.biasGradient[2 * h + j] += dg; a.biasGradient[3 * h + j] += dout
            }
        }
    }

    static func gruForward(_ a: GRUForwardStep<S>) {
        let h = a.size
        for b in 0..<a.batch {
            for j in 0..<h {
                let base = b * 3 * h + j, s = b * h + j
                let r = sigmoid(a.gates[base] + a.inputBias[j] + a.recurrent[base])
                let z = sigmoid(a.gates[base + h] + a.inputBias[h + j] + a.recurrent[base + h])
                let hn = a.recurrent[base + 2 * h] + a.newGateBias[j]
                let n = S.tanh(a.gates[base + 2 * h] + a.inputBias[2 * h + j] + r * hn)
                a.gates[base] = r; a.gates[base + h] = z; a.gates[base + 2 * h] = n
                a.newGatePart[s] = hn
                a.hidden[s] = (1 - z) * n + z * a.hiddenPrevious[s]
            }
        }
    }

    static func gruBackward(_ a: GRUBackwardStep<S>) {
        let h = a.size
        for b in 0..<a.batch {
            for j in 0..<h {
                let base = b * 3 * h + j, s = b * h + j
                let r = a.gates[base], z = a.gates[base + h], n = a.gates[base + 2 * h]
                let dh = a.hiddenGradient[s]
                let dn = dh * (1 - z) * (1 - n * n)
                let dz = dh * (a.hiddenPrevious[s] - n) * z * (1 - z)
                let dr = dn * a.newGatePart[s] * r * (1 - r)
                a.gates[base] = dr; a.gates[base + h] = dz; a.gates[base + 2 * h] = dn
                a.recurrentGradient[base] = dr; a.recurrentGradient[base + h] = dz; a.recurrentGradient[base + 2 * h] = dn * r
                a.inputBiasGradient[j] += dr; a.inputBiasGradient[h + j] += dz; a.inputBiasGradient[2 * h + j] += dn
                a.recurrentBiasGradient[j] += dr; a.recurrentBiasGradient[h + j] += dz
                a.recurrentBiasGradient[2 * h + j] += dn * r
                if let dPrev = a.hiddenPreviousGradient { dPrev[s] += dh * z }
            }
        }
    }

    static func elmanForward(_ a: ElmanForwardStep<S>) {
        for b in 0..<a.batch {
            for j in 0..<a.size {
                let s = b * a.size + j
                let y = S.tanh(a.gates[s] + a.bias[j])
                a.gates[s] = y
                a.hidden[s] = y
            }
        }
    }

    static func elmanBackward(_ a: ElmanBackwardStep<S>) {
        for b in 0..<a.batch {
            for j in 0..<a.size {
                let s = b * a.size + j
                let y = a.gates[s]
                let d = a.hiddenGradient[s] * (1 - y * y)
                a.gates[s] = d
                a.biasGradient[j] += d
            }
        }
    }
}
