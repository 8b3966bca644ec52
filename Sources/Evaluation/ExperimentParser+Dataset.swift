// ExperimentParser+Dataset.swift — the `[[dataset]]` table.
//
// Source: `path` (a CSV file), `generator` (with its options as keys of the same table), or
// neither, when `name` must be a catalog dataset. Defaults come from the catalog entry or
// the generator; `docs/experiment-format.md` lists every key.

extension ExperimentParser {
    /// Keys every `[[dataset]]` table accepts (generator options come on top).
    public static let datasetKeys = ["name", "path", "generator", "task", "inputs", "outputs", "split_column", "fractions",
                                     "validation_fraction", "warmup", "horizon", "context", "normalize", "time_column",
                                     "layout", "season"]

    /// Tasks a catalog family serves; the first is the default.
    static func tasks(for family: DatasetFamily) -> [TaskKind] {
        switch family {
        case .systemIdentification: return [.simulation, .prediction]
        case .forecast: return [.forecast]
        case .classification: return [.classification]
        }
    }

    static func parseDataset(_ t: TOMLTableReader, index: Int) throws(ExperimentError) -> DatasetSpec {
        guard let name = try t.string("name") else { throw t.missing("name") }
        if t.values["path"] != nil && t.values["generator"] != nil {
            throw .conflictingKeys(file: t.file, line: max(t.line("path"), t.line("generator")), keys: ["path", "generator"], table: t.tableName)
        }
        let generator = try t.choice("generator", "generator", as: GeneratorKind.self)
        let path = try t.string("path")
        var entry: CatalogEntry? = nil
        if generator == nil && path == nil {
            entry = DatasetCatalog.entries.first { $0.name == name }
            if entry == nil {
                throw .unknownChoice(file: t.file, line: t.line("name"), key: "name", table: t.tableName, value: name,
                                     what: "dataset name (give 'path' or 'generator' for other data)", valid: DatasetCatalog.names)
            }
        }
        try t.checkKeys(datasetKeys + (generator?.options.map(\.key) ?? []))

        // Task: default from the catalog family or generator; required for files.
        let allowed: [TaskKind] = entry.map { tasks(for: $0.family) } ?? generator?.tasks
            ?? [.simulation, .prediction, .forecast, .classification]
        let task: TaskKind
        if let given = try t.choice("task", "task kind", as: TaskKind.self) {
            guard allowed.contains(given) else {
                throw t.invalid("task", "task '\(given.rawValue)' does not fit this dataset; valid: \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            task = given
        } else if path == nil {
            task = allowed[0]
        } else {
            throw t.missing("task")
        }

        let inputs = try t.strings("inputs"), outputs = try t.strings("outputs")
        if path != nil {
            if (task == .simulation || task == .prediction) && inputs == nil { throw t.missing("inputs") }
            if task != .classification && outputs == nil { throw t.missing("outputs") }
        }
        for key in ["inputs", "outputs"] where t.values[key] != nil {
            if generator != nil { throw t.invalid(key, "generated data names its own channels (u, y or u1…, y1…)") }
            if task == .classification { throw t.invalid(key, "classification data take every channel") }
            if (key == "inputs" ? inputs : outputs)?.isEmpty == true { throw t.invalid(key, "needs at least one channel name") }
        }
        if task == .forecast && inputs != nil { throw t.invalid("inputs", "forecast tasks have no inputs; name the series in 'outputs'") }

        // Split.
        if t.values["split_column"] != nil && t.values["fractions"] != nil {
            throw .conflictingKeys(file: t.file, line: max(t.line("split_column"), t.line("fractions")), keys: ["split_column", "fractions"], table: t.tableName)
        }
        var split: SplitSpec? = nil
        if let column = try t.string("split_column") {
            if generator != nil { throw t.invalid("split_column", "generated data have no split column; use 'fractions'") }
            if task == .classification && column != "split" { throw t.invalid("split_column", "classification files use the 'split' column") }
            split = .column(column)
        }
        if let f = try t.doubles("fractions") {
            guard f.count == 3 else { throw t.invalid("fractions", "needs three numbers [train, validation, test], found \(f.count)") }
            if task == .classification { throw t.invalid("fractions", "classification files are split by their 'split' column") }
            do { split = .fractions(try SplitFractions(train: f[0], validation: f[1], test: f[2])) } catch {
                throw t.invalid("fractions", "\(f.map(\.formatted)) must be non-negative, with train and test > 0, and sum to 1")
            }
        }
        let validationFraction = try t.double("validation_fraction") ?? DataSplit.defaultValidationFraction
        guard validationFraction > 0 && validationFraction < 1 else { throw t.invalid("validation_fraction", "must lie strictly between 0 and 1") }

        let warmup = try t.int("warmup", atLeast: 0)
        let horizon = try t.int("horizon", atLeast: 1)
        if horizon != nil && task != .prediction && task != .forecast {
            throw t.invalid("horizon", "applies to prediction and forecast tasks, not \(task.rawValue)")
        }
        let context = try t.int("context", atLeast: 1)
        if context != nil && task != .prediction && task != .forecast {
            throw t.invalid("context", "applies to prediction and forecast tasks, not \(task.rawValue)")
        }
        let timeColumn = try t.string("time_column")
        if timeColumn != nil && (path == nil || task != .forecast) { throw t.invalid("time_column", "applies to forecast tasks on a CSV path") }
        let layout = try t.choice("layout", "classification layout", as: ClassificationLayout.self)
        if layout != nil && (path == nil || task != .classification) { throw t.invalid("layout", "applies to classification tasks on a CSV path") }
        let season = try t.int("season", atLeast: 1)

        var source: DatasetSource = .catalog(name)
        if let path { source = .file(path) }
        if let generator { source = .generator(try parseGenerator(t, kind: generator)) }
        return DatasetSpec(name: name, source: source, task: task, inputs: inputs, outputs: outputs, split: split,
                           validationFraction: validationFraction, warmup: warmup, horizon: horizon ?? 1, context: context,
                           normalize: try t.bool("normalize") ?? true, timeColumn: timeColumn,
                           layout: path != nil && task == .classification ? (layout ?? .wide) : nil, season: season,
                           line: t.headerLine, index: index)
    }

    /// The generator options of the table: types, ranges, and the checks that involve two.
    static func parseGenerator(_ t: TOMLTableReader, kind: GeneratorKind) throws(ExperimentError) -> GeneratorSpec {
        var options: [String: ParameterValue] = [:]
        for option in kind.options {
            guard let value = try t.parameter(option.key) else { continue }
            guard option.type.accepts(value) else { throw t.wrongType(option.key, option.type.rawValue) }
            if let reason = option.constraint.violation(value) { throw t.invalid(option.key, "\(reason), found \(value)") }
            options[option.key] = value
        }
        let spec = GeneratorSpec(kind: kind, options: options)
        if let (key, reason) = spec.inconsistency { throw t.invalid(key, reason) }
        return spec
    }
}
