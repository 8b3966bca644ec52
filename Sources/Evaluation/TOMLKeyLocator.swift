// TOMLKeyLocator.swift — the source line of every key of a TOML document.
//
// TOMLKit reports positions for syntax errors only, not for the values it returns, so the lab
// finds key lines by scanning the source text itself. The scan follows the TOML grammar far
// enough to be exact for the keys an experiment file has:
//   * `[a.b]` and `[[a]]` headers set the current table; every `[[a]]` starts element n of the
//     array `a`, recorded as the path `a[n]` (0-based), and `[a.b]` after `[[a]]` means the
//     sub-table `a[n].b` of the latest element;
//   * `key = value` (bare, "quoted" or 'literal' keys, dotted keys) records `table.key`;
//   * strings (basic, literal, multi-line """ and '''), comments, and arrays or inline tables
//     that span several lines are skipped, so text inside them is never taken for a key.
// Keys inside inline tables (`opt = { a = 1 }`) are not recorded; `line(of:)` then falls back
// to the nearest recorded ancestor, here `opt`.

/// Maps key paths such as `dataset[1].warmup` to 1-based source lines.
public struct TOMLKeyLocator: Sendable {
    /// Line of each key path and of each table header path.
    public private(set) var lines: [String: Int] = [:]

    /// Scans `text`.
    public init(text: String) {
        var arrayCounts: [String: Int] = [:]
        var current = ""
        var depth = 0
        var multiline: String? = nil
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let chars = Array(rawLine)
            var i = 0
            if multiline == nil && depth == 0 {
                while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 }
                if i == chars.count || chars[i] == "#" || chars[i] == "\r" { continue }
                if chars[i] == "[" {
                    let isArray = i + 1 < chars.count && chars[i + 1] == "["
                    let open = isArray ? 2 : 1
                    var j = i + open
                    var name = ""
                    var quote: Character? = nil
                    while j < chars.count {
                        let c = chars[j]
                        if let q = quote { if c == q { quote = nil }; name.append(c); j += 1; continue }
                        if c == "\"" || c == "'" { quote = c; name.append(c); j += 1; continue }
                        if c == "]" { break }
                        name.append(c)
                        j += 1
                    }
                    let parts = TOMLKeyLocator.splitDotted(name)
                    let resolved = TOMLKeyLocator.resolve(parts, arrayCounts)
                    if isArray {
                        let plain = TOMLKeyLocator.resolve(parts, arrayCounts, lastIndexed: false)
                        let n = arrayCounts[plain, default: 0]
                        arrayCounts[plain] = n + 1
                        current = plain + "[\(n)]"
                    } else {
                        current = resolved
                    }
                    lines[current] = lines[current] ?? lineNumber
                    continue
                }
                // A key/value line: the key runs to the first '=' outside quotes.
                var keyText = ""
                var quote: Character? = nil
                while i < chars.count {
                    let c = chars[i]
                    if let q = quote { if c == q { quote = nil }; keyText.append(c); i += 1; continue }
                    if c == "\"" || c == "'" { quote = c; keyText.append(c); i += 1; continue }
                    if c == "=" { break }
                    keyText.append(c)
                    i += 1
                }
                guard i < chars.count else { continue }  // not a key line; the TOML parser reports it
                i += 1
                let key = TOMLKeyLocator.splitDotted(keyText).joined(separator: ".")
                let path = current.isEmpty ? key : current + "." + key
                lines[path] = lines[path] ?? lineNumber
            }
            TOMLKeyLocator.scanValue(chars, from: i, depth: &depth, multiline: &multiline)
        }
    }

    /// Line of `path`, or of its nearest recorded ancestor (`a[0].b.c` → `a[0].b` → `a[0]`).
    public func line(of path: String) -> Int? {
        var p = path
        while true {
            if let l = lines[p] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            p = String(p[..<cut])
        }
    }

    /// Splits a dotted key into its parts, unquoting quoted parts and trimming spaces.
    static func splitDotted(_ text: String) -> [String] {
        var parts: [String] = []
        var part = ""
        var quote: Character? = nil
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { part.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                parts.append(part.trimmingSpaces)
                part = ""
            } else {
                part.append(c)
            }
        }
        parts.append(part.trimmingSpaces)
        return parts
    }

    /// Joins header parts into a path, indexing every prefix that names an array of tables with
    /// its latest element (`[dataset.options]` → `dataset[2].options`).
    static func resolve(_ parts: [String], _ arrays: [String: Int], lastIndexed: Bool = true) -> String {
        var path = ""
        for (k, part) in parts.enumerated() {
            path = path.isEmpty ? part : path + "." + part
            let isLast = k == parts.count - 1
            if let n = arrays[path], !isLast || lastIndexed { path += "[\(n - 1)]" }
        }
        return path
    }

    /// Advances over a value: tracks string state, comments and bracket depth.
    static func scanValue(_ chars: [Character], from start: Int, depth: inout Int, multiline: inout String?) {
        var i = start
        while i < chars.count {
            if let delim = multiline {
                if TOMLKeyLocator.matches(chars, i, delim) {
                    multiline = nil
                    i += 3
                } else {
                    if delim == "\"\"\"" && chars[i] == "\\" { i += 1 }
                    i += 1
                }
                continue
            }
            let c = chars[i]
            if c == "#" { return }
            if TOMLKeyLocator.matches(chars, i, "\"\"\"") || TOMLKeyLocator.matches(chars, i, "'''") {
                multiline = String(chars[i..<(i + 3)])
                i += 3
                continue
            }
            if c == "\"" || c == "'" {
                i += 1
                while i < chars.count && chars[i] != c {
                    if c == "\"" && chars[i] == "\\" { i += 1 }
                    i += 1
                }
                i += 1
                continue
            }
            if c == "[" || c == "{" { depth += 1 }
            if c == "]" || c == "}" { depth = max(0, depth - 1) }
            i += 1
        }
    }

    static func matches(_ chars: [Character], _ i: Int, _ s: String) -> Bool {
        let t = Array(s)
        guard i + t.count <= chars.count else { return false }
        return Array(chars[i..<(i + t.count)]) == t
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
