// ConvolutionGraph.swift — the engine behind every one-shot Double causal convolution.
//
// A graph says which kernel–input products sum into each output:
//   y[o] = Σ_{(κ, i) ∈ terms[o]} h[κ] * u[i]        (* = causal convolution, first L samples)
// SISO is one term; MIMO (p×m kernels) has y[o] = Σ_i h[o·m+i] * u[i]; a channel batch has
// y[c] = h[c] * u[c] (or h[0] * u[c] with a shared kernel). The frequency-domain evaluator
// transforms each input once and each kernel once per block, sums the products of each output
// in the frequency domain and inverse-transforms each output once.
//
// Memory layout of all buffers: row-major, inputs (inputs, L), kernels (kernels, K),
// outputs (outputs, L).

import Numerics

struct ConvolutionGraph {
    let inputs: Int
    let kernels: Int
    /// terms[o] = the (kernel, input) pairs summed into output o.
    let terms: [[(kernel: Int, input: Int)]]

    var outputs: Int { terms.count }
    var termCount: Int { terms.reduce(0) { $0 + $1.count } }

    static let siso = ConvolutionGraph(inputs: 1, kernels: 1, terms: [[(0, 0)]])

    /// p outputs, m inputs, kernel of (o, i) at index o·m + i.
    static func mimo(outputs p: Int, inputs m: Int) -> ConvolutionGraph {
        ConvolutionGraph(inputs: m, kernels: p * m, terms: (0..<p).map { o in (0..<m).map { i in (o * m + i, i) } })
    }

    /// `channels` independent channels, each with its own kernel or all with kernel 0.
    static func channels(_ c: Int, sharedKernel: Bool) -> ConvolutionGraph {
        ConvolutionGraph(inputs: c, kernels: sharedKernel ? 1 : c, terms: (0..<c).map { [(sharedKernel ? 0 : $0, $0)] })
    }

    /// Evaluates the graph by `method` (`.auto` resolved by `ConvolutionCostModel`).
    func evaluate(inputs u: UnsafePointer<Double>, length L: Int, kernels h: UnsafePointer<Double>, kernelLength K: Int,
                  outputs y: UnsafeMutablePointer<Double>, method: ConvolutionMethod) {
        guard L > 0 else { return }
        let k = min(K, L)
        guard k > 0 else {
            zeroFill(y, count: outputs * L)
            return
        }
        let model = ConvolutionCostModel()
        let chosen = method == .auto
            ? model.choose(length: L, kernelLength: k, inputs: inputs, kernels: kernels, outputs: outputs, terms: termCount)
            : method
        switch chosen {
        case .direct, .auto:
            evaluateDirect(inputs: u, length: L, kernels: h, kernelLength: K, outputs: y)
        case .fft:
            evaluateOverlapSave(inputs: u, length: L, kernels: h, kernelLength: K, outputs: y,
                                blockLength: fastFFTLength(atLeast: L + k - 1))
        case .overlapSave:
            let n = model.overlapSaveBlockLength(length: L, kernelLength: k, inputs: inputs, outputs: outputs, terms: termCount)
            evaluateOverlapSave(inputs: u, length: L, kernels: h, kernelLength: K, outputs: y, blockLength: n)
        }
    }

    /// The defining sums, term by term (reference path).
    /// - Complexity: O(terms · L · K').
    func evaluateDirect(inputs u: UnsafePointer<Double>, length L: Int, kernels h: UnsafePointer<Double>, kernelLength K: Int,
                        outputs y: UnsafeMutablePointer<Double>) {
        for (o, sum) in terms.enumerated() {
            let out = y + o * L
            zeroFill(out, count: L)
            for term in sum {
                directCausalConvolveAccumulate(u + term.input * L, length: L, h + term.kernel * K, kernelLength: K, into: out)
            }
        }
    }

    /// Overlap-save with FFT length `n` ≥ K' (K' = min(K, L)); `n ≥ L + K' − 1` is a single block,
    /// i.e. the plain zero-padded FFT method.
    ///
    /// Block b covers outputs t0 = b·s ..< t0 + s with s = n − K' + 1 and reads the input segment
    /// u[t0 − K' + 1 ..< t0 − K' + 1 + n] (zeros outside 0..<L). Its n-point circular convolution
    /// with the zero-padded kernel equals the linear one at positions K' − 1 ..< n, because there
    /// the kernel never wraps past the segment start; those positions are the block's outputs.
    /// - Complexity: per block, (inputs + outputs) FFTs of length n and terms·(n/2+1) products;
    ///   plus one FFT per kernel.
    func evaluateOverlapSave(inputs u: UnsafePointer<Double>, length L: Int, kernels h: UnsafePointer<Double>,
                             kernelLength K: Int, outputs y: UnsafeMutablePointer<Double>, blockLength n: Int) {
        let k = min(K, L)
        precondition(k >= 1 && n >= k, "overlap-save: FFT length \(n) shorter than the kernel (\(k))") // invariant: callers pick n ≥ K'
        let half = n / 2 + 1, step = n - k + 1
        let cache = FFTPlanCache.shared
        let kernelPlan: FFTPlan<Double> = cache.plan(.realForward, length: n, batch: kernels)
        let inputPlan: FFTPlan<Double> = cache.plan(.realForward, length: n, batch: inputs)
        let outputPlan: FFTPlan<Double> = cache.plan(.realInverse, length: n, batch: outputs)
        // Scratch from the pool: every region is fully written before it is read (rows by the
        // copies, spectra by FFTW or the products).
        let sizes = [max(inputs, kernels, outputs) * n * 8, inputs * half * 16, kernels * half * 16, outputs * half * 16]
        ScratchPool.withScratch(bytes: ScratchPool.totalBytes(sizes)) { raw in
            let region = ScratchPool.regions(raw, sizes)
            let r = region[0].bindMemory(to: Double.self, capacity: sizes[0] / 8)
            let uf = region[1].bindMemory(to: Complex<Double>.self, capacity: sizes[1] / 16)
            let hf = region[2].bindMemory(to: Complex<Double>.self, capacity: sizes[2] / 16)
            let yf = region[3].bindMemory(to: Complex<Double>.self, capacity: sizes[3] / 16)

            for kappa in 0..<kernels { copyZeroPadded(from: h + kappa * K, count: k, to: r + kappa * n, paddedCount: n) }
            FFTW.execute(kernelPlan.plan, .realToComplex, precision: .double, input: region[0], output: region[2])

            var t0 = 0
            while t0 < L {
                let start = t0 - (k - 1)                         // segment start (may be negative)
                let lead = max(0, -start)                        // zeros before u[0]
                let copied = max(0, min(start + n, L) - max(start, 0))
                for i in 0..<inputs {
                    let row = r + i * n
                    zeroFill(row, count: lead)
                    copyZeroPadded(from: u + i * L + max(start, 0), count: copied, to: row + lead, paddedCount: n - lead)
                }
                FFTW.execute(inputPlan.plan, .realToComplex, precision: .double, input: region[0], output: region[1])
                for (o, sum) in terms.enumerated() {
                    let acc = yf + o * half
                    guard let first = sum.first else {
                        UnsafeMutableRawPointer(acc).assumingMemoryBound(to: Double.self).update(repeating: 0, count: 2 * half)
                        continue
                    }
                    combineSpectra(.multiply, hf + first.kernel * half, uf + first.input * half, into: acc, count: half)
                    for term in sum.dropFirst() {
                        combineSpectra(.multiplyAdd, hf + term.kernel * half, uf + term.input * half, into: acc, count: half)
                    }
                }
                FFTW.execute(outputPlan.plan, .complexToReal, precision: .double, input: region[3], output: region[0])
                let count = min(step, L - t0)
                for o in 0..<outputs {
                    scaledCopy(from: r + o * n + (k - 1), to: y + o * L + t0, count: count, scale: 1 / Double(n))
                }
                t0 += step
            }
        }
    }
}
