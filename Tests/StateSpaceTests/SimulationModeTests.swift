import LinearAlgebra
import StateSpace
import TestSupport
import Testing

@Suite struct SimulationModeTests {
    static let shapes: [(n: Int, m: Int, p: Int, seed: UInt64)] = [(1, 1, 1, 1), (3, 2, 2, 2), (8, 1, 3, 3), (13, 3, 1, 4), (24, 2, 2, 5)]

    @Test(arguments: shapes)
    func allModesAgreeWithReference(shape: (n: Int, m: Int, p: Int, seed: UInt64)) throws {
        let sys = try randomDiscrete(shape.n, shape.m, shape.p, seed: shape.seed)
        let u = randomSignal(300, shape.m, seed: 100 + shape.seed)
        var rng = SplitMix64(seed: 200 + shape.seed)
        let x0 = rng.uniforms(shape.n)
        let ref = try sys.simulateReference(u, x0: x0)
        for mode in SimulationMode.allCases {
            let r = try sys.simulate(u, x0: x0, mode: mode)
            #expect(relativeError(r.outputs.elements, ref.outputs.elements) < 1e-9, "mode \(mode.rawValue)")
            if let xf = r.finalState {
                #expect(relativeError(xf, ref.finalState!) < 1e-9, "final state, mode \(mode.rawValue)")
            } else {
                #expect(mode == .convolution || mode == .fft)
            }
        }
    }

    @Test func recurrentChunksContinueExactly() throws {
        // Simulating in two halves from the carried state equals one run (chunking is invisible).
        let sys = try randomDiscrete(9, 2, 2, seed: 11)
        let u = randomSignal(1500, 2, seed: 12)
        let whole = try sys.simulate(u)
        let first = try sys.simulate(u.submatrix(rows: 0..<700, cols: 0..<2))
        let second = try sys.simulate(u.submatrix(rows: 700..<1500, cols: 0..<2), x0: try #require(first.finalState))
        expectClose(Matrix.vcat([first.outputs, second.outputs]).elements, whole.outputs.elements, rtol: 1e-13, atol: 1e-13)
    }

    @Test func modalRejectsDefectiveSystem() throws {
        let sys = try jordanSystem(4)
        #expect(throws: StateSpaceError.self) { try sys.simulate(randomSignal(10, 2, seed: 1), mode: .modal) }
        // The other modes still agree.
        let u = randomSignal(200, 2, seed: 2)
        let ref = try sys.simulateReference(u)
        for mode in [SimulationMode.recurrent, .convolution, .fft] {
            #expect(relativeError(try sys.simulate(u, mode: mode).outputs.elements, ref.outputs.elements) < 1e-9)
        }
    }

    @Test func badInputsAreTypedErrors() throws {
        let sys = try randomDiscrete(3, 2, 1, seed: 3)
        #expect(throws: StateSpaceError.inputMismatch(expectedInputs: 2, foundColumns: 3)) { try sys.simulate(randomSignal(5, 3, seed: 1)) }
        #expect(throws: StateSpaceError.initialStateMismatch(expected: 3, found: 2)) { try sys.simulate(randomSignal(5, 2, seed: 1), x0: [1, 2]) }
        var u = randomSignal(5, 2, seed: 1)
        u[2, 1] = .infinity
        #expect(throws: StateSpaceError.nonFinite(matrix: "input")) { try sys.simulate(u) }
    }

    @Test func emptyInputGivesEmptyOutput() throws {
        let sys = try randomDiscrete(3, 2, 2, seed: 4)
        for mode in SimulationMode.allCases {
            let r = try sys.simulate(Matrix(rows: 0, cols: 2), x0: [1, 2, 3], mode: mode)
            #expect(r.outputs.rows == 0 && r.outputs.cols == 2)
            if let xf = r.finalState { expectClose(xf, [1, 2, 3]) }
        }
    }
}

@Suite struct KernelTests {
    @Test(arguments: [(4, 1, 1, UInt64(1)), (6, 2, 3, 2), (17, 3, 2, 3)])
    func methodsAgree(shape: (Int, Int, Int, UInt64)) throws {
        let sys = try randomDiscrete(shape.0, shape.1, shape.2, seed: shape.3, radius: 0.8...0.99)
        let ref = try sys.kernel(length: 700, method: .power)
        for method in [KernelMethod.doubling, .diagonal] {
            let k = try sys.kernel(length: 700, method: method)
            #expect(k.method == method)
            #expect(relativeError(k.values, ref.values) < 1e-11, "method \(method)")
        }
    }

    @Test func doublingHandlesNonPowerOfTwoAndBlocks() throws {
        let sys = try randomDiscrete(5, 2, 2, seed: 7, radius: 0.9...0.999)
        // 9000 taps: past the 4096-tap doubling block, so the block-product phase runs too.
        let ref = try sys.markovParameters(count: 9000, method: .power)
        let k = try sys.markovParameters(count: 9000, method: .doubling)
        #expect(relativeError(k.values, ref.values) < 1e-11)
    }

    @Test func diagonalFallsBackOnDefectiveA() throws {
        let sys = try jordanSystem(5)
        let k = try sys.kernel(length: 200, method: .diagonal)
        #expect(k.method == .doubling)
        #expect(relativeError(k.values, try sys.kernel(length: 200, method: .power).values) < 1e-12)
    }

    @Test func impulseResponseIsKernelAndSimulation() throws {
        let sys = try randomDiscrete(6, 2, 2, seed: 8)
        let steps = 60
        let h = try sys.impulseResponse(steps: steps)
        for i in 0..<2 {
            var u = Matrix(rows: steps, cols: 2)
            u[0, i] = 1
            let y = try sys.simulate(u).outputs
            for o in 0..<2 {
                expectClose(h.series(output: o, input: i), y.column(o), rtol: 1e-12, atol: 1e-14)
            }
        }
        #expect(h[0, 1, 0] == sys.d[1, 0])
    }

    @Test func stepResponseIsCumulativeKernel() throws {
        let sys = try randomDiscrete(4, 1, 2, seed: 9)
        let s = try sys.stepResponse(steps: 40)
        let u = Matrix(rows: 40, cols: 1, repeating: 1)
        let y = try sys.simulate(u).outputs
        expectClose(s.series(output: 1, input: 0), y.column(1), rtol: 1e-12, atol: 1e-14)
    }

    @Test func negativeLengthIsError() throws {
        let sys = try randomDiscrete(2, 1, 1, seed: 1)
        #expect(throws: StateSpaceError.self) { try sys.kernel(length: -1) }
    }
}
