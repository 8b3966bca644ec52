// PredictionFile.swift — predictions against truth for plots, in original units:
// predictions/<dataset>__<model>__seed<seed>.csv, written atomically (and, for models that are
// LTI systems, their kernels in kernels/<same name>).
//   I/O tasks: the first test segment, columns t, <output>_true, <output>_pred per output
//   forecast: every test origin and step, columns origin, h, <channel>_true, <channel>_pred
//   classification: index, true, pred (class indices)
//   sequence: the first test example, columns t, scored, y<j>_true, y<j>_pred

import Foundation
import LinearAlgebra
import Reports

enum PredictionFile {
    static func fileName(_ key: RunKey) -> String {
        func clean(_ s: String) -> String {
            String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        }
        return "predictions/\(clean(key.dataset))__\(clean(key.model))__seed\(key.seed).csv"
    }

    /// Writes the file and returns its path relative to `directory`.
    static func write(_ problem: Problem, _ prediction: Prediction, directory: URL, key: RunKey) throws -> String {
        var lines: [String] = []
        func n(_ x: Double) -> String { "\(x)" }
        switch (problem, prediction) {
        case let (.io(p), .io(pred)):
            guard let seg = p.test.first, let y = pred.first else { return "" }
            let truth = p.outputScaler.invert(seg.outputs), out = p.outputScaler.invert(y)
            let names = (0..<p.outputCount).map { "y\($0 + 1)" }
            lines.append(CSV.line(["t"] + names.flatMap { ["\($0)_true", "\($0)_pred"] }))
            for t in 0..<seg.length {
                lines.append((["\(t)"] + (0..<p.outputCount).flatMap { [n(truth[t, $0]), n(out[t, $0])] }).joined(separator: ","))
            }
        case let (.forecast(p), .forecast(pred)):
            let raw = p.scaler.invert(p.series)
            let names = (0..<p.channelCount).map { "x\($0 + 1)" }
            lines.append(CSV.line(["origin", "h"] + names.flatMap { ["\($0)_true", "\($0)_pred"] }))
            for (o, f) in zip(p.testOrigins, pred) {
                let out = p.scaler.invert(f)
                for h in 0..<p.horizon {
                    lines.append((["\(o)", "\(h + 1)"] + (0..<p.channelCount).flatMap { [n(raw[o + h, $0]), n(out[h, $0])] }).joined(separator: ","))
                }
            }
        case let (.classification(p), .classification(labels)):
            lines.append("index,true,pred")
            for (i, (e, l)) in zip(p.test, labels).enumerated() { lines.append("\(i),\(e.label),\(l)") }
        case let (.sequence(p), .sequence(pred)):
            guard let ex = p.test.first, let y = pred.first else { return "" }
            lines.append(CSV.line(["t", "scored"] + (0..<ex.targets.cols).flatMap { ["y\($0 + 1)_true", "y\($0 + 1)_pred"] }))
            for t in 0..<ex.targets.rows {
                lines.append((["\(t)", ex.scored[t] ? "1" : "0"] + (0..<ex.targets.cols).flatMap { [n(ex.targets[t, $0]), n(y[t, $0])] }).joined(separator: ","))
            }
        default:
            return ""
        }
        let relative = fileName(key)
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: directory.appendingPathComponent(relative).path)
        return relative
    }

    /// kernels/<dataset>__<model>__seed<seed>.csv: column k, then one column per kernel.
    static func writeKernels(_ kernels: [(name: String, taps: [Double])], directory: URL, key: RunKey) throws {
        let relative = fileName(key).replacingOccurrences(of: "predictions/", with: "kernels/")
        let length = kernels.map(\.taps.count).max() ?? 0
        var lines = [CSV.line(["k"] + kernels.map(\.name))]
        for k in 0..<length {
            lines.append((["\(k)"] + kernels.map { k < $0.taps.count ? "\($0.taps[k])" : "" }).joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: directory.appendingPathComponent(relative).path)
    }
}
