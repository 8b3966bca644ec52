// NotebookEngine.swift — executing a notebook's lab blocks in order, and `run`: putting the
// fresh outputs into the document.
//
// Execution is all or nothing. Blocks run top to bottom, each command in the notebook's folder,
// with the files it writes under temporary names (NotebookWorkspace.swift). The first command
// that fails stops the notebook: the temporary files are deleted and the error names the
// command's line. Only when every block has succeeded are the files renamed into place and the
// document written (atomically, via AtomicFile), and only if its text changed.

import Foundation

/// What `run` did to one notebook.
public struct NotebookRunSummary: Equatable, Sendable {
    public var path: String
    /// Lab blocks executed.
    public var blocks: Int
    /// Blocks whose output section text changed (new, edited, or different values).
    public var changedBlocks: Int
    /// Orphan output sections removed.
    public var removedOrphans: Int
    /// Files written beside the notebook (relative to its folder), sorted.
    public var files: [String]
    /// Whether the document itself was rewritten.
    public var documentChanged: Bool
}

/// Runs and checks Markdown notebooks. The format (lab blocks, options, markers, the check's
/// rules) is documented for authors in notebooks-md/README.md and in the files of this folder.
public struct NotebookEngine {
    public var executor: any NotebookExecutor
    /// Progress lines (one per command), e.g. for `--verbose`.
    public var log: ((String) -> Void)?

    public init(executor: any NotebookExecutor, log: ((String) -> Void)? = nil) {
        self.executor = executor
        self.log = log
    }

    /// The fresh outputs of one execution and the files behind them (not yet in place).
    struct Execution {
        var sections: [Int: String]
        /// Per block ordinal: the kept files it wrote (final names).
        var files: [Int: [String]]
        let workspace: NotebookWorkspace
    }

    /// Executes every lab block of the notebook at `path`, then puts the files in place and writes
    /// the new outputs into the document (see the file header).
    /// - Throws: `NotebookError`; on any error the notebook and its folder are unchanged.
    public func run(path: String) throws(NotebookError) -> NotebookRunSummary {
        let document = try NotebookDocument(contentsOf: path)
        let execution = try execute(document)
        let text = document.replacingOutputs(execution.sections)
        let changed = document.blocks.filter { b in
            b.output.map { $0.lines.joined(separator: "\n") } != execution.sections[b.ordinal]
        }.count
        let files = execution.files.values.flatMap { $0 }
        try execution.workspace.commit()
        let documentChanged = text != document.text
        if documentChanged {
            do { try AtomicFile.write(text, to: path) } catch { throw .write(path: path, reason: error.description) }
        }
        return NotebookRunSummary(path: path, blocks: document.blocks.count, changedBlocks: changed,
                                  removedOrphans: document.orphans.count, files: Array(Set(files)).sorted(),
                                  documentChanged: documentChanged)
    }

    /// Executes every lab block; the caller commits or discards the workspace.
    func execute(_ document: NotebookDocument) throws(NotebookError) -> Execution {
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        let workspace = NotebookWorkspace(directory: folder)
        var execution = Execution(sections: [:], files: [:], workspace: workspace)
        do {
            for block in document.blocks {
                let (chunks, files) = block.kind == .commands
                    ? try commands(block, document: document, workspace: workspace)
                    : try experiment(block, document: document, workspace: workspace)
                execution.sections[block.ordinal] = NotebookOutput.section(id: block.ordinal, digest: block.digest, chunks: chunks)
                execution.files[block.ordinal] = files
            }
        } catch {
            workspace.discard()
            throw error
        }
        return execution
    }

    /// Runs one command: maps its files, spawns it, turns a failure into an error at `line`.
    private func launch(_ arguments: [String], line: Int, display: String, document: NotebookDocument,
                        workspace: NotebookWorkspace) throws(NotebookError) -> (outcome: CommandOutcome, outputs: [String]) {
        let path = document.path
        let (args, outputs) = try workspace.prepare(arguments) { .output(path: path, line: line, message: $0) }
        log?("\(path):\(line): \(display)")
        let raw: CommandOutcome
        do { raw = try executor.run(args, in: workspace.directory) } catch {
            throw .commandFailed(path: path, line: line, command: display, status: nil, detail: "\(error)")
        }
        let outcome = CommandOutcome(status: raw.status, stdout: workspace.restore(raw.stdout), stderr: workspace.restore(raw.stderr))
        guard outcome.status == 0 else {
            let last = outcome.stderr.split(separator: "\n").last { !String($0).trimmingBlanks().isEmpty }.map(String.init) ?? ""
            throw .commandFailed(path: path, line: line, command: display, status: outcome.status, detail: last.trimmingBlanks())
        }
        for o in outputs where !workspace.wroteFile(o) {
            throw .output(path: path, line: line, message: "`\(display)` succeeded but did not write \(o)")
        }
        return (outcome, outputs)
    }

    /// A `sslab` block: each command's output as Markdown, or one plot of all of them.
    private func commands(_ block: LabBlock, document: NotebookDocument,
                          workspace: NotebookWorkspace) throws(NotebookError) -> ([String], [String]) {
        var chunks: [String] = [], files: [String] = [], csvs: [PlotInput] = []
        var wrote: [String] = []   // files of commands that printed nothing, shown on one line
        func flush() { if !wrote.isEmpty { chunks.append(NotebookOutput.wrote(wrote)); wrote = [] } }
        for command in block.commands {
            let (outcome, outputs) = try launch(command.arguments, line: command.line, display: command.display,
                                                document: document, workspace: workspace)
            files += outputs
            if let plot = block.options.plot {
                csvs.append(PlotInput(csv: outcome.stdout, label: command.label, line: command.line))
                if !plot.showsOutput { continue }
            }
            let text = NotebookOutput.printed(stdout: outcome.stdout, stderr: block.options.showStderr ? outcome.stderr : nil,
                                              head: block.options.head)
            let images = outputs.filter { $0.lowercased().hasSuffix(".svg") }, others = outputs.filter { !$0.lowercased().hasSuffix(".svg") }
            if text.isEmpty && images.isEmpty { wrote += others; continue }
            flush()
            var parts = text + images.map { NotebookOutput.image($0, alt: command.label) }
            if !others.isEmpty { parts.append(NotebookOutput.wrote(others)) }
            if block.commands.count > 1 && !text.isEmpty { parts.insert(NotebookOutput.introduction(command), at: 0) }
            chunks.append(parts.joined(separator: "\n\n"))
        }
        flush()
        if let plot = block.options.plot {
            let path = document.path
            let figure = try NotebookPlot.plot(csvs, options: plot) { .output(path: path, line: $0, message: $1) }
            let name = try workspace.prepare(["--output", plot.file]) { .output(path: path, line: block.openingLine, message: $0) }
            let target = workspace.url(name.arguments[1]).path
            do { try figure.write(to: target) } catch { throw .write(path: target, reason: error.description) }
            files.append(plot.file)
            chunks.append(NotebookOutput.image(plot.file, alt: plot.title))
        }
        return (chunks, files)
    }

    /// A `sslab-experiment` block: the TOML is written to a scratch file in the notebook's folder
    /// (so relative dataset paths resolve there), run into the scratch folder `results/NAME`, and
    /// tabulated with `sslab table --format md`.
    private func experiment(_ block: LabBlock, document: NotebookDocument,
                            workspace: NotebookWorkspace) throws(NotebookError) -> ([String], [String]) {
        let name = block.options.experimentName ?? "experiment"
        let toml = try workspace.scratchFile(name + ".toml", contents: block.body.joined(separator: "\n") + "\n")
        let results = "results/" + name
        let display = "sslab run \(name).toml --out \(results)"
        do {
            _ = try launch(["run", toml, "--out", results], line: block.openingLine, display: display,
                           document: document, workspace: workspace)
        } catch let .commandFailed(path, line, command, status, detail) {
            // Errors in the TOML name `NAME.toml:LINE:`; point at the notebook's line instead.
            let prefix = name + ".toml:"
            if detail.contains(prefix), let range = detail.range(of: prefix),
               let n = Int(detail[range.upperBound...].prefix { $0.isNumber }) {
                throw .commandFailed(path: path, line: block.openingLine + n, command: command, status: status,
                                     detail: String(detail[detail.startIndex..<range.lowerBound]) + "experiment line \(n)" + detail[range.upperBound...].drop { $0.isNumber })
            }
            throw .commandFailed(path: path, line: line, command: command, status: status, detail: detail)
        }
        var table = ["table", results, "--format", "md"]
        if let m = block.options.metric { table += ["--metric", m] }
        if let b = block.options.by { table += ["--by", b] }
        let (outcome, _) = try launch(table, line: block.openingLine, display: "sslab " + table.joined(separator: " "),
                                      document: document, workspace: workspace)
        return (NotebookOutput.printed(stdout: outcome.stdout, stderr: nil, head: nil), [])
    }
}
