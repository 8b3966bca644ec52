// ClassificationData.swift — labelled sequences for sequence classification.
//
// Two file layouts (datasets/README.md):
//  * wide, univariate: `split,label,x0,…,x{L-1}`, one series per row;
//  * long, multivariate: `split,series_id,label,t,ch0,…,ch{D-1}`, one row per time step, rows
//    of a series contiguous, `t` = 0, 1, 2, … within it; series may differ in length.

import Foundation
import LinearAlgebra

/// One labelled series.
public struct LabeledSeries: Sendable {
    /// `series_id` (long layout) or the 0-based data-row index (wide layout), as text.
    public var id: String
    /// The class label as written in the file.
    public var label: String
    /// Index of `label` in `ClassificationData.classes`.
    public var classIndex: Int
    /// `(T, D)`, time-major.
    public var values: Matrix
    /// 1-based line of the series' first row in the file.
    public var line: Int
    /// The split label as written in the file.
    public var splitLabel: String
}

/// Labelled series split into train / validation / test.
public struct ClassificationData: Sendable {
    public var name: String
    public var source: String
    /// Class labels; numeric labels sort numerically, others lexicographically.
    public var classes: [String]
    /// Channel names (`["x"]` for the wide layout).
    public var channelNames: [String]
    public var train: [LabeledSeries]
    public var validation: [LabeledSeries]
    public var test: [LabeledSeries]

    /// The series of `role`.
    public subscript(role: SplitRole) -> [LabeledSeries] {
        switch role {
        case .train: return train
        case .validation: return validation
        case .test: return test
        }
    }

    /// Sorts class labels: numerically when every label is an integer, else lexicographically.
    public static func orderedClasses(_ labels: some Sequence<String>) -> [String] {
        let unique = Array(Set(labels))
        if unique.allSatisfy({ Int($0) != nil }) { return unique.sorted { Int($0)! < Int($1)! } }
        return unique.sorted()
    }

    /// Reads the wide layout: `split`, `label`, then the value columns in file order.
    /// - Throws: `DataFileError` for a missing `split`/`label` column, a bad cell, or a split
    ///   without train or test series.
    public static func readWide(_ url: URL, name: String) throws -> ClassificationData {
        let csv = try CSVTable.read(url)
        let splits = try csv.text("split"), labels = try csv.text("label")
        let valueNames = csv.header.filter { $0 != "split" && $0 != "label" }
        guard !valueNames.isEmpty else { throw DataFileError.invalidStructure(path: csv.path, reason: "no value columns after split and label") }
        let x = try csv.matrix(valueNames)
        let classes = orderedClasses(labels)
        var series: [LabeledSeries] = []
        for r in 0..<csv.rowCount {
            series.append(LabeledSeries(id: String(r), label: labels[r], classIndex: classes.firstIndex(of: labels[r])!,
                                        values: Matrix(rows: valueNames.count, cols: 1, elements: x.row(r)),
                                        line: csv.lineNumbers[r], splitLabel: splits[r]))
        }
        return try assemble(name: name, source: csv.path, classes: classes, channelNames: ["x"], series: series)
    }

    /// Reads the long layout: `split`, `series_id`, `label`, `t`, then the channels.
    /// - Throws: `DataFileError.invalidValue` naming the line when a series' label or split
    ///   changes, when `t` does not count 0, 1, 2, …, or when a series id reappears later.
    public static func readLong(_ url: URL, name: String) throws -> ClassificationData {
        let csv = try CSVTable.read(url)
        let splits = try csv.text("split"), ids = try csv.text("series_id"), labels = try csv.text("label")
        let t = try csv.numbers("t")
        let channelNames = csv.header.filter { !["split", "series_id", "label", "t"].contains($0) }
        guard !channelNames.isEmpty else { throw DataFileError.invalidStructure(path: csv.path, reason: "no channel columns after split, series_id, label, t") }
        let x = try csv.matrix(channelNames)
        let classes = orderedClasses(labels)
        var series: [LabeledSeries] = []
        var seen = Set<String>()
        var start = 0
        while start < csv.rowCount {
            let id = ids[start]
            guard seen.insert(id).inserted else {
                throw DataFileError.invalidValue(path: csv.path, line: csv.lineNumbers[start], column: "series_id", value: id,
                                                 reason: "series appears again after other series (rows of a series must be contiguous)")
            }
            var end = start
            while end < csv.rowCount && ids[end] == id {
                let line = csv.lineNumbers[end]
                if labels[end] != labels[start] {
                    throw DataFileError.invalidValue(path: csv.path, line: line, column: "label", value: labels[end],
                                                     reason: "label changes within series \(id) (was '\(labels[start])')")
                }
                if splits[end] != splits[start] {
                    throw DataFileError.invalidValue(path: csv.path, line: line, column: "split", value: splits[end],
                                                     reason: "split changes within series \(id) (was '\(splits[start])')")
                }
                if t[end] != Double(end - start) {
                    throw DataFileError.invalidValue(path: csv.path, line: line, column: "t", value: csv.cells[csv.header.firstIndex(of: "t")!][end],
                                                     reason: "expected time index \(end - start) within series \(id)")
                }
                end += 1
            }
            series.append(LabeledSeries(id: id, label: labels[start], classIndex: classes.firstIndex(of: labels[start])!,
                                        values: x.slicingRows(start..<end), line: csv.lineNumbers[start], splitLabel: splits[start]))
            start = end
        }
        return try assemble(name: name, source: csv.path, classes: classes, channelNames: channelNames, series: series)
    }

    private static func assemble(name: String, source: String, classes: [String], channelNames: [String],
                                 series: [LabeledSeries]) throws -> ClassificationData {
        var data = ClassificationData(name: name, source: source, classes: classes, channelNames: channelNames,
                                      train: [], validation: [], test: [])
        for s in series {
            switch SplitRole(label: s.splitLabel) {
            case .train?: data.train.append(s)
            case .validation?: data.validation.append(s)
            case .test?: data.test.append(s)
            case nil: break
            }
        }
        if data.train.isEmpty { throw SplitError.emptyPart(source: source, part: "train") }
        if data.test.isEmpty { throw SplitError.emptyPart(source: source, part: "test") }
        return data
    }

    /// This data with a validation part carved from the training series when it has none:
    /// stratified by class, the LAST ⌊fraction · n_c⌉ series of each class c (file order), so a
    /// file sorted by class still validates on every class. The total is ⌊fraction · N_train⌉
    /// (largest remainders decide the rounding); unchanged when it has validation series.
    /// - Throws: `SplitError.invalidValidationFraction` unless 0 < fraction < 1; `.emptyPart`
    ///   when rounding leaves train or validation empty.
    public func carvingValidation(fraction: Double = DataSplit.defaultValidationFraction) throws(SplitError) -> ClassificationData {
        guard fraction > 0 && fraction < 1 else { throw .invalidValidationFraction(fraction) }
        if !validation.isEmpty { return self }
        let n = Int((fraction * Double(train.count)).rounded())
        if n == 0 { throw .emptyPart(source: source, part: "validation") }
        if n >= train.count { throw .emptyPart(source: source, part: "train") }
        // Per-class quotas by largest remainders, summing to n.
        var members: [Int: [Int]] = [:]
        for (i, s) in train.enumerated() { members[s.classIndex, default: []].append(i) }
        let classes = members.keys.sorted()
        let exact = classes.map { fraction * Double(members[$0]!.count) }
        var quota = exact.map { Int($0.rounded(.down)) }
        let order = classes.indices.sorted { (exact[$0] - Double(quota[$0]), -$0) > (exact[$1] - Double(quota[$1]), -$1) }
        var k = 0
        while quota.reduce(0, +) < n && k < order.count {
            let c = order[k]
            if quota[c] < members[classes[c]]!.count { quota[c] += 1 }
            k += 1
        }
        var held = Set<Int>()
        for (c, cls) in classes.enumerated() { held.formUnion(members[cls]!.suffix(quota[c])) }
        var copy = self
        copy.validation = train.indices.filter { held.contains($0) }.map { train[$0] }
        copy.train = train.indices.filter { !held.contains($0) }.map { train[$0] }
        if copy.train.isEmpty { throw .emptyPart(source: source, part: "train") }
        return copy
    }
}
