// ExperimentSpec.swift — the typed form of an experiment file (docs/experiment-format.md).
//
//     name = "evaporator-vs-families"
//     seeds = [1, 2, 3]
//     [[dataset]]  …  one table per dataset (catalog name, CSV path, or generator)
//     [[model]]    …  one table per model (kind + hyperparameters)
//
// Every model runs on every dataset for every seed. `ExperimentParser` builds these values and
// validates them; `DatasetBuilder` turns a `DatasetSpec` into data.

import Foundation

/// What a model is asked to do on a dataset.
public enum TaskKind: String, Sendable, CaseIterable {
    /// Free-run simulation: outputs from inputs only, from a fresh state per segment.
    case simulation
    /// k-step-ahead prediction: past measured outputs and inputs up to the target are known.
    case prediction
    /// Forecast the next `horizon` values of a series from its past.
    case forecast
    /// One label per sequence.
    case classification
    /// Sequence-to-sequence on generated long-range examples, scored at the task's marked steps.
    case sequence
}

/// How a dataset is split.
public enum SplitSpec: Sendable, Equatable {
    /// By the labels of a text column (`train`, `val`/`validation`, `test`, `test_…`).
    case column(String)
    /// By time fractions within each record.
    case fractions(SplitFractions)
}

/// Where a dataset's data come from.
public enum DatasetSource: Sendable, Equatable {
    /// A dataset of `DatasetCatalog`, by name.
    case catalog(String)
    /// A CSV file; relative paths are taken from the experiment file's directory.
    case file(String)
    /// Data generated with the experiment's seed.
    case generator(GeneratorSpec)
}

/// One `[[dataset]]` table.
public struct DatasetSpec: Sendable, Equatable {
    public var name: String
    public var source: DatasetSource
    public var task: TaskKind
    /// Input channel names (sysid); nil: the catalog's or none.
    public var inputs: [String]?
    /// Output / value channel names; nil: the catalog's.
    public var outputs: [String]?
    /// nil: the standard split (catalog), the `split` column (file), or 0.6/0.2/0.2 (generator).
    public var split: SplitSpec?
    /// Fraction of the training part carved off for validation when the split has none.
    public var validationFraction: Double
    /// Steps that initialise the state and are not scored; nil: the catalog's (else 0).
    public var warmup: Int?
    /// Prediction / forecast horizon (1 for the others).
    public var horizon: Int
    /// Context (history) length for windowed prediction and forecasting; nil: the model's choice.
    public var context: Int?
    /// Standardise channels with statistics of the training part.
    public var normalize: Bool
    /// Text time-key column of a forecast CSV.
    public var timeColumn: String?
    /// Layout of a classification CSV.
    public var layout: ClassificationLayout?
    /// Season for MASE and seasonal baselines; nil: the catalog's first period (else 1).
    public var season: Int?
    /// Line of the `[[dataset]]` header.
    public var line: Int
    /// 1-based position among the datasets.
    public var index: Int

    /// "dataset 2 ('silverbox')", as used in messages.
    public var tableName: String { "dataset \(index) ('\(name)')" }
}

/// A whole experiment file.
public struct ExperimentSpec: Sendable, Equatable {
    /// The file it was read from (for messages and relative paths).
    public var file: String
    public var name: String
    public var description: String?
    /// One run per seed; default [0].
    public var seeds: [UInt64]
    /// Metrics to report; nil: the runner's default for each task.
    public var metrics: [MetricKind]?
    public var datasets: [DatasetSpec]
    public var models: [ModelSpec]

    /// `path` taken relative to the directory of the experiment file (absolute paths unchanged).
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
    }
}
