import LinearAlgebra
import Numerics
import Spectral
import TestSupport
import Testing

/// Odd, even, prime and 7-smooth lengths; 1 and 2 are the degenerate ones.
let fftLengths = [1, 2, 3, 7, 8, 12, 31, 64, 97, 100, 127, 210]

// Float tolerances: single precision has ε ≈ 6e-8 and an FFT's error grows like ε·log n relative
// to the signal norm, so 2e-5 against a Double reference leaves headroom at n ≤ 210.
let floatFFTTolerance = 2e-5

@Suite struct FFTAgainstDFT {
    @Test(arguments: fftLengths)
    func realForwardDouble(n: Int) {
        let x = uniforms(n, seed: UInt64(100 + n))
        let reference = referenceDFT(x.map { Complex($0, 0) })
        expectSignalsClose(flatten(rfft(x)), flatten(Array(reference[0...(n / 2)])))
    }

    @Test(arguments: fftLengths)
    func realForwardFloat(n: Int) {
        let x = uniforms(n, seed: UInt64(200 + n)).map { Float($0) }
        let reference = referenceDFT(x.map { Complex(Double($0), 0) })
        expectSignalsClose(flatten(rfft(x)), flatten(Array(reference[0...(n / 2)])), rtol: floatFFTTolerance)
    }

    @Test(arguments: fftLengths)
    func complexDouble(n: Int) {
        let x = complexUniforms(n, seed: UInt64(300 + n))
        expectSignalsClose(flatten(fft(x)), flatten(referenceDFT(x)))
        // numpy's ifft: (1/n) Σ X[k] e^{+2πi jk/n}
        let inverse = referenceDFT(x, sign: 1).map { $0.divided(by: Double(n)) }
        expectSignalsClose(flatten(ifft(x)), flatten(inverse))
    }

    @Test(arguments: fftLengths)
    func complexFloat(n: Int) {
        let x = complexUniforms(n, seed: UInt64(400 + n))
        let xf = x.map { Complex(Float($0.real), Float($0.imaginary)) }
        expectSignalsClose(flatten(fft(xf)), flatten(referenceDFT(x)), rtol: floatFFTTolerance)
    }

    @Test(arguments: fftLengths)
    func inverseRealMatchesDefinition(n: Int) {
        // irfft of a Hermitian half spectrum = (1/n) Σ_k X[k] e^{+2πi jk/n} over the full spectrum.
        let x = uniforms(n, seed: UInt64(500 + n))
        let full = referenceDFT(x.map { Complex($0, 0) })
        let back = referenceDFT(full, sign: 1).map { $0.real / Double(n) }
        expectSignalsClose(irfft(Array(full[0...(n / 2)]), n: n), back)
    }
}

@Suite struct FFTIdentities {
    @Test(arguments: fftLengths)
    func roundTrips(n: Int) {
        let x = uniforms(n, seed: UInt64(600 + n))
        expectSignalsClose(irfft(rfft(x), n: n), x)
        let z = complexUniforms(n, seed: UInt64(700 + n))
        expectSignalsClose(flatten(ifft(fft(z))), flatten(z))
        let xf = x.map { Float($0) }
        expectSignalsClose(irfft(rfft(xf), n: n).map { Double($0) }, xf.map { Double($0) }, rtol: floatFFTTolerance)
    }

    @Test(arguments: fftLengths)
    func parseval(n: Int) {
        // Σ|x|² = (1/n) Σ|X|² over the full spectrum; the half spectrum counts the bins k and
        // n − k once each, except bin 0 and (n even) bin n/2.
        let x = uniforms(n, seed: UInt64(800 + n))
        let spectrum = rfft(x)
        var energy = 0.0
        for (k, value) in spectrum.enumerated() {
            let weight = (k == 0 || (n % 2 == 0 && k == n / 2)) ? 1.0 : 2.0
            energy += weight * value.lengthSquared
        }
        expectClose(energy / Double(n), dot(x, x), rtol: 1e-12)
        let z = complexUniforms(n, seed: UInt64(900 + n))
        let zEnergy = z.reduce(0) { $0 + $1.lengthSquared }
        expectClose(fft(z).reduce(0) { $0 + $1.lengthSquared } / Double(n), zEnergy, rtol: 1e-12)
    }

    @Test func irfftUsesNumpyDefaultsAndPadding() {
        let x = uniforms(10, seed: 3)
        let spectrum = rfft(x)                                     // 6 values
        expectSignalsClose(irfft(spectrum), x)                     // default n = 2(6 − 1) = 10
        // Truncation to n/2 + 1 values and zero-padding, as numpy.fft.irfft(X, n).
        let shorter = irfft(spectrum, n: 6)                        // uses X[0…3]
        expectSignalsClose(shorter, irfft(Array(spectrum[0...3]), n: 6))
        let longer = irfft(spectrum, n: 14)                        // pads X[6…7] with zeros
        expectSignalsClose(longer, irfft(spectrum + [.zero, .zero], n: 14))
    }

    @Test func batchedRowsEqualSingleTransforms() {
        let n = 12, rows = 5
        let x = uniforms(n * rows, seed: 11)
        let batched = rfft(x, rowLength: n)
        #expect(batched.count == rows * (n / 2 + 1))
        for r in 0..<rows {
            let single = rfft(Array(x[r * n ..< (r + 1) * n]))
            expectSignalsClose(flatten(Array(batched[r * (n / 2 + 1) ..< (r + 1) * (n / 2 + 1)])), flatten(single))
        }
        expectSignalsClose(irfft(batched, rowLength: n), x)
        let z = complexUniforms(n * rows, seed: 12)
        let zf = fft(z, rowLength: n)
        for r in 0..<rows {
            expectSignalsClose(flatten(Array(zf[r * n ..< (r + 1) * n])), flatten(fft(Array(z[r * n ..< (r + 1) * n]))))
        }
        expectSignalsClose(flatten(ifft(zf, rowLength: n)), flatten(z))
    }
}
