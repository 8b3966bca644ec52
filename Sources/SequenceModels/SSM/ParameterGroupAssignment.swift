// ParameterGroupAssignment.swift — which parameters of a model belong to which optimiser group.
//
// The optimisers read each parameter's `group` (Parameter.swift, Optimizer.swift). S4D puts
// A (log_A_real, A_imag), log Δ and a learnable B into `S4DConfiguration.ssmGroup` — its own
// learning rate, no weight decay, as in Gu, Goel, Ré, "Efficiently Modeling Long Sequences with
// Structured State Spaces" (2022) — and everything else stays in the optimiser's default group.
// These helpers make that assignment visible and adjustable by parameter name.

import LinearAlgebra

/// One optimiser group and the dotted names of the parameters in it.
public struct ParameterGroupAssignment: Sendable, Hashable {
    public var group: ParameterGroup
    public var names: [String]
}

extension Layer {
    /// The model's parameters grouped by optimiser group: groups in order of first appearance in
    /// `namedParameters`, names in `namedParameters` order.
    public var parameterGroupAssignment: [ParameterGroupAssignment] {
        var result: [ParameterGroupAssignment] = []
        for named in namedParameters {
            if let i = result.firstIndex(where: { $0.group == named.parameter.group }) {
                result[i].names.append(named.name)
            } else {
                result.append(ParameterGroupAssignment(group: named.parameter.group, names: [named.name]))
            }
        }
        return result
    }

    /// Puts every parameter whose dotted name satisfies `predicate` into `group`; returns the
    /// names changed. E.g. `model.assignGroup(.noWeightDecay) { $0.hasSuffix(".bias") }`.
    @discardableResult
    public func assignGroup(_ group: ParameterGroup, where predicate: (String) -> Bool) -> [String] {
        var changed: [String] = []
        for named in namedParameters where predicate(named.name) {
            named.parameter.group = group
            changed.append(named.name)
        }
        return changed
    }
}
