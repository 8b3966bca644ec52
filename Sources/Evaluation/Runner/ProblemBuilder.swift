// ProblemBuilder.swift — from a loaded dataset and its spec to the normalised `Problem` models see.
// Normalisation statistics come from the training part only; `normalize = false` uses the
// identity transform.

import Baselines
import LinearAlgebra

public enum ProblemBuilder {
    /// Prepares `data` for the task of `spec`.
    /// - Throws: `RunError.incompatible` when the data do not fit the task (e.g. an I/O task on a
    ///   forecast series).
    public static func make(_ data: LoadedDataset, spec: DatasetSpec) throws -> Problem {
        switch (data, spec.task) {
        case let (.io(d), .simulation), let (.io(d), .prediction):
            return .io(try ioProblem(d, spec: spec))
        case let (.forecast(d), .forecast):
            return .forecast(try forecastProblem(d, spec: spec))
        case let (.io(d), .forecast):
            // An I/O table forecast on its output channels (inputs ignored).
            let f = try ForecastData(name: d.name, table: d.table, valueNames: d.outputNames, timeKeyName: nil, split: d.split,
                                     seasonalPeriods: spec.season.map { [$0] } ?? [])
            return .forecast(try forecastProblem(f, spec: spec))
        case let (.classification(d), .classification):
            return .classification(classificationProblem(d, normalize: spec.normalize))
        case let (.sequences(d), .sequence):
            let first = d.train.first ?? d.test.first
            return .sequence(SequenceProblem(train: d.train, validation: d.validation, test: d.test, classCount: d.classCount,
                                             inputCount: first?.inputs.cols ?? 0, outputCount: first?.targets.cols ?? 0))
        default:
            throw RunError.incompatible("dataset '\(spec.name)' cannot be used for task '\(spec.task.rawValue)'")
        }
    }

    static func ioProblem(_ d: IOData, spec: DatasetSpec) throws -> IOProblem {
        let trainRows = d.split.train.map(\.range)
        let inScaler = spec.normalize ? ZScore.fit(d.inputs, rows: trainRows) : .identity(channels: d.inputs.cols)
        let outScaler = spec.normalize ? ZScore.fit(d.outputs, rows: trainRows) : .identity(channels: d.outputs.cols)
        let u = inScaler.apply(d.inputs), y = outScaler.apply(d.outputs)
        func segments(_ role: SplitRole) throws -> [IOSegment] {
            try d.split[role].enumerated().map { i, seg in
                try IOSegment(inputs: u.slicingRows(seg.range), outputs: y.slicingRows(seg.range), name: "\(role.rawValue) segment \(i + 1) of '\(d.name)'")
            }
        }
        let singleRecord = d.table.textColumns["record"].map { Set($0).count <= 1 } ?? true
        return IOProblem(task: spec.task, horizon: spec.task == .prediction ? spec.horizon : 1, warmup: d.warmup,
                         sampleTime: d.sampleTime, inputCount: d.inputs.cols, outputCount: d.outputs.cols,
                         train: try segments(.train), validation: try segments(.validation), test: try segments(.test),
                         inputScaler: inScaler, outputScaler: outScaler,
                         system: singleRecord ? d.system : nil, rawRecordInputs: singleRecord && d.system != nil ? d.inputs : nil,
                         testStarts: d.split.test.map(\.range.lowerBound))
    }

    static func forecastProblem(_ d: ForecastData, spec: DatasetSpec) throws -> ForecastProblem {
        let trainRows = d.split.train.map(\.range)
        let scaler = spec.normalize ? ZScore.fit(d.values, rows: trainRows) : .identity(channels: d.values.cols)
        var recordStart = [Int](repeating: 0, count: d.length)
        if let records = d.table.textColumns["record"] {
            for t in 1..<max(d.length, 1) where records[t] == records[t - 1] { recordStart[t] = recordStart[t - 1] }
            for t in 1..<max(d.length, 1) where records[t] != records[t - 1] { recordStart[t] = t }
        }
        let h = spec.horizon
        var origins: [Int] = []
        for seg in d.split.test {
            var o = seg.range.lowerBound
            while o + h <= seg.range.upperBound {
                if o > recordStart[o] { origins.append(o) }
                o += 1
            }
        }
        guard !origins.isEmpty else {
            throw RunError.incompatible("dataset '\(spec.name)': the test part is shorter than the horizon \(h)")
        }
        return ForecastProblem(series: scaler.apply(d.values), train: trainRows, validation: d.split.validation.map(\.range),
                               test: d.split.test.map(\.range), recordStart: recordStart, horizon: h, context: spec.context,
                               season: d.maseSeason, scaler: scaler, testOrigins: origins)
    }

    static func classificationProblem(_ d: ClassificationData, normalize: Bool) -> ClassificationProblem {
        let channels = d.channelNames.count
        let scaler = normalize && !d.train.isEmpty ? ZScore.fit(d.train.map(\.values)) : .identity(channels: channels)
        func examples(_ s: [LabeledSeries]) -> [ClassificationProblem.Example] {
            s.map { ClassificationProblem.Example(values: scaler.apply($0.values), label: $0.classIndex) }
        }
        return ClassificationProblem(classes: d.classes, channelCount: channels, train: examples(d.train),
                                     validation: examples(d.validation), test: examples(d.test))
    }
}
