// ExperimentDescription.swift — the resolved experiment written beside the records
// (experiment.json): what was run, with every default filled in.

import Reports

enum ExperimentDescription {
    static func json(_ e: ExperimentSpec) -> JSONValue {
        func value(_ v: ParameterValue) -> JSONValue {
            switch v {
            case let .int(i): return .integer(i)
            case let .double(d): return .number(d)
            case let .string(s): return .string(s)
            case let .bool(b): return .bool(b)
            case let .array(a): return .array(a.map(value))
            }
        }
        let datasets: [JSONValue] = e.datasets.map { d in
            var fields: [(String, JSONValue)] = [("name", .string(d.name)), ("task", .string(d.task.rawValue))]
            switch d.source {
            case let .catalog(n): fields.append(("catalog", .string(n)))
            case let .file(p): fields.append(("path", .string(p)))
            case let .generator(g):
                fields.append(("generator", .string(g.kind.rawValue)))
                fields.append(("options", .object(g.options.keys.sorted().map { ($0, value(g.options[$0]!)) })))
            }
            if let i = d.inputs { fields.append(("inputs", .array(i.map { .string($0) }))) }
            if let o = d.outputs { fields.append(("outputs", .array(o.map { .string($0) }))) }
            switch d.split {
            case let .column(c)?: fields.append(("split_column", .string(c)))
            case let .fractions(f)?: fields.append(("fractions", .array([.number(f.train), .number(f.validation), .number(f.test)])))
            case nil: fields.append(("split", "standard"))
            }
            fields += [("validation_fraction", .number(d.validationFraction)), ("warmup", d.warmup.map { .integer($0) } ?? .null),
                       ("horizon", .integer(d.horizon)), ("context", d.context.map { .integer($0) } ?? .null),
                       ("normalize", .bool(d.normalize))]
            if let s = d.season { fields.append(("season", .integer(s))) }
            return .object(fields)
        }
        let models: [JSONValue] = e.models.map { m in
            .object([("name", .string(m.name)), ("kind", .string(m.kind.rawValue)),
                     ("parameters", .object(m.parameters.keys.sorted().map { ($0, value(m.parameters[$0]!)) }))])
        }
        return .object([("name", .string(e.name)), ("description", e.description.map { .string($0) } ?? .null),
                        ("file", .string(e.file)), ("seeds", .array(e.seeds.map { .integer(Int($0)) })),
                        ("metrics", e.metrics.map { .array($0.map { .string($0.rawValue) }) } ?? .null),
                        ("datasets", .array(datasets)), ("models", .array(models))])
    }
}
