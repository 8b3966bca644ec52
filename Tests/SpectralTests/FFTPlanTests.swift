import LinearAlgebra
import Numerics
import Spectral
import TestSupport
import Testing

@Suite struct FFTPlanTests {
    @Test func plansAreUnnormalised() {
        // FFTW's backward(forward(x)) = n·x: the plan API does not scale.
        let n = 30
        let x = uniforms(n, seed: 21)
        let forward = FFTPlan<Double>(.realForward, length: n)
        let inverse = FFTPlan<Double>(.realInverse, length: n)
        var spectrum = [Complex<Double>](repeating: .zero, count: n / 2 + 1)
        var back = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in spectrum.withUnsafeMutableBufferPointer { forward.forward(real: xs, into: $0) } }
        expectSignalsClose(flatten(spectrum), flatten(rfft(x)))
        spectrum.withUnsafeMutableBufferPointer { s in back.withUnsafeMutableBufferPointer { inverse.inverse(halfSpectrum: s, into: $0) } }
        expectSignalsClose(back, x.map { Double(n) * $0 })
    }

    @Test(arguments: [FFTPlanningRigor.estimate, .measure])
    func misalignedArraysGoThroughScratch(rigor: FFTPlanningRigor) {
        // A slice starting one element in is 8 bytes off FFTW's SIMD alignment.
        let n = 64
        let data = [0.0] + uniforms(n, seed: 22)
        let plan = FFTPlan<Double>(.realForward, length: n, rigor: rigor)
        var out = [Complex<Double>](repeating: .zero, count: n / 2 + 2)
        data.withUnsafeBufferPointer { all in
            out.withUnsafeMutableBufferPointer { o in
                plan.forward(real: UnsafeBufferPointer(rebasing: all[1...]), into: UnsafeMutableBufferPointer(rebasing: o[1...]))
            }
        }
        expectSignalsClose(flatten(Array(out[1...])), flatten(rfft(Array(data[1...]))))
    }

    @Test func floatPlansMatchDoublePlans() {
        let n = 48, batch = 3
        let x = uniforms(n * batch, seed: 23)
        let plan = FFTPlan<Float>(.complexForward, length: n, batch: batch, rigor: .measure)
        let input = x.map { Complex(Float($0), Float(-$0)) }
        var output = [Complex<Float>](repeating: .zero, count: n * batch)
        input.withUnsafeBufferPointer { i in output.withUnsafeMutableBufferPointer { plan.transform(i, into: $0) } }
        let reference = fft(x.map { Complex($0, -$0) }, rowLength: n)
        expectSignalsClose(flatten(output), flatten(reference), rtol: floatFFTTolerance)  // Float: see FFTTests
    }

    @Test func cacheReturnsOnePlanPerKey() {
        let cache = FFTPlanCache()
        let a: FFTPlan<Double> = cache.plan(.realForward, length: 40, batch: 2)
        let b: FFTPlan<Double> = cache.plan(.realForward, length: 40, batch: 2)
        #expect(a === b)
        #expect(cache.planningCount == 1)
        let _: FFTPlan<Float> = cache.plan(.realForward, length: 40, batch: 2)          // other precision
        let _: FFTPlan<Double> = cache.plan(.realForward, length: 40, batch: 2, rigor: .measure)  // other rigor
        let _: FFTPlan<Double> = cache.plan(.realInverse, length: 40, batch: 2)          // other kind
        #expect(cache.planningCount == 4)
        #expect(cache.count == 4)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func convenienceFunctionsUseTheSharedCache() {
        let n = 1031   // a prime no other test uses
        _ = rfft(uniforms(n, seed: 24))
        let key = FFTPlanCache.Key(kind: .realForward, length: n, batch: 1, precision: .double, rigor: .estimate)
        #expect(FFTPlanCache.shared.keys.contains(key))
    }

    @Test func concurrentPlanningAndExecution() async {
        // Many tasks plan (through the one planner lock) and execute at once; every result must
        // equal the serial one.
        let lengths = [16, 17, 18, 19, 20, 21, 22, 23]
        let serial = lengths.map { n in rfft(uniforms(n, seed: UInt64(n))) }
        let results = await withTaskGroup(of: (Int, [Complex<Double>], [Complex<Float>]).self) { group in
            for (i, n) in lengths.enumerated() {
                group.addTask {
                    let x = uniforms(n, seed: UInt64(n))
                    let cache = FFTPlanCache()   // fresh plans: exercises the planner lock
                    let plan: FFTPlan<Double> = cache.plan(.realForward, length: n)
                    let planF: FFTPlan<Float> = cache.plan(.realForward, length: n, rigor: .measure)
                    var out = [Complex<Double>](repeating: .zero, count: n / 2 + 1)
                    var outF = [Complex<Float>](repeating: .zero, count: n / 2 + 1)
                    for _ in 0..<20 {
                        x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { plan.forward(real: xs, into: $0) } }
                        x.map { Float($0) }.withUnsafeBufferPointer { xs in outF.withUnsafeMutableBufferPointer { planF.forward(real: xs, into: $0) } }
                    }
                    return (i, out, outF)
                }
            }
            var collected: [(Int, [Complex<Double>], [Complex<Float>])] = []
            for await r in group { collected.append(r) }
            return collected
        }
        #expect(results.count == lengths.count)
        for (i, out, outF) in results {
            expectSignalsClose(flatten(out), flatten(serial[i]))
            expectSignalsClose(flatten(outF), flatten(serial[i]), rtol: floatFFTTolerance)  // Float: see FFTTests
        }
    }
}

@Suite struct FastLengthTests {
    @Test func smallestSevenSmoothAtLeast() {
        for n in 0...3000 {
            let m = fastFFTLength(atLeast: n)
            #expect(m >= max(n, 1) && isFastFFTLength(m), "n = \(n) → \(m)")
            if m > max(n, 1) {
                #expect(!(max(n, 1)..<m).contains(where: isFastFFTLength), "a smaller fast length exists below \(m) for n = \(n)")
            }
        }
        #expect(fastFFTLength(atLeast: 1 << 21 - 1) == 1 << 21)
        #expect(fastFFTLength(atLeast: 1009) == 1024)
        #expect(fastFFTLength(atLeast: 1100) == 1120)
    }
}
