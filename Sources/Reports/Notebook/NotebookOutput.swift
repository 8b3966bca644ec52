// NotebookOutput.swift — how a command's output becomes Markdown inside an output section.
//
//  - stdout that contains a Markdown pipe table (a `| --- |` delimiter row) is Markdown already
//    (`--format md` tables with caption and notes) and passes through unchanged;
//  - other non-empty stdout goes into a fenced block: `json` when it parses as a JSON object or
//    array (and shown whole), `text` otherwise; `head=N` keeps the first N lines and says how
//    many were left out;
//  - with the `stderr` option, non-empty stderr follows in its own `text` block;
//  - every file the command wrote with `--output` is linked: `.svg` as an image (alt text: the
//    command line's `# label`, else the file name), anything else as a plain link — the links
//    of consecutive commands that print nothing are gathered on one "Wrote …" line;
//  - when a block has several commands, each printed output is introduced by its command line.
// The section is the begin marker (block number and source digest), a blank line, the chunks
// separated by blank lines, a blank line and the end marker.

import Foundation

enum NotebookOutput {
    /// The complete output section of block `id` with `digest` (no final line break).
    static func section(id: Int, digest: String, chunks: [String]) -> String {
        var lines = ["<!-- sslab:begin id=\(id) digest=\(digest) -->", ""]
        if !chunks.isEmpty { lines += [chunks.joined(separator: "\n\n"), ""] }
        lines.append("<!-- sslab:end -->")
        return lines.joined(separator: "\n")
    }

    /// The Markdown of a command's printed output: stdout (a table as it is, other text fenced)
    /// and, when asked for, stderr; empty when it printed nothing.
    static func printed(stdout: String, stderr: String?, head: Int?) -> [String] {
        var parts: [String] = []
        let text = trimmedTrailingNewlines(stdout)
        if !text.trimmingBlanks().isEmpty {
            let shown = truncated(text, head: head)   // a cut JSON text is no longer JSON
            parts.append(isMarkdownTable(text) ? text : fenced(shown, info: shown == text && looksLikeJSON(text) ? "json" : "text"))
        }
        if let stderr {
            let e = trimmedTrailingNewlines(stderr)
            if !e.trimmingBlanks().isEmpty { parts.append(fenced(truncated(e, head: head), info: "text")) }
        }
        return parts
    }

    /// An SVG file shown as an image.
    static func image(_ name: String, alt: String?) -> String {
        "![\(linkText(alt ?? name))](\(linkTarget(name)))"
    }

    /// Other written files as one line of links.
    static func wrote(_ names: [String]) -> String {
        "Wrote " + names.map { "[\(linkText($0))](\(linkTarget($0)))" }.joined(separator: ", ") + "."
    }

    /// The line that introduces a command's output in a block of several commands.
    static func introduction(_ command: NotebookCommand) -> String {
        codeSpan(command.display) + ":"
    }

    /// True when `text` holds a pipe table and no line that could be taken for a marker.
    static func isMarkdownTable(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.contains(where: { NotebookMarker($0) != nil || Fence(opening: $0) != nil }) else { return false }
        return zip(lines, lines.dropFirst()).contains { VolatileMask.isTableRow($0) && VolatileMask.isDelimiterRow($1) }
    }

    static func looksLikeJSON(_ text: String) -> Bool {
        let t = text.trimmingBlanks()
        guard t.hasPrefix("{") || t.hasPrefix("[") else { return false }
        return (try? JSONSerialization.jsonObject(with: Data(t.utf8))) != nil
    }

    /// `text` in a fence longer than any backtick run inside it.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for c in text { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text + "\n" + fence
    }

    static func truncated(_ text: String, head: Int?) -> String {
        guard let head else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > head else { return text }
        return lines.prefix(head).joined(separator: "\n") + "\n… (\(lines.count - head) more lines)"
    }

    static func trimmedTrailingNewlines(_ s: String) -> String {
        var t = Substring(s)
        while t.hasSuffix("\n") || t.hasSuffix("\r") { t = t.dropLast() }
        return String(t)
    }

    /// A code span that survives backticks inside `s`.
    static func codeSpan(_ s: String) -> String {
        var longest = 0, run = 0
        for c in s { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let ticks = String(repeating: "`", count: longest + 1)
        return longest > 0 ? ticks + " " + s + " " + ticks : ticks + s + ticks
    }

    /// Link text with the characters that would end or break it escaped.
    static func linkText(_ s: String) -> String {
        var out = ""
        for c in s {
            if "[]\\*_`".contains(c) { out.append("\\") }
            out.append(c == "\n" ? " " : c)
        }
        return out
    }

    /// A relative link target; names with spaces or parentheses go in angle brackets.
    static func linkTarget(_ path: String) -> String {
        path.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) ? "<\(path)>" : path
    }
}
