// AnalyzeCommand.swift — poles, stability, controllability/observability, Hankel singular values.

import ArgumentParser
import Foundation
import StateSpaceLab

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Poles, stability, controllability, observability and Hankel singular values (JSON).",
        discussion: """
        Keys: type, dt (discrete), states, inputs, outputs, poles ([re, im] pairs), stable,
        spectral_radius (discrete) or max_real_part (continuous), controllability_rank,
        observability_rank, controllable, observable, and hankel_singular_values when stable.
        Example: sslab analyze plant.json
        """)
    @Argument(help: "System JSON.") var system: String
    @OptionGroup var out: OutputOption

    func run() throws {
        let sys = try loadSystem(system)
        var fields: [(String, JSONValue)] = []
        let poles: [Complex<Double>], stable: Bool, hsv: [Double]?
        let ctrbRank: Int, obsvRank: Int, n: Int, m: Int, p: Int
        switch sys {
        case let .continuous(s):
            poles = try s.poles(); stable = try s.isStable()
            fields.append(("type", "continuous"))
            fields.append(("max_real_part", .number(try s.maxRealPart())))
            hsv = stable ? try s.hankelSingularValues() : nil
            ctrbRank = try s.controllabilityRank(); obsvRank = try s.observabilityRank()
            n = s.stateCount; m = s.inputCount; p = s.outputCount
        case let .discrete(s):
            poles = try s.poles(); stable = try s.isStable()
            fields.append(("type", "discrete"))
            fields.append(("dt", .number(s.dt)))
            fields.append(("spectral_radius", .number(try s.spectralRadius())))
            hsv = stable ? try s.hankelSingularValues() : nil
            ctrbRank = try s.controllabilityRank(); obsvRank = try s.observabilityRank()
            n = s.stateCount; m = s.inputCount; p = s.outputCount
        }
        fields += [("states", .integer(n)), ("inputs", .integer(m)), ("outputs", .integer(p)),
                   ("poles", .array(poles.map { .array([.number($0.real), .number($0.imaginary)]) })),
                   ("stable", .bool(stable)),
                   ("controllability_rank", .integer(ctrbRank)), ("observability_rank", .integer(obsvRank)),
                   ("controllable", .bool(ctrbRank == n)), ("observable", .bool(obsvRank == n))]
        if let hsv { fields.append(("hankel_singular_values", .array(hsv.map { .number($0) }))) }
        try out.emit(JSONValue.object(fields).pretty + "\n")
    }
}

import Numerics
