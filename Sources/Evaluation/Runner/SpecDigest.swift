// SpecDigest.swift — a stable digest of what determines a run's result: the dataset and model
// specifications (not their line numbers, and with dictionaries in sorted order, so editing a
// comment does not invalidate finished runs but changing a hyperparameter does).

import Foundation

enum SpecDigest {
    static func canonical(_ v: ParameterValue) -> String { v.description }

    static func canonical(_ d: DatasetSpec) -> String {
        var parts = ["name=\(d.name)", "task=\(d.task.rawValue)"]
        switch d.source {
        case let .catalog(n): parts.append("catalog=\(n)")
        case let .file(p): parts.append("file=\(p)")
        case let .generator(g):
            parts.append("generator=\(g.kind.rawValue)")
            parts += g.options.keys.sorted().map { "g.\($0)=\(canonical(g.options[$0]!))" }
        }
        parts.append("inputs=\(d.inputs ?? [])")
        parts.append("outputs=\(d.outputs ?? [])")
        switch d.split {
        case let .column(c)?: parts.append("split=column:\(c)")
        case let .fractions(f)?: parts.append("split=fractions:\(f.train),\(f.validation),\(f.test)")
        case nil: parts.append("split=standard")
        }
        parts += ["validation=\(d.validationFraction)", "warmup=\(d.warmup.map(String.init) ?? "-")", "horizon=\(d.horizon)",
                  "context=\(d.context.map(String.init) ?? "-")", "normalize=\(d.normalize)", "time=\(d.timeColumn ?? "-")",
                  "layout=\(d.layout.map { "\($0)" } ?? "-")", "season=\(d.season.map(String.init) ?? "-")"]
        return parts.joined(separator: ";")
    }

    static func canonical(_ m: ModelSpec) -> String {
        (["name=\(m.name)", "kind=\(m.kind.rawValue)"] + m.parameters.keys.sorted().map { "\($0)=\(canonical(m.parameters[$0]!))" })
            .joined(separator: ";")
    }

    static func digest(dataset: DatasetSpec, model: ModelSpec, metrics: [MetricKind]?) -> String {
        let text = canonical(dataset) + "|" + canonical(model) + "|metrics=" + (metrics ?? []).map(\.rawValue).joined(separator: ",")
        return String(SHA256.hex(SHA256.digest(Array(text.utf8))).prefix(16))
    }
}
