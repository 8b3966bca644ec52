// CLIHarness.swift — runs the built `sslab` executable (golden tests of the CLI contract).

import Foundation
import TestSupport
import Testing

/// Result of one CLI run.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

enum CLI {
    /// The `sslab` binary next to the test bundle (same build configuration), else under .build.
    static let executable: URL? = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent().appendingPathComponent("sslab")) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sslab"))
        for config in ["release", "debug"] {
            candidates.append(Fixtures.packageRoot.appendingPathComponent(".build/\(config)/sslab"))
        }
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `sslab args…` in `directory` and captures its output.
    static func run(_ args: [String], in directory: URL? = nil) throws -> CLIResult {
        guard let exe = executable else {
            Issue.record("sslab executable not found next to the test bundle: build it first (`swift build -c release`)")
            return CLIResult(status: -1, stdout: "", stderr: "")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        if let directory { p.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A scratch directory with helpers to write files into it.
struct Scratch {
    let url: URL
    init() throws { url = try makeTemporaryDirectory("sslab-cli") }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
    /// Files in the directory (temporary files of a failed atomic write would show up here).
    func listing() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.sorted() ?? [] }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Parses simple CSV output (no quoting) into a header and numeric rows.
func parseNumericCSV(_ text: String) -> (header: [String], rows: [[Double]]) {
    let lines = text.split(separator: "\n").map(String.init)
    guard let first = lines.first else { return ([], []) }
    let header = first.split(separator: ",").map(String.init)
    let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }
    return (header, rows)
}
