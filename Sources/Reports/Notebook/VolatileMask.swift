// VolatileMask.swift — what `sslab notebook check` compares: generated text with the values that
// may change from run to run (timings, rounding noise) masked out.
//
// The rule, applied line by line to an output section:
//  - In a Markdown pipe table (a header row followed by a `| --- |` delimiter row), a column is
//    VOLATILE when its header — lower-cased, without `**`, backslashes and the ↓/↑ arrows — ends
//    in `seconds`, `_s` or `time`, or contains one of the block's `volatile=` patterns. Every
//    number in a volatile cell becomes `#`, and its bold marks are dropped (which cell is best
//    may change with the timings).
//  - A column is ROUNDOFF when its header contains one of the block's `roundoff=` patterns; a
//    number below 1e-9 in magnitude in such a cell becomes `≈0` and bold marks are dropped, so
//    2.2e-16 and 4.4e-16 compare equal while 1e-3 still shows up as a change.
//  - Any other line that contains one of the block's `volatile=` patterns (case-insensitively)
//    has every number masked.
// Everything else is compared token by token (TokenComparison.swift): text exactly, numbers up
// to rounding noise.

/// The masking rule of one block (see VolatileMask.swift).
public struct VolatileMask: Equatable, Sendable {
    /// Extra patterns (lower case) for volatile columns and lines.
    public var volatile: [String]
    /// Patterns (lower case) of roundoff columns.
    public var roundoff: [String]
    /// Values below this magnitude in roundoff columns compare as zero.
    public static let roundoffThreshold = 1e-9
    /// Header endings that are always volatile.
    public static let timingSuffixes = ["seconds", "_s", "time"]

    public init(volatile: [String] = [], roundoff: [String] = []) {
        self.volatile = volatile.map { $0.lowercased() }
        self.roundoff = roundoff.map { $0.lowercased() }
    }

    /// `lines` with volatile values masked; the result has one line per input line.
    /// - Complexity: O(characters).
    public func apply(_ lines: [String]) -> [String] {
        var out = lines
        var i = 0
        while i < lines.count {
            if i + 1 < lines.count, VolatileMask.isTableRow(lines[i]), VolatileMask.isDelimiterRow(lines[i + 1]) {
                let headers = VolatileMask.cells(lines[i]).map(VolatileMask.normalizedHeader)
                let volatileColumns = Set(headers.indices.filter { isVolatile(headers[$0]) })
                let roundoffColumns = Set(headers.indices.filter { h in roundoff.contains { headers[h].contains($0) } })
                var j = i + 2
                while j < lines.count, VolatileMask.isTableRow(lines[j]) {
                    var cells = VolatileMask.cells(lines[j])
                    for c in cells.indices {
                        if volatileColumns.contains(c) {
                            cells[c] = VolatileMask.maskNumbers(VolatileMask.unbold(cells[c])) { _ in "#" }
                        } else if roundoffColumns.contains(c) {
                            cells[c] = VolatileMask.maskNumbers(VolatileMask.unbold(cells[c])) { text in
                                guard let v = Double(text), abs(v) < VolatileMask.roundoffThreshold else { return text }
                                return "≈0"
                            }
                        }
                    }
                    out[j] = "| " + cells.joined(separator: " | ") + " |"
                    j += 1
                }
                i = j
                continue
            }
            let lower = lines[i].lowercased()
            if volatile.contains(where: { lower.contains($0) }) {
                out[i] = VolatileMask.maskNumbers(lines[i]) { _ in "#" }
            }
            i += 1
        }
        return out
    }

    func isVolatile(_ header: String) -> Bool {
        VolatileMask.timingSuffixes.contains { header.hasSuffix($0) } || volatile.contains { header.contains($0) }
    }

    static func isTableRow(_ line: String) -> Bool {
        let t = line.trimmingBlanks()
        return t.hasPrefix("|") && t.count >= 2
    }

    static func isDelimiterRow(_ line: String) -> Bool {
        let cells = self.cells(line)
        return !cells.isEmpty && cells.allSatisfy { c in
            var s = Substring(c)
            if s.hasPrefix(":") { s = s.dropFirst() }
            if s.hasSuffix(":") { s = s.dropLast() }
            return !s.isEmpty && s.allSatisfy { $0 == "-" }
        }
    }

    /// The trimmed cells of a pipe-table row (`\|` does not split).
    static func cells(_ line: String) -> [String] {
        var t = Substring(line.trimmingBlanks())
        if t.hasPrefix("|") { t = t.dropFirst() }
        if t.hasSuffix("|") && !t.hasSuffix("\\|") { t = t.dropLast() }
        var cells: [String] = [], cell = ""
        var escaped = false
        for c in t {
            if escaped { cell.append(c); escaped = false; continue }
            if c == "\\" { cell.append(c); escaped = true; continue }
            if c == "|" { cells.append(cell.trimmingBlanks()); cell = ""; continue }
            cell.append(c)
        }
        cells.append(cell.trimmingBlanks())
        return cells
    }

    static func normalizedHeader(_ cell: String) -> String {
        cell.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "\\", with: "")
            .replacingOccurrences(of: "↓", with: "").replacingOccurrences(of: "↑", with: "")
            .trimmingBlanks().lowercased()
    }

    static func unbold(_ cell: String) -> String { cell.replacingOccurrences(of: "**", with: "") }

    /// `text` with every decimal number (sign, digits, point, exponent) replaced by `replace(number)`.
    /// A number is not taken from inside a word (the 1 of `y1_u1` stays).
    static func maskNumbers(_ text: String, _ replace: (String) -> String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            let previousIsWord = i > 0 && (chars[i - 1].isLetter || chars[i - 1] == "_" || chars[i - 1].isNumber)
            var j = i
            if !previousIsWord, chars[j] == "-" || chars[j] == "+" { j += 1 }
            let startDigits = j
            while isDigit(j) { j += 1 }
            if j < chars.count, chars[j] == ".", isDigit(j + 1) || j > startDigits { j += 1; while isDigit(j) { j += 1 } }
            let mantissaHasDigit = (startDigits..<j).contains { isDigit($0) }
            if !previousIsWord, mantissaHasDigit {
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
                    if isDigit(k) { while isDigit(k) { k += 1 }; j = k }
                }
                out += replace(String(chars[i..<j]))
                i = j
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}
