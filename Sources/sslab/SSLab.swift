// SSLab.swift — the `sslab` command: argument parsing and wiring only; every computation lives
// in the libraries. Errors from user input end as one line on stderr ("sslab: …") and exit 1;
// output files are written atomically, so a failed command leaves none behind.

import ArgumentParser
import Foundation
import StateSpaceLab

@main
struct SSLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sslab",
        abstract: "StateSpaceLab: simulate, analyse and compare state-space and sequence models.",
        discussion: """
        A discrete LTI system x[k+1] = A x[k] + B u[k], y[k] = C x[k] + D u[k] is both a linear RNN
        (run the recursion) and a CNN (convolve with its kernel h[0] = D, h[k] = C A^(k-1) B).
        Systems are JSON files {"A": [[..]], "B": …, "C": …, "D": …, "dt": 0.1} (no dt: continuous).
        Signals are CSV files with a header row, one row per step, one column per channel.
        """,
        version: "0.1.0",
        subcommands: [C2D.self, D2C.self, Simulate.self, Impulse.self, Step.self, KernelCommand.self,
                      FreqResp.self, Bode.self, Analyze.self, Reduce.self, CompareModes.self,
                      Run.self, TableCommand.self, Plot.self, NotebookCommandGroup.self, SSMKernel.self, GradientLagCommand.self, Demo.self, Bench.self, Info.self])

    /// Runs the command; user errors become one stderr line and exit status 1, usage errors
    /// exit 64 (EX_USAGE); help and version go through ArgumentParser.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit { exit(withError: error) }
            if let e = error as? ValidationError { fail(e.message, code: 64) }
            let message = userMessage(error)
            fail(message, code: isUsageError(error) ? 64 : 1)
        }
    }

    static func isUsageError(_ error: Error) -> Bool {
        !(error is CLIError || error is StateSpaceError || error is SystemFileError || error is DataFileError
          || error is AtomicFileError || error is LinearAlgebraError || error is ExperimentError || error is RunError
          || error is ResultStoreError || error is DatasetBuildError || error is SplitError || error is TableError)
    }

    static func userMessage(_ error: Error) -> String {
        switch error {
        case let e as CustomStringConvertible where !isUsageError(error): return e.description
        default:
            // ArgumentParser's own message, first line only (no usage block).
            let text = message(for: error)
            return text.split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        let line = "sslab: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        Foundation.exit(code)
    }
}

/// An error the CLI itself raises (a flag combination, a file that is not what a command needs).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
