// ModelFactory.swift — builds the `LabModel` for a `[[model]]` table.

import LinearAlgebra

public enum ModelFactory {
    /// The model of `spec` (hyperparameters already checked against the kind's schema).
    /// - Throws: `RunError.incompatible` for a kind not available for this problem.
    public static func make(_ spec: ModelSpec, for problem: Problem) throws -> any LabModel {
        switch spec.kind {
        case .mean: return MeanModel()
        case .persistence: return PersistenceModel()
        case .oracle: return OracleModel()
        default:
            throw RunError.incompatible("model kind '\(spec.kind.rawValue)' is not available in this build")
        }
    }
}
