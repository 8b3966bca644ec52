// NotebookCommands.swift — `sslab notebook run|check`: Markdown notebooks whose tables and
// figures the lab regenerates (the engine is Reports' NotebookEngine).

import ArgumentParser
import Foundation
import StateSpaceLab

struct NotebookCommandGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run or check Markdown notebooks whose lab blocks regenerate their tables and figures.",
        discussion: """
        A lab block is a fenced code block with info string `sslab` (one sslab command line per \
        line) or `sslab-experiment name=NAME` (an inline TOML experiment). Its output goes between \
        <!-- sslab:begin … --> and <!-- sslab:end --> right after the block. See \
        notebooks-md/README.md for the block options and the rules of the check.
        """,
        subcommands: [NotebookRun.self, NotebookCheck.self])
}

/// The `sslab` executable that notebook commands spawn: this very process's binary.
func notebookEngine(verbose: Bool) throws -> NotebookEngine {
    guard let exe = ProcessExecutor.currentExecutable() else { throw CLIError("cannot find the path of the running sslab executable") }
    let log: ((String) -> Void)? = verbose ? { FileHandle.standardError.write(Data(("notebook: " + $0 + "\n").utf8)) } : nil
    return NotebookEngine(executor: ProcessExecutor(executable: exe), log: log)
}

struct NotebookRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute every lab block of each notebook and write the outputs into it.",
        discussion: """
        Blocks run in order, each command with the notebook's folder as working directory. Files \
        a command writes with --output are kept beside the notebook and linked (SVG as images). \
        If any block fails, the notebook and its folder are left unchanged and the error names \
        the line. Prose is never modified.
        Example: sslab notebook run notebooks-md/01-lti-state-space.md
        """)
    @Argument(help: "Notebook files (Markdown).") var files: [String]
    @Flag(help: "Print each command on stderr as it runs.") var verbose = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one notebook file") }
    }

    func run() throws {
        let engine = try notebookEngine(verbose: verbose)
        var failures: [String] = []
        for file in files {
            do {
                let s = try engine.run(path: file)
                let what = s.documentChanged ? "\(s.changedBlocks) output\(s.changedBlocks == 1 ? "" : "s") updated" : "unchanged"
                let orphans = s.removedOrphans > 0 ? ", \(s.removedOrphans) orphan output\(s.removedOrphans == 1 ? "" : "s") removed" : ""
                print("\(file): ran \(s.blocks) block\(s.blocks == 1 ? "" : "s"), \(what)\(orphans), \(s.files.count) file\(s.files.count == 1 ? "" : "s") written")
            } catch {
                FileHandle.standardError.write(Data("sslab: \(error.description)\n".utf8))
                failures.append(file)
            }
        }
        if !failures.isEmpty {
            throw CLIError("\(failures.count) of \(files.count) notebook\(files.count == 1 ? "" : "s") failed: \(failures.joined(separator: ", "))")
        }
    }
}

struct NotebookCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Re-execute notebooks and fail, with a diff, if a committed output is out of date.",
        discussion: """
        Compares every output section and every file the blocks write with a fresh run, after \
        masking volatile values (table columns whose header ends in seconds, _s or time; the \
        columns and lines named by a block's volatile= and roundoff= options). Nothing is \
        written. With --skip-slow, notebooks marked <!-- sslab:notebook slow --> are only checked \
        for edited blocks (digests), not executed.
        Example: sslab notebook check --skip-slow notebooks-md/*.md
        """)
    @Argument(help: "Notebook files (Markdown).") var files: [String]
    @Flag(help: "Do not execute notebooks marked slow; only check their block digests.") var skipSlow = false
    @Flag(help: "Print each command on stderr as it runs.") var verbose = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one notebook file") }
    }

    func run() throws {
        let engine = try notebookEngine(verbose: verbose)
        var stale: [String] = []
        for file in files {
            do {
                let report = try engine.check(path: file, executeSlow: !skipSlow)
                print(report.rendered, terminator: "")
                if !report.isUpToDate { stale.append(file) }
            } catch {
                FileHandle.standardError.write(Data("sslab: \(error.description)\n".utf8))
                stale.append(file)
            }
        }
        if !stale.isEmpty {
            throw CLIError("\(stale.count) of \(files.count) notebook\(files.count == 1 ? " is" : "s are") out of date or failed: \(stale.joined(separator: ", "))")
        }
    }
}
