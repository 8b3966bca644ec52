// DatasetBuilder.swift — turns a `DatasetSpec` into data: a catalog dataset (with the
// experiment's overrides), a CSV file, or generated data.
//
// Generated data use `SplitMix64(seed:)` with the run's seed, so the same seed gives the same
// dataset. The random stable LTI generator lives in the StateSpace module; the runner passes
// it in as `ltiFactory`, and without it an "lti" dataset is an error.

import Foundation
import LinearAlgebra

/// A problem building a dataset that is not in a data file or in the experiment's syntax.
public enum DatasetBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The generator exists but is not available in this build (`lti` without a factory).
    case generatorUnavailable(file: String, line: Int, generator: String, reason: String)
    /// The split cannot be made (a part would be empty, …).
    case split(file: String, line: Int, dataset: String, reason: String)

    public var description: String {
        switch self {
        case let .generatorUnavailable(file, line, generator, reason):
            return "\(file):\(line): generator '\(generator)' is not available: \(reason)"
        case let .split(file, line, dataset, reason):
            return "\(file):\(line): dataset '\(dataset)': \(reason)"
        }
    }
}

/// Builds the data of experiment datasets.
public struct DatasetBuilder: Sendable {
    /// Makes the system of an `lti` generator from its options and the run's generator.
    public typealias LTIFactory = @Sendable (GeneratorSpec, inout SplitMix64) throws -> any SystemSimulator

    public var directories: DataDirectories
    public var ltiFactory: LTIFactory?

    public init(directories: DataDirectories, ltiFactory: LTIFactory? = nil) {
        self.directories = directories
        self.ltiFactory = ltiFactory
    }

    /// The data of `spec` (a dataset of `experiment`) for `seed`.
    /// - Throws: `DataFileError` (files), `DatasetBuildError`, `SplitError`.
    public func build(_ spec: DatasetSpec, of experiment: ExperimentSpec, seed: UInt64) throws -> LoadedDataset {
        let loader = DatasetLoader(directories: directories, validationFraction: spec.validationFraction)
        switch spec.source {
        case let .catalog(name):
            let entry = try DatasetCatalog.entry(name)
            switch try loader.load(name) {
            case let .io(data):
                return .io(try ioData(spec, table: data.table, inputs: spec.inputs ?? entry.inputs, outputs: spec.outputs ?? entry.outputs,
                                      defaultWarmup: entry.warmup, sampleTime: entry.sampleTime, standard: data.split, experiment))
            case let .forecast(data):
                let split = try resplit(spec, table: data.table, standard: data.split, experiment)
                var seasons = data.seasonalPeriods
                if let s = spec.season { seasons = [s] + seasons.filter { $0 != s } }
                return .forecast(try ForecastData(name: spec.name, table: data.table, valueNames: spec.outputs ?? entry.outputs,
                                                  timeKeyName: entry.timeKey, split: split, seasonalPeriods: seasons))
            case let other:
                return other
            }
        case let .file(path):
            let url = experiment.resolve(path)
            switch spec.task {
            case .classification:
                let data = spec.layout == .long ? try ClassificationData.readLong(url, name: spec.name)
                                                : try ClassificationData.readWide(url, name: spec.name)
                return .classification(try data.carvingValidation(fraction: spec.validationFraction))
            case .forecast:
                var text = SignalTable.standardTextColumns
                if let t = spec.timeColumn { text.insert(t) }
                let table = try SignalTable.read(url, textColumns: text)
                let split = try resplit(spec, table: table, standard: nil, experiment)
                return .forecast(try ForecastData(name: spec.name, table: table, valueNames: spec.outputs ?? [],
                                                  timeKeyName: spec.timeColumn, split: split, seasonalPeriods: spec.season.map { [$0] } ?? []))
            case .simulation, .prediction, .sequence:
                let table = try SignalTable.read(url)
                return .io(try ioData(spec, table: table, inputs: spec.inputs ?? [], outputs: spec.outputs ?? [], defaultWarmup: 0,
                                      sampleTime: nil, standard: nil, experiment))
            }
        case let .generator(generator):
            return try generate(spec, generator, seed: seed, experiment)
        }
    }

    /// The standard split, or the spec's column / fractions, with validation carved if absent.
    func resplit(_ spec: DatasetSpec, table: SignalTable, standard: DataSplit?, _ experiment: ExperimentSpec) throws -> DataSplit {
        let records = table.textColumns["record"]
        let split: DataSplit
        switch spec.split {
        case let .fractions(f)?:
            split = try DataSplit.byFractions(length: table.rowCount, records: records, fractions: f, source: table.source)
        case let .column(c)?:
            split = try DataSplit.byLabels(table.text(c), records: records, source: table.source)
        case nil:
            split = try standard ?? DataSplit.byLabels(table.text("split"), records: records, source: table.source)
        }
        return try split.carvingValidation(fraction: spec.validationFraction, source: table.source)
    }

    func ioData(_ spec: DatasetSpec, table: SignalTable, inputs: [String], outputs: [String], defaultWarmup: Int,
                sampleTime: Double?, standard: DataSplit?, _ experiment: ExperimentSpec) throws -> IOData {
        let split = try resplit(spec, table: table, standard: standard, experiment)
        return try IOData(name: spec.name, table: table, inputNames: inputs, outputNames: outputs, split: split,
                          warmup: spec.warmup ?? defaultWarmup, sampleTime: sampleTime)
    }

    func generate(_ spec: DatasetSpec, _ generator: GeneratorSpec, seed: UInt64, _ experiment: ExperimentSpec) throws -> LoadedDataset {
        var rng = SplitMix64(seed: seed)
        var fractions = try SplitFractions(train: 0.6, validation: 0.2, test: 0.2)
        if case let .fractions(f)? = spec.split { fractions = f }
        do {
            switch generator.kind.family {
            case .system:
                let system: any SystemSimulator
                if let s = generator.nonlinearSystem() {
                    system = s
                } else if let factory = ltiFactory {
                    system = try factory(generator, &rng)
                } else {
                    throw DatasetBuildError.generatorUnavailable(file: experiment.file, line: spec.line, generator: generator.kind.rawValue,
                                                                 reason: "the random LTI generator is provided by the StateSpace module and was not registered")
                }
                return .io(try SyntheticIO.dataset(name: spec.name, system: system, signal: generator.inputSignal,
                                                   offset: generator.double("input_offset"), length: generator.int("length"),
                                                   noiseStd: generator.double("noise_std"), fractions: fractions,
                                                   warmup: spec.warmup ?? 0, rng: &rng))
            case .series:
                let n = generator.int("length")
                let values: Matrix, names: [String]
                if generator.kind == .lorenz {
                    values = ChaoticSeries.lorenz(count: n, sampleInterval: generator.double("sample_interval"),
                                                  transient: generator.double("transient"), rng: &rng)
                    names = ["x", "y", "z"]
                } else {
                    values = .column(ChaoticSeries.mackeyGlass(count: n, tau: generator.double("tau"),
                                                               sampleInterval: generator.double("sample_interval"),
                                                               transient: generator.double("transient"), rng: &rng))
                    names = ["x"]
                }
                var data = try ChaoticSeries.forecastData(name: spec.name, values: values, channelNames: names, fractions: fractions,
                                                          seasonalPeriods: spec.season.map { [$0] } ?? [])
                if let outputs = spec.outputs {
                    data = try ForecastData(name: spec.name, table: data.table, valueNames: outputs, timeKeyName: nil, split: data.split,
                                            seasonalPeriods: data.seasonalPeriods)
                }
                return .forecast(data)
            case .sequenceTask:
                let task = generator.longRangeTask!
                let count = generator.int("count")
                let set = task.generate(count: count, rng: &rng)
                let nTrain = Int((fractions.train * Double(count)).rounded()), nVal = Int((fractions.validation * Double(count)).rounded())
                guard nTrain > 0 && nTrain + nVal < count else {
                    throw SplitError.emptyPart(source: "generator \(generator.kind.rawValue)", part: nTrain == 0 ? "train" : "test")
                }
                let ex = set.examples
                return .sequences(SequenceTaskData(name: spec.name, task: task, train: Array(ex[0..<nTrain]),
                                                   validation: Array(ex[nTrain..<(nTrain + nVal)]), test: Array(ex[(nTrain + nVal)...]),
                                                   classCount: set.classCount))
            }
        } catch let e as SplitError {
            throw DatasetBuildError.split(file: experiment.file, line: spec.line, dataset: spec.name, reason: e.description)
        }
    }
}
