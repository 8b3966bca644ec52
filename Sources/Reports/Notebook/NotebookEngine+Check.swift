// NotebookEngine+Check.swift — `check`: is every committed output what a fresh run produces?
//
// A notebook is up to date when
//  1. every lab block has an output section, no section is an orphan, and each section's digest
//     is its block's (the block was not edited after the output was generated);
//  2. re-executed, every block's output matches the committed one after masking volatile values
//     (VolatileMask.swift), token by token (TokenComparison.swift: text exactly, numbers up to
//     rounding noise) — a difference is shown as a line diff of the committed and fresh text;
//  3. every file the blocks write exists and matches the fresh one token by token, SVG pixel
//     coordinates also within 0.05 px. Files of blocks with the `volatile-figures` option are
//     only required to exist.
// A slow notebook (`<!-- sslab:notebook slow -->`) is checked for 1 only when `executeSlow` is
// false. Checking never modifies the notebook or its folder.

import Foundation

/// One reason a notebook is out of date.
public struct NotebookProblem: Equatable, Sendable {
    /// 1-based line in the notebook.
    public var line: Int
    public var message: String
    /// Diff lines (`- committed`, `+ fresh`, `  context`), possibly empty.
    public var diff: [String]
}

/// The verdict of `check` on one notebook.
public struct NotebookCheckReport: Equatable, Sendable {
    public var path: String
    public var blocks: Int
    /// False when the notebook is slow and was not executed.
    public var executed: Bool
    public var problems: [NotebookProblem]
    public var isUpToDate: Bool { problems.isEmpty }

    /// The report as text: one summary line, then each problem with its diff.
    public var rendered: String {
        guard !isUpToDate else {
            return "\(path): up to date (\(blocks) block\(blocks == 1 ? "" : "s")\(executed ? "" : ", slow: digests only, not executed"))\n"
        }
        var out = "\(path): OUT OF DATE (\(problems.count) problem\(problems.count == 1 ? "" : "s")); run `sslab notebook run \(path)`\n"
        for p in problems {
            out += "\(path):\(p.line): \(p.message)\n"
            for d in p.diff { out += "    " + d + "\n" }
        }
        return out
    }
}

extension NotebookEngine {
    /// Checks the notebook at `path` (see the file header). Slow notebooks are re-executed only
    /// when `executeSlow`.
    /// - Throws: `NotebookError` when the notebook cannot be read or a block fails.
    public func check(path: String, executeSlow: Bool = true) throws(NotebookError) -> NotebookCheckReport {
        let document = try NotebookDocument(contentsOf: path)
        var problems: [NotebookProblem] = []
        for o in document.orphans {
            problems.append(NotebookProblem(line: o.beginLine, message: "output section follows no lab block", diff: []))
        }
        for b in document.blocks {
            guard let out = b.output else {
                problems.append(NotebookProblem(line: b.openingLine, message: "block \(b.ordinal) has no output section yet", diff: []))
                continue
            }
            if out.digest != b.digest {
                problems.append(NotebookProblem(line: b.openingLine, message: "block \(b.ordinal) was edited after its output was generated (digest \(out.digest ?? "none"), block \(b.digest))", diff: []))
            }
        }
        let execute = executeSlow || !document.isSlow
        if execute {
            let execution = try self.execute(document)
            defer { execution.workspace.discard() }
            for b in document.blocks {
                guard let fresh = execution.sections[b.ordinal] else { continue }
                if let out = b.output {
                    let old = Array(out.lines.dropFirst().dropLast())
                    let new = Array(fresh.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropFirst().dropLast())
                    let mask = VolatileMask(volatile: b.options.volatile, roundoff: b.options.roundoff)
                    let (maskedOld, maskedNew) = (mask.apply(old), mask.apply(new))
                    if !TokenComparison.linesMatch(maskedOld, maskedNew) {
                        problems.append(NotebookProblem(line: out.beginLine, message: "output of block \(b.ordinal) (line \(b.openingLine)) differs from a fresh run",
                                                        diff: LineDiff.hunks(old: old, new: new, maskedOld: maskedOld, maskedNew: maskedNew)))
                    }
                }
                for file in execution.files[b.ordinal] ?? [] {
                    if let message = compareFile(file, workspace: execution.workspace, contentChecked: !b.options.volatileFigures) {
                        problems.append(NotebookProblem(line: b.output?.beginLine ?? b.openingLine, message: message, diff: []))
                    }
                }
            }
        }
        return NotebookCheckReport(path: path, blocks: document.blocks.count, executed: execute,
                                   problems: problems.sorted { $0.line < $1.line })
    }

    /// `nil` when the committed `file` matches the fresh one, else what is wrong.
    private func compareFile(_ file: String, workspace: NotebookWorkspace, contentChecked: Bool) -> String? {
        let committed = workspace.url(file)
        guard let old = try? String(contentsOf: committed, encoding: .utf8) else {
            return FileManager.default.fileExists(atPath: committed.path) ? "\(file) is not UTF-8 text" : "\(file) is missing (a fresh run writes it)"
        }
        guard contentChecked, let temp = workspace.kept[file], let new = try? String(contentsOf: workspace.url(temp), encoding: .utf8) else {
            return nil
        }
        let pixels: ((Double, Double) -> Bool)? = file.lowercased().hasSuffix(".svg") ? { abs($0 - $1) <= 0.05 } : nil
        return TokenComparison.firstDifference(old, new, extra: pixels).map { "\(file) differs from a fresh run: \($0)" }
    }
}
