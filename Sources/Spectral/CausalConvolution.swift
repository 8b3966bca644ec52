// CausalConvolution.swift — one-shot causal convolution of Double signals: single channel and
// channel batches. (MIMO in CausalConvolution+MIMO.swift, adjoints in +Adjoint.swift, reusable
// objects in CausalConvolver.swift and BatchedCausalConvolver.swift.)
//
// The causal convolution of a signal x (length L) with a kernel k (length K, any K ≥ 0) is the
// first L samples of their linear convolution:
//   y[t] = Σ_{j=0}^{min(t, K−1)} k[j] x[t−j],   t = 0..<L.
// This is the output of an LTI system with impulse response k driven by x from rest
// (for a state-space model, k[0] = D, k[j] = C A^{j−1} B). Only K' = min(K, L) taps matter.
// Same result as numpy.convolve(x, k)[:L].

/// Causal convolution y = k * x, `y.count == x.count`.
/// - Complexity: `.direct` O(L·K'); `.fft` O((L+K') log(L+K')); `.overlapSave` O(L log K').
public func causalConvolve(_ x: [Double], _ kernel: [Double], method: ConvolutionMethod = .auto) -> [Double] {
    [Double](unsafeUninitializedCapacity: x.count) { y, initialized in
        x.withUnsafeBufferPointer { xs in
            kernel.withUnsafeBufferPointer { ks in causalConvolve(xs, ks, into: y, method: method) }
        }
        initialized = x.count
    }
}

/// Causal convolution into a caller buffer: `y[t] = Σ_j k[j] x[t−j]`, `y.count == x.count`.
/// `y` must not overlap `x` or `kernel`.
public func causalConvolve(_ x: UnsafeBufferPointer<Double>, _ kernel: UnsafeBufferPointer<Double>,
                           into y: UnsafeMutableBufferPointer<Double>, method: ConvolutionMethod = .auto) {
    precondition(y.count == x.count, "causalConvolve: output has \(y.count) samples, input \(x.count)") // invariant: API misuse
    guard let yp = y.baseAddress, let xp = x.baseAddress else { return }
    guard let kp = kernel.baseAddress else {
        yp.update(repeating: 0, count: y.count)   // empty kernel: every sum is empty
        return
    }
    ConvolutionGraph.siso.evaluate(inputs: xp, length: x.count, kernels: kp, kernelLength: kernel.count,
                                   outputs: yp, method: method)
}

/// Overlap-save causal convolution with an explicit FFT block length `blockLength` ≥ K'
/// (each block yields `blockLength − K' + 1` outputs). `causalConvolve(…, method: .overlapSave)`
/// picks the block length itself; this variant is for tuning and tests.
/// - Complexity: ⌈L / (N − K' + 1)⌉ blocks of two FFTs of length N, plus one for the kernel.
public func causalConvolveOverlapSave(_ x: [Double], _ kernel: [Double], blockLength: Int) -> [Double] {
    let k = min(kernel.count, x.count)
    guard k > 0 else { return [Double](repeating: 0, count: x.count) }
    precondition(blockLength >= k, "causalConvolveOverlapSave: block length \(blockLength) < kernel length \(k)") // invariant: API misuse
    var y = [Double](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xs in
        kernel.withUnsafeBufferPointer { ks in
            y.withUnsafeMutableBufferPointer { ys in
                ConvolutionGraph.siso.evaluateOverlapSave(inputs: xs.baseAddress!, length: xs.count, kernels: ks.baseAddress!,
                                                          kernelLength: ks.count, outputs: ys.baseAddress!, blockLength: blockLength)
            }
        }
    }
    return y
}

/// The kernels of a channel batch.
public enum ChannelKernels: Sendable {
    /// One kernel for every channel.
    case shared([Double])
    /// One kernel per channel, row-major (channels, kernelLength).
    case perChannel([Double], kernelLength: Int)
}

/// Causal convolution of each channel of a channel-major (channels, L) signal with its kernel:
/// `y[c, t] = Σ_j k_c[j] x[c, t−j]`, with L = x.count / channelCount. Output (channels, L),
/// channel-major. The frequency-domain methods transform all channels in one batched FFTW call
/// (and a shared kernel once).
/// - Complexity: channels × the single-channel cost.
public func causalConvolve(channels x: [Double], channelCount channels: Int, kernels: ChannelKernels,
                           method: ConvolutionMethod = .auto) -> [Double] {
    precondition(channels >= 0 && (channels == 0 ? x.isEmpty : x.count % channels == 0), // invariant: API misuse
                 "causalConvolve(channels:): \(x.count) samples do not split into \(channels) channels")
    let L = channels == 0 ? 0 : x.count / channels
    let (flat, K, shared): ([Double], Int, Bool) = {
        switch kernels {
        case let .shared(k): return (k, k.count, true)
        case let .perChannel(k, kernelLength):
            precondition(kernelLength >= 0 && k.count == channels * kernelLength, // invariant: API misuse
                         "causalConvolve(channels:): \(k.count) kernel taps are not \(channels) kernels of length \(kernelLength)")
            return (k, kernelLength, false)
        }
    }()
    var y = [Double](repeating: 0, count: x.count)
    guard channels > 0, L > 0, K > 0 else { return y }
    let graph = ConvolutionGraph.channels(channels, sharedKernel: shared)
    x.withUnsafeBufferPointer { xs in
        flat.withUnsafeBufferPointer { ks in
            y.withUnsafeMutableBufferPointer { ys in
                graph.evaluate(inputs: xs.baseAddress!, length: L, kernels: ks.baseAddress!, kernelLength: K,
                               outputs: ys.baseAddress!, method: method)
            }
        }
    }
    return y
}
