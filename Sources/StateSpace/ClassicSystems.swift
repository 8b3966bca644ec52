// ClassicSystems.swift — named textbook systems (continuous time, SI units).

import LinearAlgebra

public enum ClassicSystems {
    /// Mass–spring–damper  m ẍ + c ẋ + k x = F.  States [x, ẋ], input F (N), output x (m).
    public static func massSpringDamper(mass: Double = 1, damping: Double = 0.5, stiffness: Double = 4) throws(StateSpaceError) -> ContinuousLTI {
        guard mass > 0 else { throw .invalidParameter(name: "mass", reason: "must be > 0") }
        return try ContinuousLTI(a: Matrix(rowsLiteral: [[0, 1], [-stiffness / mass, -damping / mass]]),
                                 b: Matrix(rowsLiteral: [[0], [1 / mass]]),
                                 c: Matrix(rowsLiteral: [[1, 0]]),
                                 d: Matrix(rowsLiteral: [[0]]),
                                 labels: SignalLabels(name: "mass-spring-damper", inputs: ["force"], outputs: ["position"], states: ["position", "velocity"]))
    }

    /// Series RLC circuit driven by a voltage source:  L di/dt = v − R i − v_C,  C dv_C/dt = i.
    /// States [i, v_C], input v (V), output v_C (V).
    public static func rlcCircuit(resistance: Double = 1, inductance: Double = 0.5, capacitance: Double = 0.2) throws(StateSpaceError) -> ContinuousLTI {
        guard inductance > 0, capacitance > 0 else { throw .invalidParameter(name: "inductance/capacitance", reason: "must be > 0") }
        return try ContinuousLTI(a: Matrix(rowsLiteral: [[-resistance / inductance, -1 / inductance], [1 / capacitance, 0]]),
                                 b: Matrix(rowsLiteral: [[1 / inductance], [0]]),
                                 c: Matrix(rowsLiteral: [[0, 1]]),
                                 d: Matrix(rowsLiteral: [[0]]),
                                 labels: SignalLabels(name: "rlc-circuit", inputs: ["source_voltage"], outputs: ["capacitor_voltage"], states: ["current", "capacitor_voltage"]))
    }

    /// Armature-controlled DC motor:  J ω̇ = K i − b ω,  L di/dt = V − R i − K ω.
    /// States [ω, i], input V (V), output ω (rad/s). Defaults: a small laboratory motor.
    public static func dcMotor(inertia: Double = 0.01, friction: Double = 0.1, torqueConstant: Double = 0.01,
                               resistance: Double = 1, inductance: Double = 0.5) throws(StateSpaceError) -> ContinuousLTI {
        guard inertia > 0, inductance > 0 else { throw .invalidParameter(name: "inertia/inductance", reason: "must be > 0") }
        return try ContinuousLTI(a: Matrix(rowsLiteral: [[-friction / inertia, torqueConstant / inertia],
                                                          [-torqueConstant / inductance, -resistance / inductance]]),
                                 b: Matrix(rowsLiteral: [[0], [1 / inductance]]),
                                 c: Matrix(rowsLiteral: [[1, 0]]),
                                 d: Matrix(rowsLiteral: [[0]]),
                                 labels: SignalLabels(name: "dc-motor", inputs: ["voltage"], outputs: ["speed"], states: ["speed", "current"]))
    }

    /// The names `named(_:)` accepts.
    public static let names = ["mass-spring-damper", "rlc-circuit", "dc-motor"]

    /// A classic system by name with default parameters.
    public static func named(_ name: String) throws(StateSpaceError) -> ContinuousLTI {
        switch name {
        case "mass-spring-damper": return try massSpringDamper()
        case "rlc-circuit": return try rlcCircuit()
        case "dc-motor": return try dcMotor()
        default: throw .invalidParameter(name: "system", reason: "unknown system '\(name)'; valid: \(names.joined(separator: ", "))")
        }
    }
}
