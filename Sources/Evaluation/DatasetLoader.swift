// DatasetLoader.swift — loads catalog datasets with their standard splits.
//
// Standard splits come from the `split` column of each file (datasets/README.md). Where a file
// has only train and test, validation is carved from the END of the training part by
// `validationFraction` (default `DataSplit.defaultValidationFraction` = 0.2): the last 20 % of
// the training rows (sysid, forecast) or training series (classification).

import Foundation
import LinearAlgebra

/// A loaded dataset of any family.
public enum LoadedDataset: Sendable {
    case io(IOData)
    case forecast(ForecastData)
    case classification(ClassificationData)
    /// Generated long-range sequence examples.
    case sequences(SequenceTaskData)
}

/// Reads catalog datasets from `directories`.
public struct DatasetLoader: Sendable {
    public var directories: DataDirectories
    /// Fraction of the training part carved off as validation when a file has none.
    public var validationFraction: Double

    public init(directories: DataDirectories, validationFraction: Double = DataSplit.defaultValidationFraction) {
        self.directories = directories
        self.validationFraction = validationFraction
    }

    /// Loads the catalog dataset `name`.
    /// - Throws: `DataFileError.unknownDataset`, `.missingDataDirectory` (local-only data not
    ///   fetched), `.checksumMismatch` naming the file, any CSV error, or a `SplitError`.
    public func load(_ name: String) throws -> LoadedDataset {
        let entry = try DatasetCatalog.entry(name)
        switch entry.family {
        case .systemIdentification: return .io(try loadIO(entry))
        case .forecast: return .forecast(try loadForecast(entry))
        case .classification: return .classification(try loadClassification(entry))
        }
    }

    /// Verifies a local-only file against `DatasetCatalog.sysidChecksums`.
    /// - Throws: `.missingDataDirectory`, `.missingFile`, `.checksumMismatch`.
    public func verify(_ entry: CatalogEntry) throws(DataFileError) {
        guard entry.location == .sysid, let expected = DatasetCatalog.sysidChecksums[entry.fileName] else { return }
        guard directories.hasSysidDirectory else {
            throw .missingDataDirectory(path: directories.sysid.path,
                                        hint: "run datasets/fetch-sysid.sh, or point \(DataDirectories.environmentVariable) (or --data-dir) at the directory holding the sysid CSV files")
        }
        let url = directories.url(of: entry)
        let actual = try SHA256.hex(ofFile: url)
        guard actual == expected else { throw .checksumMismatch(path: url.path, expected: expected, actual: actual) }
    }

    /// Loads a system-identification entry (checksum verified).
    public func loadIO(_ entry: CatalogEntry) throws -> IOData {
        precondition(entry.family == .systemIdentification, "\(entry.name) is not a sysid dataset") // invariant: programmer misuse
        try verify(entry)
        let table = try SignalTable.read(directories.url(of: entry))
        let split = try DataSplit.byLabels(table.text("split"), records: table.textColumns["record"], source: table.source)
            .carvingValidation(fraction: validationFraction, source: table.source)
        return try IOData(name: entry.name, table: table, inputNames: entry.inputs, outputNames: entry.outputs,
                          split: split, warmup: entry.warmup, sampleTime: entry.sampleTime)
    }

    /// Loads a forecast entry; its time key is kept as text.
    public func loadForecast(_ entry: CatalogEntry) throws -> ForecastData {
        precondition(entry.family == .forecast, "\(entry.name) is not a forecast dataset") // invariant: programmer misuse
        var textColumns = SignalTable.standardTextColumns
        if let key = entry.timeKey { textColumns.insert(key) }
        let table = try SignalTable.read(directories.url(of: entry), textColumns: textColumns)
        let split = try DataSplit.byLabels(table.text("split"), records: table.textColumns["record"], source: table.source)
            .carvingValidation(fraction: validationFraction, source: table.source)
        return try ForecastData(name: entry.name, table: table, valueNames: entry.outputs, timeKeyName: entry.timeKey,
                                split: split, seasonalPeriods: entry.seasonalPeriods)
    }

    /// Loads a classification entry in its layout.
    public func loadClassification(_ entry: CatalogEntry) throws -> ClassificationData {
        precondition(entry.family == .classification, "\(entry.name) is not a classification dataset") // invariant: programmer misuse
        let url = directories.url(of: entry)
        let data = entry.layout == .long ? try ClassificationData.readLong(url, name: entry.name)
                                         : try ClassificationData.readWide(url, name: entry.name)
        return try data.carvingValidation(fraction: validationFraction)
    }
}
