// DatasetBuilderTests.swift — experiment datasets become data: catalog with overrides, CSV
// files relative to the experiment, and generated data that depend only on the seed.

import Foundation
import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct DatasetBuilderTests {
    let builder = DatasetBuilder(directories: TestData.directories)

    @Test func catalogWithFractionOverride() throws {
        let spec = try ExperimentParser.parse("name = \"x\"\n[[dataset]]\nname = \"airline\"\nfractions = [0.5, 0.25, 0.25]\nseason = 12\n[[model]]\nname = \"m\"\nkind = \"mean\"\n", file: "e.toml")
        guard case let .forecast(d) = try builder.build(spec.datasets[0], of: spec, seed: 0) else { Issue.record("not forecast"); return }
        // 144 months: 72 train, 36 validation, 36 test.
        #expect(d.split.rowCount(.train) == 72 && d.split.rowCount(.validation) == 36 && d.split.rowCount(.test) == 36)
        #expect(d.maseSeason == 12)
    }

    @Test func csvFileRelativeToExperiment() throws {
        let csv = try TestData.file("io.csv", "split,u,y\n" + (0..<10).map { "\($0 < 8 ? "train" : "test"),\($0),\(2 * $0)" }.joined(separator: "\n") + "\n")
        let exp = csv.deletingLastPathComponent().appendingPathComponent("exp.toml").path
        let spec = try ExperimentParser.parse("name = \"x\"\n[[dataset]]\nname = \"io\"\npath = \"io.csv\"\ntask = \"simulation\"\ninputs = [\"u\"]\noutputs = [\"y\"]\nvalidation_fraction = 0.25\nwarmup = 1\n[[model]]\nname = \"m\"\nkind = \"arx\"\n", file: exp)
        guard case let .io(d) = try builder.build(spec.datasets[0], of: spec, seed: 0) else { Issue.record("not io"); return }
        #expect(d.split.train.map(\.range) == [0..<6] && d.split.validation.map(\.range) == [6..<8] && d.split.test.map(\.range) == [8..<10])
        #expect(d.warmup == 1)
        expectClose(d.outputs.elements, (0..<10).map { 2 * Double($0) })
        // Train-only statistics: y over rows 0..<6 = 0, 2, …, 10 → μ = 5, σ² = (25+9+1+1+9+25)/6.
        let norm = d.fitNormalization()
        expectClose(norm.outputs.mean, [5])
        expectClose(norm.outputs.scale, [(70.0 / 6).squareRoot()])
        expectClose(norm.outputs.invert(d.normalized(by: norm).outputs), d.outputs, rtol: 1e-14, atol: 1e-14)  // round trip, a few ulps
        // A channel name not in the file: the CSV error names the file and lists the channels.
        let bad = try ExperimentParser.parse("name = \"x\"\n[[dataset]]\nname = \"io\"\npath = \"io.csv\"\ntask = \"simulation\"\ninputs = [\"u2\"]\noutputs = [\"y\"]\n[[model]]\nname = \"m\"\nkind = \"arx\"\n", file: exp)
        #expect(throws: DataFileError.unknownColumn(path: csv.path, name: "u2", valid: ["u", "y"])) { try builder.build(bad.datasets[0], of: bad, seed: 0) }
    }

    @Test func generatedDataDependOnlyOnTheSeed() throws {
        let text = """
        name = "gen"
        [[dataset]]
        name = "wh"
        generator = "wiener-hammerstein"
        length = 400
        input_signal = "prbs"
        prbs_order = 6
        [[dataset]]
        name = "add"
        generator = "adding"
        length = 20
        count = 10
        [[dataset]]
        name = "mg"
        generator = "mackey-glass"
        length = 100
        [[dataset]]
        name = "lti"
        generator = "lti"
        [[model]]
        name = "m"
        kind = "mean"
        """
        let spec = try ExperimentParser.parse(text, file: "e.toml")
        guard case let .io(a) = try builder.build(spec.datasets[0], of: spec, seed: 5),
              case let .io(b) = try builder.build(spec.datasets[0], of: spec, seed: 5),
              case let .io(c) = try builder.build(spec.datasets[0], of: spec, seed: 6) else { Issue.record("not io"); return }
        #expect(a.outputs == b.outputs && a.outputs != c.outputs)
        #expect(a.inputs.elements.allSatisfy { abs($0) == 1 })  // PRBS at the default amplitude 1
        #expect(a.split.rowCount(.train) == 240)
        guard case let .sequences(s) = try builder.build(spec.datasets[1], of: spec, seed: 1) else { Issue.record("not sequences"); return }
        #expect(s.train.count == 6 && s.validation.count == 2 && s.test.count == 2 && s.classCount == nil)
        guard case let .forecast(mg) = try builder.build(spec.datasets[2], of: spec, seed: 1) else { Issue.record("not forecast"); return }
        #expect(mg.length == 100 && mg.valueNames == ["x"])
        // No LTI factory registered: a clear error at the dataset's header line (17).
        #expect(throws: DatasetBuildError.generatorUnavailable(file: "e.toml", line: 17, generator: "lti",
                                                              reason: "the random LTI generator is provided by the StateSpace module and was not registered")) {
            try builder.build(spec.datasets[3], of: spec, seed: 0)
        }
        // With a factory (here a stand-in system), lti datasets build through the same path.
        let withLTI = DatasetBuilder(directories: TestData.directories) { _, _ in WienerHammerstein() }
        guard case let .io(l) = try withLTI.build(spec.datasets[3], of: spec, seed: 0) else { Issue.record("not io"); return }
        #expect(l.length == 2000)
    }
}
