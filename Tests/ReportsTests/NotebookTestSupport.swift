// NotebookTestSupport.swift — a stand-in for the `sslab` executable and a scratch folder, so the
// notebook engine can be tested without building or spawning anything.

import Foundation
import Reports
import TestSupport
import Testing

/// A fake `sslab` whose "commands" are interpreted here; records every call.
///   echo WORDS…          prints the words
///   table MODE SECONDS   prints a Markdown table with a volatile `seconds` column
///   fail                 exits 1 with one stderr line
///   write TEXT -o FILE   writes TEXT to FILE (as a real command would, atomically)
///   cat FILE             prints "FILE: <contents>"
///   csv [SCALE]          prints a small CSV (k, y) with y = SCALE · 2^-k
///   svg VALUE -o FILE    writes a tiny SVG containing VALUE
///   run TOML --out DIR   checks the TOML exists and creates DIR/records.jsonl
///   table DIR …          (with a folder) prints a table of that folder's records file name
final class FakeSSLab: NotebookExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [[String]] = []
    var calls: [[String]] { lock.lock(); defer { lock.unlock() }; return recorded }

    func run(_ a: [String], in dir: URL) throws -> CommandOutcome {
        lock.lock(); recorded.append(a); lock.unlock()
        func ok(_ s: String) -> CommandOutcome { CommandOutcome(status: 0, stdout: s, stderr: "") }
        func path(_ p: String) -> String { p.hasPrefix("/") ? p : dir.appendingPathComponent(p).path }
        func option(_ name: String) -> String? { a.firstIndex(of: name).flatMap { $0 + 1 < a.count ? a[$0 + 1] : nil } }
        switch a.first ?? "" {
        case "echo": return ok(a.dropFirst().joined(separator: " ") + "\n")
        case "table" where a.count >= 2 && FileManager.default.fileExists(atPath: path(a[1])):
            return ok("| dir | seconds |\n| :--- | ---: |\n| \(a[1]) | 0.5 |\n")
        case "table":
            return ok("Caption\n\n| mode | seconds ↓ | deviation |\n| :--- | ---: | ---: |\n| \(a[1]) | **\(a[2])** | 1e-16 |\n")
        case "fail": return CommandOutcome(status: 1, stdout: "partial", stderr: "sslab: something broke\n")
        case "write":
            try AtomicFile.write(a[1] + "\n", to: path(option("-o") ?? "missing"))
            return ok("")
        case "cat":
            return ok("\(a[1]): " + (try String(contentsOfFile: path(a[1]), encoding: .utf8)))
        case "csv":
            let scale = a.count > 1 ? Double(a[1]) ?? 1 : 1
            return ok("k,y\n" + (0..<5).map { "\($0),\(scale * Foundation.pow(2.0, -Double($0)))" }.joined(separator: "\n") + "\n")
        case "svg":
            try AtomicFile.write("<svg><text x=\"1\">\(a[1])</text></svg>\n", to: path(option("-o") ?? "missing"))
            return ok("")
        case "run":
            guard FileManager.default.fileExists(atPath: path(a[1])) else { return CommandOutcome(status: 1, stdout: "", stderr: "sslab: \(a[1]): no such file\n") }
            let toml = try String(contentsOfFile: path(a[1]), encoding: .utf8)
            if toml.contains("bad") { return CommandOutcome(status: 1, stdout: "", stderr: "sslab: \(a[1]):2: unknown key 'bad'\n") }
            try AtomicFile.write("{}\n", to: path((option("--out") ?? "x") + "/records.jsonl"))
            return ok("done\n")
        default: return CommandOutcome(status: 64, stdout: "", stderr: "sslab: unknown command \(a.first ?? "")\n")
        }
    }
}

/// A temporary folder holding one notebook.
struct NotebookScratch {
    let url: URL
    let notebook: String
    init(_ text: String, name: String = "nb.md") throws {
        url = try makeTemporaryDirectory("reports-notebook")
        notebook = url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: notebook))
    }
    var text: String { (try? String(contentsOfFile: notebook, encoding: .utf8)) ?? "<unreadable>" }
    func write(_ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: notebook)) }
    func file(_ name: String) -> String? { try? String(contentsOfFile: url.appendingPathComponent(name).path, encoding: .utf8) }
    /// Every entry under the folder (relative paths, hidden ones included), sorted.
    func listing() -> [String] {
        let e = FileManager.default.enumerator(atPath: url.path)
        var out: [String] = []
        while let p = e?.nextObject() as? String { out.append(p) }
        return out.sorted()
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The document with every generated output section (and the blank line before it) removed.
func prose(_ text: String) -> String {
    var out: [Substring] = []
    var inSection = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("<!-- sslab:begin") {
            inSection = true
            if out.last == "" { out.removeLast() }
            continue
        }
        if inSection { if line.hasPrefix("<!-- sslab:end") { inSection = false }; continue }
        out.append(line)
    }
    return out.joined(separator: "\n")
}
