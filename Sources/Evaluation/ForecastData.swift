// ForecastData.swift — a univariate (or multivariate) series to forecast, with its split.
//
// Forecast files carry a time key (year, month, week, k) and the value; the time key is kept as
// text. A forecast for a test segment may use every earlier row of the same record as history
// (the past is known when forecasting), but its targets must lie inside the segment.

import LinearAlgebra

/// Values over time to be forecast, split into train / validation / test segments.
public struct ForecastData: Sendable {
    public var name: String
    public var table: SignalTable
    /// The forecast channels.
    public var valueNames: [String]
    /// `(L, valueNames.count)`.
    public var values: Matrix
    /// Name of the time-key column, when there is one.
    public var timeKeyName: String?
    /// The time key of every row as text (`"1949-01"`, `"1700"`), when there is one.
    public var timeKeys: [String]?
    public var split: DataSplit
    /// Seasonal periods in steps, most important first (empty: non-seasonal). The first one
    /// scales MASE (`Metrics.naiveScale(season:)`), 1 when empty.
    public var seasonalPeriods: [Int]

    /// - Throws: `DataFileError.unknownColumn` for a value name that is not a numeric channel,
    ///   or a time key that is not a column.
    public init(name: String, table: SignalTable, valueNames: [String], timeKeyName: String?,
                split: DataSplit, seasonalPeriods: [Int] = []) throws(DataFileError) {
        precondition(seasonalPeriods.allSatisfy { $0 >= 1 }, "seasonal periods must be ≥ 1") // invariant: catalog / parser validate
        self.name = name
        self.table = table
        self.valueNames = valueNames
        self.values = try table.channels(valueNames)
        self.timeKeyName = timeKeyName
        if let timeKeyName {
            if let text = table.textColumns[timeKeyName] {
                timeKeys = text
            } else {
                let numbers = try table.channel(timeKeyName)
                timeKeys = numbers.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }
            }
        } else {
            timeKeys = nil
        }
        self.split = split
        self.seasonalPeriods = seasonalPeriods
    }

    /// Number of time steps.
    public var length: Int { values.rows }

    /// The season used by MASE: the first seasonal period, or 1.
    public var maseSeason: Int { seasonalPeriods.first ?? 1 }

    /// The history available before `segment`: rows from the start of its record (or of the
    /// series) up to the segment's first row.
    public func history(before segment: Segment) -> Range<Int> {
        var start = segment.range.lowerBound
        if let records = table.textColumns["record"] {
            while start > 0 && records[start - 1] == records[segment.range.lowerBound] { start -= 1 }
        } else {
            start = 0
        }
        return start..<segment.range.lowerBound
    }
}
