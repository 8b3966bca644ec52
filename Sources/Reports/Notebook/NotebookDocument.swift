// NotebookDocument.swift — a Markdown notebook split into prose, lab blocks and generated
// output sections; and the same document with new outputs put in.
//
// Structure recognised (CommonMark fenced code blocks, top level only):
//  - a fence is ≥ 3 backticks or tildes after at most 3 spaces; it closes at a line of the same
//    character, at least as long, with nothing but blanks after it. Text inside any fence is
//    never taken for a marker, so documentation may show markers in code blocks;
//  - a lab block is a fenced block whose info string starts with `sslab` or `sslab-experiment`;
//  - an output section is a begin marker `<!-- sslab:begin id=N digest=HEX -->`, its lines, and
//    `<!-- sslab:end -->`; it belongs to the lab block that precedes it with only blank lines
//    between. A section that follows no block (its block was deleted) is an orphan;
//  - `<!-- sslab:notebook slow -->` anywhere outside fences marks the notebook as slow.
// Rendering keeps every byte outside output sections (prose, the blocks themselves, blank
// lines); a block without a section gets one after a blank line, orphan sections are dropped.

import Foundation

/// A parsed notebook.
public struct NotebookDocument: Sendable {
    /// The path used in messages.
    public let path: String
    /// The physical lines with their terminators (the last may have none).
    let rawLines: [String]
    public let blocks: [LabBlock]
    /// Output sections that follow no lab block.
    public let orphans: [OutputSection]
    /// Whether `<!-- sslab:notebook slow -->` marks the notebook as slow.
    public let isSlow: Bool

    /// The document text, exactly as read.
    public var text: String { rawLines.joined() }

    /// Reads and parses the notebook at `path`.
    public init(contentsOf path: String) throws(NotebookError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .read(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .read(path: path, reason: "not UTF-8 text") }
        try self.init(text: text, path: path)
    }

    /// Parses `text`; `path` is used in messages.
    public init(text: String, path: String) throws(NotebookError) {
        self.path = path
        rawLines = NotebookDocument.splitLines(text)
        let lines = rawLines.map(NotebookDocument.content)
        var blocks: [LabBlock] = [], sections: [OutputSection] = []
        var slow = false
        var i = 0
        func fail(_ line: Int, _ message: String) -> NotebookError { .syntax(path: path, line: line, message: message) }
        while i < lines.count {
            if let fence = Fence(opening: lines[i]) {
                let close = (i + 1 ..< lines.count).first { fence.isClosed(by: lines[$0]) }
                let words = fence.info.isEmpty ? [] : (try? ShellWords.split(fence.info))?.words ?? [fence.info]
                if let first = words.first, let kind = LabBlockKind(rawValue: first) {
                    guard let close else { throw fail(i + 1, "the `\(kind.rawValue)` block is not closed (no matching \(fence.marker) line)") }
                    let opening = i + 1
                    let infoWords: [String]
                    do { infoWords = try ShellWords.split(fence.info).words } catch { throw fail(opening, "block options: \(error)") }
                    let options = try LabBlockOptions.parse(Array(infoWords.dropFirst()), kind: kind) { fail(opening, $0) }
                    let body = Array(lines[(i + 1)..<close])
                    let commands = kind == .commands ? try NotebookDocument.commands(body, firstLine: i + 2, path: path) : []
                    if kind == .commands && commands.isEmpty { throw fail(opening, "the `sslab` block has no command line") }
                    if kind == .experiment && body.allSatisfy({ $0.trimmingBlanks().isEmpty }) {
                        throw fail(opening, "the `sslab-experiment` block is empty")
                    }
                    let digest = Digest.fnv1a(fence.info.trimmingBlanks() + "\n" + body.joined(separator: "\n"))
                    blocks.append(LabBlock(kind: kind, ordinal: blocks.count + 1, options: options, openingLine: opening,
                                           closingLine: close + 1, body: body, commands: commands, digest: digest, output: nil))
                }
                i = (close ?? lines.count - 1) + 1
                continue
            }
            if let marker = NotebookMarker(lines[i]) {
                switch marker.verb {
                case "begin":
                    var j = i + 1
                    var end: Int? = nil
                    while j < lines.count {
                        if let inner = Fence(opening: lines[j]) {
                            j = ((j + 1 ..< lines.count).first { inner.isClosed(by: lines[$0]) } ?? lines.count - 1) + 1
                            continue
                        }
                        if let m = NotebookMarker(lines[j]) {
                            guard m.verb == "end" else { throw fail(j + 1, "a `sslab:\(m.verb)` marker inside the output section that begins at line \(i + 1)") }
                            end = j
                            break
                        }
                        j += 1
                    }
                    guard let end else { throw fail(i + 1, "the output section is not closed (no `<!-- sslab:end -->` line)") }
                    sections.append(OutputSection(beginLine: i + 1, endLine: end + 1, id: marker.attributes["id"],
                                                  digest: marker.attributes["digest"], lines: Array(lines[i...end])))
                    i = end + 1
                    continue
                case "notebook":
                    guard marker.words.allSatisfy({ $0 == "slow" }) else {
                        throw fail(i + 1, "`sslab:notebook` takes only the word `slow`, got '\(marker.words.joined(separator: " "))'")
                    }
                    slow = slow || marker.words.contains("slow")
                case "end":
                    throw fail(i + 1, "`<!-- sslab:end -->` without a begin marker")
                default:
                    throw fail(i + 1, "unknown marker `sslab:\(marker.verb)` (known: begin, end, notebook)")
                }
            }
            i += 1
        }
        // Attach each section to the block it follows (only blank lines between).
        var orphans: [OutputSection] = []
        var b = 0
        for s in sections {
            while b < blocks.count && blocks[b].closingLine < s.beginLine { b += 1 }
            let previous = b - 1
            if previous >= 0, blocks[previous].output == nil,
               (blocks[previous].closingLine + 1 ..< s.beginLine).allSatisfy({ lines[$0 - 1].trimmingBlanks().isEmpty }) {
                blocks[previous].output = s
            } else {
                orphans.append(s)
            }
        }
        self.blocks = blocks
        self.orphans = orphans
        isSlow = slow
    }

    /// The document with `sections[ordinal]` (complete sections, marker lines included, without
    /// a final line break) as the output of each block; blocks missing from `sections` keep
    /// their current output. Orphan sections are removed; everything else is kept byte for byte.
    public func replacingOutputs(_ sections: [Int: String]) -> String {
        var out = ""
        var next = 0   // index into rawLines (0-based) of the first line not yet copied
        let orphanStarts = Dictionary(uniqueKeysWithValues: orphans.map { ($0.beginLine - 1, $0.endLine - 1) })
        func copy(upTo end: Int) {   // copies rawLines[next..<end], skipping orphan sections
            while next < end {
                if let stop = orphanStarts[next] { next = stop + 1; continue }
                out += rawLines[next]
                next += 1
            }
        }
        for block in blocks {
            guard let section = sections[block.ordinal] else { continue }
            copy(upTo: block.closingLine)
            if let old = block.output {
                copy(upTo: old.beginLine - 1)
                out += section + "\n"
                next = old.endLine
            } else {
                if !out.hasSuffix("\n") { out += "\n" }
                out += "\n" + section + "\n"
            }
        }
        copy(upTo: rawLines.count)
        return out
    }

    /// The command lines of a `sslab` block body; `firstLine` is the 1-based line of `body[0]`.
    static func commands(_ body: [String], firstLine: Int, path: String) throws(NotebookError) -> [NotebookCommand] {
        var result: [NotebookCommand] = []
        var pending = "", pendingLine = 0
        for (k, raw) in body.enumerated() {
            let line = firstLine + k
            if pending.isEmpty { pendingLine = line }
            // A trailing unescaped backslash continues the command on the next line.
            let trailing = raw.reversed().prefix { $0 == "\\" }.count
            if trailing % 2 == 1 {
                pending += String(raw.dropLast()) + " "
                continue
            }
            let text = pending + raw
            pending = ""
            let words: ShellWords
            do { words = try ShellWords.split(text) } catch {
                throw .syntax(path: path, line: pendingLine, message: "command line: \(error)")
            }
            var args = words.words
            if args.first == "sslab" { args.removeFirst() }
            if args.isEmpty {
                if words.words.first == "sslab" { throw .syntax(path: path, line: pendingLine, message: "`sslab` without a command") }
                continue   // blank or comment-only line
            }
            result.append(NotebookCommand(arguments: args, label: words.comment.flatMap { $0.isEmpty ? nil : $0 }, line: pendingLine))
        }
        if !pending.isEmpty { throw .syntax(path: path, line: pendingLine, message: "the last command line ends with a continuation backslash") }
        return result
    }

    /// Lines with their terminators; `\n` ends a line (a preceding `\r` stays part of it).
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var start = text.utf8.startIndex
        for i in text.utf8.indices where text.utf8[i] == UInt8(ascii: "\n") {
            let end = text.utf8.index(after: i)
            lines.append(String(text[start..<end]))
            start = end
        }
        if start < text.utf8.endIndex { lines.append(String(text[start...])) }
        return lines
    }

    /// A raw line without its terminator (`\n` or `\r\n`).
    static func content(_ raw: String) -> String {
        var bytes = raw.utf8[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// An opening code fence: its character, length and info string.
struct Fence {
    let character: Character
    let count: Int
    let info: String
    var marker: String { String(repeating: character, count: count) }

    init?(opening line: String) {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let c = rest.first, c == "`" || c == "~" else { return nil }
        let n = rest.prefix { $0 == c }.count
        guard n >= 3 else { return nil }
        let info = String(rest.dropFirst(n)).trimmingBlanks()
        if c == "`" && info.contains("`") { return nil }
        character = c
        count = n
        self.info = info
    }

    func isClosed(by line: String) -> Bool {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let n = rest.prefix { $0 == character }.count
        return n >= count && String(rest.dropFirst(n)).trimmingBlanks().isEmpty
    }
}

/// A `<!-- sslab:VERB words… -->` comment line.
struct NotebookMarker {
    let verb: String
    let words: [String]
    var attributes: [String: String] {
        var a: [String: String] = [:]
        for w in words { if let eq = w.firstIndex(of: "=") { a[String(w[..<eq])] = String(w[w.index(after: eq)...]) } }
        return a
    }

    init?(_ line: String) {
        let t = line.trimmingBlanks()
        guard t.hasPrefix("<!-- sslab:"), t.hasSuffix("-->") else { return nil }
        let inner = t.dropFirst("<!-- sslab:".count).dropLast(3)
        let parts = inner.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let v = parts.first else { return nil }
        verb = v
        words = Array(parts.dropFirst())
    }
}
