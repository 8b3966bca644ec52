// FixtureModels.swift — Decodable views of the statespace/*.json fixtures (schemas in
// Tests/Fixtures/README.md).

import LinearAlgebra
import Numerics
import StateSpace

struct FxSystem: Decodable {
    let A: [[Double]], B: [[Double]], C: [[Double]], D: [[Double]]
    let dt: Double?

    func matrices() throws -> (Matrix, Matrix, Matrix, Matrix) {
        // Empty nested lists decode as 0×0; fixtures never use them.
        (try Matrix(A), try Matrix(B), try Matrix(C), try Matrix(D))
    }
    func continuous() throws -> ContinuousLTI { let (a, b, c, d) = try matrices(); return try ContinuousLTI(a: a, b: b, c: c, d: d) }
    func discrete() throws -> DiscreteLTI { let (a, b, c, d) = try matrices(); return try DiscreteLTI(a: a, b: b, c: c, d: d, dt: dt ?? 1) }
    var any: AnySystem { get throws { dt == nil ? .continuous(try continuous()) : .discrete(try discrete()) } }
}

struct FxMatrices: Decodable { let A: [[Double]], B: [[Double]], C: [[Double]], D: [[Double]] }

struct C2DFile: Decodable {
    struct SystemEntry: Decodable { let name: String; let A: [[Double]], B: [[Double]], C: [[Double]], D: [[Double]] }
    struct Case: Decodable { let system: String; let dt: Double; let method: String; let alpha: Double?; let discrete: FxSystem }
    struct Rejected: Decodable { let system: String; let dt: Double; let method: String; let alpha: Double?; let error: String }
    struct Expected: Decodable { let test: String; let system: String; let method: String; let alpha: Double?; let dt: Double; let expected: FxMatrices }
    let systems: [SystemEntry]
    let cases: [Case]
    let rejected: [Rejected]
    let scipy_test_expected: [Expected]
}

struct D2CFile: Decodable {
    struct Case: Decodable { let original: String; let dt: Double; let method: String; let discrete: FxSystem; let continuous: FxSystem }
    let cases: [Case]
}

struct SimulationFile: Decodable {
    struct Case: Decodable {
        let name: String; let n: Int; let m: Int; let p: Int
        let system: FxSystem; let x0: [Double]; let u: [[Double]]; let y: [[Double]]; let x: [[Double]]
        let impulse: [[[Double]]]; let step: [[[Double]]]
    }
    let cases: [Case]
}

struct FreqRespFile: Decodable {
    struct Case: Decodable {
        let name: String; let kind: String; let system: FxSystem; let omega: [Double]
        let response: [[[[Double]]]]; let magnitude_db: [[[Double]]]; let phase_deg_unwrapped: [[[Double]]]
        let max_abs_diff_vs_direct_solve: Double
    }
    let cases: [Case]
}

struct TFFile: Decodable {
    struct SS2TF: Decodable { let name: String; let system: FxSystem; let num: [Double]; let den: [Double] }
    struct TF2SS: Decodable { let name: String; let num: [Double]; let den: [Double]; let system: FxSystem }
    let ss2tf: [SS2TF]
    let tf2ss: [TF2SS]
}

struct AnalysisFile: Decodable {
    struct BT: Decodable {
        let order: Int; let reduced: FxSystem; let omega: [Double]
        let response_reduced: [[[[Double]]]]; let response_full: [[[[Double]]]]; let error_bound: Double
    }
    struct Case: Decodable {
        let name: String; let kind: String; let system: FxSystem; let poles: [[Double]]
        let ctrb: [[Double]]; let obsv: [[Double]]; let ctrb_rank: Int; let obsv_rank: Int
        let gramian_controllability: [[Double]]; let gramian_observability: [[Double]]
        let hsv: [Double]?; let balanced_truncation: BT?
    }
    let cases: [Case]
}

/// Flattens (F, p, m, 2) complex nests into Complex values in (F, p, m) order.
func complexFlat(_ nest: [[[[Double]]]]) -> [Complex<Double>] {
    nest.flatMap { $0.flatMap { $0.map { Complex($0[0], $0[1]) } } }
}

/// The lab's method for a scipy method name.
func labMethod(_ name: String, alpha: Double?) throws -> DiscretizationMethod {
    switch name {
    case "backward_diff": return .backwardEuler
    case "gbt": return .gbt(alpha: alpha!)
    default: return try DiscretizationMethod(name: name)
    }
}
