import Foundation
import LinearAlgebra
import StateSpace
import TestSupport
import Testing

@Suite struct DiscretizationTests {
    static let methods: [DiscretizationMethod] = [.zoh, .foh, .impulse, .bilinear, .euler, .backwardEuler, .gbt(alpha: 0.3)]

    @Test func scalarZohClosedForm() throws {
        // ẋ = a x + b u:  ad = e^{a dt}, bd = (e^{a dt} − 1) b / a.
        let a = -0.7, b = 2.0, dt = 0.25
        let sys = try ContinuousLTI(a: Matrix(rowsLiteral: [[a]]), b: Matrix(rowsLiteral: [[b]]), c: Matrix(rowsLiteral: [[1]]))
        let d = try sys.discretized(dt: dt, method: .zoh)
        expectClose(d.a[0, 0], exp(a * dt))
        expectClose(d.b[0, 0], (exp(a * dt) - 1) * b / a)
        #expect(d.dt == dt)
    }

    @Test func scalarGbtClosedForm() throws {
        // gbt(α): ad = (1 + (1−α) a dt) / (1 − α a dt), bd = dt b / (1 − α a dt), cd = c / (1 − α a dt), dd = d + α c bd.
        let a = -1.3, b = 0.5, c = 2.0, d = 0.1, dt = 0.2
        let sys = try ContinuousLTI(a: Matrix(rowsLiteral: [[a]]), b: Matrix(rowsLiteral: [[b]]), c: Matrix(rowsLiteral: [[c]]), d: Matrix(rowsLiteral: [[d]]))
        for alpha in [0.0, 0.3, 0.5, 1.0] {
            let s = try sys.discretized(dt: dt, method: .gbt(alpha: alpha))
            let den = 1 - alpha * a * dt
            expectClose([s.a[0, 0], s.b[0, 0], s.c[0, 0], s.d[0, 0]],
                        [(1 + (1 - alpha) * a * dt) / den, dt * b / den, c / den, d + alpha * c * dt * b / den])
        }
    }

    @Test func namedGbtMembersMatchGbt() throws {
        let sys = try randomContinuous(4, 2, 3, seed: 21)
        for (m, alpha) in [(DiscretizationMethod.bilinear, 0.5), (.euler, 0.0), (.backwardEuler, 1.0)] {
            let x = try sys.discretized(dt: 0.1, method: m), y = try sys.discretized(dt: 0.1, method: .gbt(alpha: alpha))
            #expect(x.matrices == y.matrices)
        }
    }

    @Test(arguments: [DiscretizationMethod.zoh, .bilinear, .euler, .backwardEuler, .gbt(alpha: 0.3)])
    func d2cRoundTrip(method: DiscretizationMethod) throws {
        let sys = try randomContinuous(5, 2, 2, seed: 22)
        let back = try sys.discretized(dt: 0.05, method: method).continuous(method: method)
        for (x, y) in [(back.a, sys.a), (back.b, sys.b), (back.c, sys.c), (back.d, sys.d)] {
            expectClose(x, y, rtol: 1e-9, atol: 1e-10) // logm via ~10 square roots loses a few digits
        }
    }

    @Test func zohPreservesStepResponseAtSamples() throws {
        // ZOH is exact for piecewise-constant input: the discrete step response equals the
        // continuous one, y(t) = C A⁻¹ (e^{At} − I) B + D, at t = k dt.
        let sys = try ClassicSystems.massSpringDamper()
        let dt = 0.1
        let step = try sys.discretized(dt: dt, method: .zoh).stepResponse(steps: 30)
        for k in [1, 7, 29] {
            let t = Double(k) * dt
            let expAt = try (t * sys.a).exp()
            let y = sys.c * (try sys.a.solve(expAt - Matrix.identity(2))) * sys.b + sys.d
            expectClose(step[k, 0, 0], y[0, 0], rtol: 1e-12, atol: 1e-14)
        }
    }

    @Test func badParametersAreErrors() throws {
        let sys = try ClassicSystems.rlcCircuit()
        for dt in [0.0, -1.0, .nan, .infinity] {
            #expect(throws: StateSpaceError.self) { try sys.discretized(dt: dt) }
        }
        #expect(throws: StateSpaceError.self) { try sys.discretized(dt: 0.1, method: .gbt(alpha: 1.5)) }
        #expect(throws: StateSpaceError.self) { try DiscretizationMethod(name: "tustin2") }
        #expect(throws: StateSpaceError.self) { try DiscretizationMethod(name: "gbt") }
        #expect(try DiscretizationMethod(name: "backward-euler") == .backwardEuler)
        let d = try sys.discretized(dt: 0.1, method: .foh)
        #expect(throws: StateSpaceError.self) { try d.continuous(method: .foh) }
    }

    @Test func d2cRejectsNegativeRealEigenvalue() throws {
        let sys = try DiscreteLTI(a: Matrix(rowsLiteral: [[-0.5]]), b: Matrix(rowsLiteral: [[1]]), c: Matrix(rowsLiteral: [[1]]), dt: 1)
        #expect(throws: StateSpaceError.self) { try sys.continuous(method: .zoh) }
    }
}

@Suite struct SystemConstructionTests {
    @Test func shapeErrorsNameTheMatrices() {
        let a = Matrix.identity(3)
        #expect(throws: StateSpaceError.dimensionMismatch("rows of A (3) and B (2) differ")) {
            try ContinuousLTI(a: a, b: Matrix(rows: 2, cols: 1), c: Matrix(rows: 1, cols: 3))
        }
        #expect(throws: StateSpaceError.dimensionMismatch("columns of C (2) and states (3) differ")) {
            try ContinuousLTI(a: a, b: Matrix(rows: 3, cols: 1), c: Matrix(rows: 1, cols: 2))
        }
        #expect(throws: StateSpaceError.nonFinite(matrix: "B")) {
            try ContinuousLTI(a: a, b: Matrix(rows: 3, cols: 1, repeating: .nan), c: Matrix(rows: 1, cols: 3))
        }
        #expect(throws: StateSpaceError.invalidSampleTime(0)) {
            try DiscreteLTI(a: a, b: Matrix(rows: 3, cols: 1), c: Matrix(rows: 1, cols: 3), dt: 0)
        }
    }

    @Test func classicSystemsAreStable() throws {
        for name in ClassicSystems.names {
            let s = try ClassicSystems.named(name)
            #expect(try s.isStable(), "\(name)")
            #expect(try s.isControllable() && s.isObservable(), "\(name)")
        }
    }
}
