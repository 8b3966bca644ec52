// ModelFactory.swift — builds the `LabModel` for a `[[model]]` table.

import LinearAlgebra

public enum ModelFactory {
    /// The model of `spec` (hyperparameters already checked against the kind's schema).
    /// - Throws: `RunError.incompatible` for a kind not available for this problem;
    ///   `ExperimentError.invalidValue` for a hyperparameter out of range.
    public static func make(_ spec: ModelSpec, for problem: Problem) throws -> any LabModel {
        switch spec.kind {
        case .mean: return MeanModel()
        case .persistence: return PersistenceModel()
        case .oracle: return OracleModel()
        case .arx: return ARXLabModel(spec, finiteImpulse: false)
        case .fir: return ARXLabModel(spec, finiteImpulse: true)
        case .n4sid: return N4SIDLabModel(spec)
        case .ar: return ARLabModel(spec)
        default:
            if let kind = NeuralKind(spec.kind) {
                let settings = try NeuralSettings(spec, kind: kind)
                return kind == .ssm || kind == .lti ? StateSpaceNeuralModel(kind: kind, settings: settings)
                                                    : NeuralModel(kind: kind, settings: settings)
            }
            throw RunError.incompatible("model kind '\(spec.kind.rawValue)' is not available in this build")
        }
    }
}
