// ExperimentParserTests.swift — experiment files: a good one parsed into typed specs, and bad
// ones whose errors must name the key and its line exactly.

import Foundation
import Testing
import Evaluation
import TestSupport

@Suite struct ExperimentParserTests {
    static let good = """
    # Compare model families.
    name = "evaporator-vs-families"
    seeds = [1, 2, 3]
    metrics = ["rmse", "fit"]

    [[dataset]]
    name = "evaporator"
    path = "data/evaporator.csv"        # or: generator = "lti"
    task = "simulation"
    inputs = ["u1", "u2"]
    outputs = ["y1"]
    split_column = "split"
    warmup = 50

    [[dataset]]
    name = "wh"
    generator = "wiener-hammerstein"
    length = 5000
    noise_std = 0.01
    nonlinearity = "cubic"
    fractions = [0.5, 0.25, 0.25]

    [[dataset]]
    name = "silverbox"

    [[dataset]]
    name = "airline"
    task = "forecast"
    horizon = 12
    context = 24

    [[model]]
    name = "arx-10"
    kind = "arx"
    order = 10

    [[model]]
    name = "lstm"
    kind = "lstm"
    hidden = 32
    lr = 1e-3
    dropout = 0
    """

    @Test func parsesTheIssueExample() throws {
        let spec = try ExperimentParser.parse(Self.good, file: "/x/exp.toml")
        #expect(spec.name == "evaporator-vs-families")
        #expect(spec.seeds == [1, 2, 3])
        #expect(spec.metrics == [.rmse, .fit])
        #expect(spec.datasets.count == 4 && spec.models.count == 2)
        let evap = spec.datasets[0]
        #expect(evap.source == .file("data/evaporator.csv"))
        #expect(evap.task == .simulation && evap.inputs == ["u1", "u2"] && evap.outputs == ["y1"])
        #expect(evap.split == .column("split") && evap.warmup == 50 && evap.line == 6)
        #expect(evap.normalize && evap.horizon == 1 && evap.validationFraction == 0.2)
        #expect(spec.resolve(evap.source == .file("data/evaporator.csv") ? "data/evaporator.csv" : "").path == "/x/data/evaporator.csv")
        guard case let .generator(g) = spec.datasets[1].source else { Issue.record("not a generator"); return }
        #expect(g.kind == .wienerHammerstein && g.int("length") == 5000 && g.double("noise_std") == 0.01)
        #expect(g.int("input_period") == 1024)  // a default
        #expect(spec.datasets[1].task == .simulation)
        #expect(spec.datasets[1].split == .fractions(try SplitFractions(train: 0.5, validation: 0.25, test: 0.25)))
        #expect(spec.datasets[2].source == .catalog("silverbox") && spec.datasets[2].task == .simulation && spec.datasets[2].warmup == nil)
        #expect(spec.datasets[3].horizon == 12 && spec.datasets[3].context == 24)
        let lstm = spec.models[1]
        #expect(lstm.kind == .lstm && lstm.line == 37)
        #expect(lstm.parameters == ["hidden": .int(32), "lr": .double(1e-3), "dropout": .int(0)])
        #expect(lstm.parameterLines == ["hidden": 40, "lr": 41, "dropout": 42])
        try lstm.check(against: lstm.kind.parameterSchema)
        #expect(spec.models[0].int("order", default: 1) == 10)
    }

    @Test func defaultsWhenOptionalKeysAreAbsent() throws {
        let spec = try ExperimentParser.parse("name = \"x\"\n[[dataset]]\nname = \"gunpoint\"\n[[model]]\nname = \"m\"\nkind = \"mean\"\n", file: "e.toml")
        #expect(spec.seeds == [0] && spec.metrics == nil && spec.description == nil)
        #expect(spec.datasets[0].task == .classification && spec.datasets[0].split == nil)
    }

    /// Parses `text` and returns the error.
    func error(_ text: String) -> ExperimentError? {
        do { _ = try ExperimentParser.parse(text, file: "exp.toml"); return nil } catch { return error }
    }

    static let head = "name = \"x\"\n"                                           // line 1
    static let model = "\n[[model]]\nname = \"m\"\nkind = \"mean\"\n"

    @Test func unknownTopLevelKey() {
        let e = error("name = \"x\"\nseed = 3\n" + "[[dataset]]\nname = \"nile\"\n" + Self.model)
        #expect(e == .unknownKey(file: "exp.toml", line: 2, key: "seed", table: "the top level",
                                 valid: ["dataset", "description", "metrics", "model", "name", "seeds"]))
        #expect(e?.description == "exp.toml:2: unknown key 'seed' in the top level; valid keys: dataset, description, metrics, model, name, seeds")
    }

    @Test func unknownDatasetKeyListsGeneratorOptions() {
        // line 2 [[dataset]], 3 name, 4 generator, 5 lenght
        let e = error(Self.head + "[[dataset]]\nname = \"a\"\ngenerator = \"adding\"\nlenght = 50\n" + Self.model)
        guard case let .unknownKey(_, line, key, table, valid)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(line == 5 && key == "lenght" && table == "dataset 1 ('a')")
        #expect(valid.contains("length") && valid.contains("count") && valid.contains("warmup"))
    }

    @Test func wrongTypeNamesKeyAndLine() {
        let e = error(Self.head + "[[dataset]]\nname = \"silverbox\"\nwarmup = \"50\"\n" + Self.model)
        #expect(e == .wrongType(file: "exp.toml", line: 4, key: "warmup", table: "dataset 1 ('silverbox')", expected: "an integer", found: "a string"))
        #expect(e?.description == "exp.toml:4: key 'warmup' in dataset 1 ('silverbox') must be an integer, found a string")
        let seeds = error("name = \"x\"\nseeds = 3\n[[dataset]]\nname = \"nile\"\n" + Self.model)
        #expect(seeds == .wrongType(file: "exp.toml", line: 2, key: "seeds", table: "the top level", expected: "an array of integers", found: "an integer"))
    }

    @Test func unknownDatasetNameListsCatalog() {
        let e = error(Self.head + "[[dataset]]\nname = \"evaporator\"\n" + Self.model)
        guard case let .unknownChoice(_, line, key, _, value, _, valid)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(line == 3 && key == "name" && value == "evaporator" && valid == DatasetCatalog.names)
        #expect(e!.description.hasPrefix("exp.toml:3: key 'name' in dataset 1 ('evaporator'): unknown dataset name"))
        #expect(e!.description.contains("valid: cascaded-tanks, silverbox, emps"))
    }

    @Test func unknownGeneratorTaskModelKindAndMetric() {
        let gen = error(Self.head + "[[dataset]]\nname = \"g\"\ngenerator = \"lti2\"\n" + Self.model)
        #expect(gen == .unknownChoice(file: "exp.toml", line: 4, key: "generator", table: "dataset 1 ('g')", value: "lti2",
                                      what: "generator", valid: GeneratorKind.allCases.map(\.rawValue)))
        let task = error(Self.head + "[[dataset]]\nname = \"silverbox\"\n\ntask = \"simulate\"\n" + Self.model)
        #expect(task == .unknownChoice(file: "exp.toml", line: 5, key: "task", table: "dataset 1 ('silverbox')", value: "simulate",
                                       what: "task kind", valid: ["simulation", "prediction", "forecast", "classification", "sequence"]))
        let kind = error(Self.head + "[[dataset]]\nname = \"nile\"\n\n[[model]]\nname = \"m\"\nkind = \"svm\"\n")
        #expect(kind == .unknownChoice(file: "exp.toml", line: 7, key: "kind", table: "model 1 ('m')", value: "svm", what: "model kind",
                                       valid: ["mean", "persistence", "fir", "arx", "ar", "n4sid", "oracle", "ssm", "lti", "rnn", "gru",
                                               "lstm", "transformer", "tcn", "mlp"]))
        #expect(kind?.description.hasPrefix("exp.toml:7: key 'kind' in model 1 ('m'): unknown model kind 'svm'; valid: mean, persistence, fir") == true)
        let metric = error("name = \"x\"\nmetrics = [\"rmse\", \"smape\"]\n[[dataset]]\nname = \"nile\"\n" + Self.model)
        #expect(metric == .unknownChoice(file: "exp.toml", line: 2, key: "metrics", table: "the top level", value: "smape", what: "metric",
                                         valid: MetricKind.allCases.map(\.rawValue)))
    }

    @Test func missingKeysPointAtTheTableHeader() {
        let kind = error(Self.head + "[[dataset]]\nname = \"nile\"\n\n[[model]]\nname = \"m\"\n")
        #expect(kind == .missingKey(file: "exp.toml", line: 5, key: "kind", table: "model 1 ('m')"))
        #expect(kind?.description == "exp.toml:5: model 1 ('m') is missing the required key 'kind'")
        let task = error(Self.head + "[[dataset]]\nname = \"f\"\npath = \"f.csv\"\n" + Self.model)
        #expect(task == .missingKey(file: "exp.toml", line: 2, key: "task", table: "dataset 1 ('f')"))
        #expect(error(Self.head + Self.model) == .missingKey(file: "exp.toml", line: 1, key: "dataset", table: "the top level"))
    }

    @Test func valueChecksNameTheKey() {
        let sum = error(Self.head + "[[dataset]]\nname = \"nile\"\nfractions = [0.5, 0.2, 0.2]\n" + Self.model)
        #expect(sum == .invalidValue(file: "exp.toml", line: 4, key: "fractions", table: "dataset 1 ('nile')",
                                     reason: "[\"0.5\", \"0.2\", \"0.2\"] must be non-negative, with train and test > 0, and sum to 1"))
        let both = error(Self.head + "[[dataset]]\nname = \"nile\"\nsplit_column = \"s\"\nfractions = [0.6, 0.2, 0.2]\n" + Self.model)
        #expect(both == .conflictingKeys(file: "exp.toml", line: 5, keys: ["split_column", "fractions"], table: "dataset 1 ('nile')"))
        let range = error(Self.head + "[[dataset]]\nname = \"g\"\ngenerator = \"mackey-glass\"\nlength = 5\n" + Self.model)
        #expect(range == .invalidValue(file: "exp.toml", line: 5, key: "length", table: "dataset 1 ('g')", reason: "must be ≥ 10, found 5"))
        let cross = error(Self.head + "[[dataset]]\nname = \"g\"\ngenerator = \"selective-copy\"\nlength = 20\nsymbols = 30\n" + Self.model)
        #expect(cross == .invalidValue(file: "exp.toml", line: 6, key: "symbols", table: "dataset 1 ('g')", reason: "must be ≤ length = 20, found 30"))
        let fit = error(Self.head + "[[dataset]]\nname = \"silverbox\"\ntask = \"forecast\"\n" + Self.model)
        #expect(fit == .invalidValue(file: "exp.toml", line: 4, key: "task", table: "dataset 1 ('silverbox')",
                                     reason: "task 'forecast' does not fit this dataset; valid: simulation, prediction"))
        let horizon = error(Self.head + "[[dataset]]\nname = \"silverbox\"\nhorizon = 5\n" + Self.model)
        #expect(horizon?.line == 4)
        let dup = error(Self.head + "[[dataset]]\nname = \"nile\"\n[[dataset]]\nname = \"nile\"\n" + Self.model)
        #expect(dup == .duplicateName(file: "exp.toml", line: 5, key: "name", table: "dataset 2 ('nile')", name: "nile"))
    }

    @Test func syntaxErrorCarriesParserLine() {
        let e = error("name = \"x\"\nseeds = [1, 2\n[[dataset]]\n")
        guard case let .syntax(file, line, _, _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(file == "exp.toml" && line >= 2)
        #expect(e!.description.hasPrefix("exp.toml:\(line):"))
    }

    @Test func modelParametersCheckedAgainstSchema() throws {
        let spec = try ExperimentParser.parse(Self.head + "[[dataset]]\nname = \"nile\"\n[[model]]\nname = \"g\"\nkind = \"gru\"\nhidden = 8\nhiden = 3\n", file: "e.toml")
        let m = spec.models[0]
        #expect(throws: ExperimentError.unknownKey(file: "e.toml", line: 8, key: "hiden", table: "model 1 ('g')",
                                                   valid: ["name", "kind"] + ModelKind.gru.parameterSchema.keys.sorted())) {
            try m.check(against: m.kind.parameterSchema)
        }
        let typed = try ExperimentParser.parse(Self.head + "[[dataset]]\nname = \"nile\"\n[[model]]\nname = \"a\"\nkind = \"arx\"\norder = 2.5\n", file: "e.toml")
        #expect(throws: ExperimentError.wrongType(file: "e.toml", line: 7, key: "order", table: "model 1 ('a')", expected: "an integer", found: "a float")) {
            try typed.models[0].check(against: typed.models[0].kind.parameterSchema)
        }
        let table = error(Self.head + "[[dataset]]\nname = \"nile\"\n[[model]]\nname = \"a\"\nkind = \"arx\"\nopts = { a = 1 }\n")
        #expect(table?.line == 7)
    }

    @Test func readsFromDiskAndReportsMissingFile() throws {
        let url = try TestData.file("exp.toml", Self.good)
        #expect(try ExperimentParser.parse(contentsOf: url).datasets.count == 4)
        let missing = url.deletingLastPathComponent().appendingPathComponent("none.toml")
        #expect(throws: ExperimentError.unreadable(file: missing.path, reason: "file not found")) { try ExperimentParser.parse(contentsOf: missing) }
    }
}

@Suite struct TOMLKeyLocatorTests {
    @Test func linesSkipStringsCommentsAndMultilineArrays() {
        let text = """
        name = "x"          # name = "not a key"
        seeds = [
          1,
          2, # warmup = 3
        ]
        notes = \"\"\"
        task = "inside a string"
        \"\"\"
        [[dataset]]
        "quoted key" = 1
        a.b = 2
        [dataset.options]
        depth = 3
        [[dataset]]
        name = 'two'
        """
        let loc = TOMLKeyLocator(text: text)
        #expect(loc.lines["name"] == 1 && loc.lines["seeds"] == 2 && loc.lines["notes"] == 6)
        #expect(loc.lines["warmup"] == nil && loc.lines["task"] == nil)
        #expect(loc.lines["dataset[0]"] == 9 && loc.lines["dataset[0].quoted key"] == 10 && loc.lines["dataset[0].a.b"] == 11)
        #expect(loc.lines["dataset[0].options.depth"] == 13)
        #expect(loc.lines["dataset[1].name"] == 15)
        #expect(loc.line(of: "dataset[1].missing") == 14)  // falls back to the table header
    }
}
