// NotebookWorkspace.swift — the files a notebook run writes, kept under temporary names until
// every block has succeeded.
//
// Commands run in the notebook's folder. Before a command runs, its output arguments are
// rewritten:
//  - `-o NAME` / `--output NAME` (a file to keep): NAME becomes `DIR/.sslab-<random>-BASE` in the
//    same folder (same extension, so commands that choose a format by extension still do);
//  - `--out DIR` (a scratch folder, e.g. of `sslab run`): DIR becomes `.sslab-<random>-BASE`;
// and every later argument that names NAME or DIR (or a path inside DIR), alone or after `=`,
// gets the temporary name instead. What the commands print is mapped back, so outputs show the
// names the notebook uses and never the random ones. At the end, `commit()` renames each kept
// file onto its name (rename(2) in one folder: atomic per file) and deletes the scratch;
// `discard()` deletes everything it created, so a failed run leaves the folder as it was.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class NotebookWorkspace {
    /// The notebook's folder (the commands' working directory).
    let directory: URL
    /// (name the notebook uses, temporary name), both relative to `directory`; newest last.
    private(set) var names: [(logical: String, actual: String)] = []
    /// Kept files: final name → temporary name (the newest write wins).
    private(set) var kept: [String: String] = [:]
    private var temporaries: [String] = []        // every temporary file or folder, in order
    private var createdDirectories: [String] = [] // folders that did not exist before the run

    init(directory: URL) { self.directory = directory }

    /// The arguments of a command with inputs mapped to temporary names and outputs declared;
    /// also returns the kept files this command writes (final names). `fail` builds the error.
    func prepare(_ arguments: [String], fail: (String) -> NotebookError) throws(NotebookError) -> (arguments: [String], outputs: [String]) {
        var result: [String] = []
        var outputs: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let keeps = a == "-o" || a == "--output", scratch = a == "--out"
            if (keeps || scratch) && i + 1 < arguments.count {
                let name = try normalized(arguments[i + 1], fail: fail)
                result += [a, keeps ? declare(file: name) : declare(scratch: name)]
                if keeps { outputs.append(name) }
                i += 2
                continue
            }
            if let eq = a.firstIndex(of: "="), a.hasPrefix("--output=") || a.hasPrefix("--out=") {
                let flag = String(a[..<eq]), name = try normalized(String(a[a.index(after: eq)...]), fail: fail)
                result.append(flag + "=" + (flag == "--output" ? declare(file: name) : declare(scratch: name)))
                if flag == "--output" { outputs.append(name) }
                i += 1
                continue
            }
            result.append(substitute(a))
            i += 1
        }
        return (result, outputs)
    }

    /// A scratch file with `contents` under a temporary name derived from `name`; returns that name.
    func scratchFile(_ name: String, contents: String) throws(NotebookError) -> String {
        let actual = temporaryName(for: name)
        temporaries.append(actual)
        do { try AtomicFile.write(contents, to: url(actual).path) } catch { throw .write(path: url(actual).path, reason: error.description) }
        return actual
    }

    /// Declares a scratch folder that later arguments may call `logical`; returns its temporary name.
    func declare(scratch logical: String) -> String {
        let actual = temporaryName(for: logical)
        recordMissingDirectories(of: actual)
        names.append((logical, actual))
        temporaries.append(actual)
        return actual
    }

    /// Declares a kept file; returns its temporary name.
    func declare(file logical: String) -> String {
        let actual = temporaryName(for: logical)
        recordMissingDirectories(of: actual)
        names.append((logical, actual))
        temporaries.append(actual)
        kept[logical] = actual
        return actual
    }

    /// `word` with a declared name (alone, as a folder prefix, or after `=`) replaced by its
    /// temporary name.
    func substitute(_ word: String) -> String {
        func mapped(_ w: String) -> String? {
            let w2 = w.hasPrefix("./") ? String(w.dropFirst(2)) : w
            for (logical, actual) in names.reversed() {
                if w2 == logical { return actual }
                if w2.hasPrefix(logical + "/") { return actual + w2.dropFirst(logical.count) }
            }
            return nil
        }
        if let m = mapped(word) { return m }
        if let eq = word.firstIndex(of: "="), let m = mapped(String(word[word.index(after: eq)...])) {
            return String(word[...eq]) + m
        }
        return word
    }

    /// `text` with every temporary name replaced by the name the notebook uses (a scratch file by
    /// its original base name). Absolute forms (as a command may print them) are replaced first.
    func restore(_ text: String) -> String {
        var t = text
        let root = directory.standardizedFileURL.path + "/"
        for (logical, actual) in names.reversed() where t.contains(actual) {
            t = t.replacingOccurrences(of: root + actual, with: logical).replacingOccurrences(of: actual, with: logical)
        }
        for actual in temporaries where t.contains(actual) {
            let base = URL(fileURLWithPath: actual).lastPathComponent
            let original = base.split(separator: "-", maxSplits: 2).last.map(String.init) ?? base
            t = t.replacingOccurrences(of: root + actual, with: original).replacingOccurrences(of: actual, with: original)
        }
        return t
    }

    /// The absolute URL of a path relative to the notebook's folder.
    func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// Whether the temporary file for kept file `logical` exists.
    func wroteFile(_ logical: String) -> Bool {
        kept[logical].map { FileManager.default.fileExists(atPath: url($0).path) } ?? false
    }

    /// Moves every kept file onto its name and deletes the rest.
    func commit() throws(NotebookError) {
        for (logical, actual) in kept.sorted(by: { $0.key < $1.key }) {
            if rename(url(actual).path, url(logical).path) != 0 {
                let reason = String(cString: strerror(errno))
                discard()
                throw .write(path: url(logical).path, reason: "cannot move the new file into place: \(reason)")
            }
        }
        let done = Set(kept.values)
        temporaries.removeAll { done.contains($0) }
        createdDirectories.removeAll { d in kept.keys.contains { $0.hasPrefix(d + "/") } }
        discard()
    }

    /// Deletes every temporary file and folder, and the folders the run created (when empty).
    func discard() {
        let fm = FileManager.default
        for t in temporaries.reversed() { try? fm.removeItem(at: url(t)) }
        temporaries.removeAll()
        for d in createdDirectories.reversed() {
            if let items = try? fm.contentsOfDirectory(atPath: url(d).path), items.isEmpty { try? fm.removeItem(at: url(d)) }
        }
        createdDirectories.removeAll()
    }

    /// `name` relative to the notebook's folder, without `./`; refuses absolute paths and `..`.
    private func normalized(_ name: String, fail: (String) -> NotebookError) throws(NotebookError) -> String {
        var n = name
        while n.hasPrefix("./") { n.removeFirst(2) }
        let parts = n.split(separator: "/", omittingEmptySubsequences: false)
        guard !n.isEmpty, !n.hasPrefix("/"), !n.hasSuffix("/"), !parts.contains(".."), !parts.contains("") else {
            throw fail("output '\(name)' must be a relative path inside the notebook's folder (no '..', not absolute)")
        }
        return n
    }

    private func temporaryName(for logical: String) -> String {
        let u = URL(fileURLWithPath: logical)
        let folder = logical.contains("/") ? String(logical[..<logical.lastIndex(of: "/")!]) + "/" : ""
        let tag = String(UInt32.random(in: .min ... .max), radix: 16)
        return folder + ".sslab-" + String(repeating: "0", count: 8 - tag.count) + tag + "-" + u.lastPathComponent
    }

    private func recordMissingDirectories(of relative: String) {
        var missing: [String] = []
        var parts = relative.split(separator: "/").map(String.init)
        parts.removeLast()
        var prefix = ""
        for p in parts {
            prefix += (prefix.isEmpty ? "" : "/") + p
            if !FileManager.default.fileExists(atPath: url(prefix).path) && !createdDirectories.contains(prefix) { missing.append(prefix) }
        }
        createdDirectories += missing
    }
}
