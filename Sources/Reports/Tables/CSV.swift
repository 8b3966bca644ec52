// CSV.swift — RFC 4180 fields: quoting for writing, and a strict parser for reading back.
//
// RFC 4180 ("Common Format and MIME Type for Comma-Separated Values Files"): a field that
// contains a comma, a double quote, CR or LF is enclosed in double quotes, and a double quote
// inside it is doubled. We also quote fields with leading or trailing spaces, which some readers
// would otherwise trim. The parser accepts LF and CRLF line ends.

/// A malformed CSV text; names the 1-based line (for an unclosed quote, the line it opened on).
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    case characterAfterQuote(line: Int, character: Character)

    public var description: String {
        switch self {
        case let .unterminatedQuote(line): return "CSV line \(line): quoted field is not closed"
        case let .characterAfterQuote(line, c): return "CSV line \(line): '\(c)' after a closing quote (expected ',' or end of line)"
        }
    }
}

public enum CSV {
    /// `field` quoted per RFC 4180 when needed.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record line (without terminator).
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",")
    }

    /// Parses RFC 4180 text into records of fields. A final line terminator is optional; an
    /// empty text has no records.
    /// - Complexity: O(characters).
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var line = 1
        var inQuotes = false
        var quoteLine = 1        // where the open quoted field started
        var afterQuote = false   // just closed a quoted field
        var fieldStarted = false // anything seen on the current record
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            i = text.index(after: i)
            if inQuotes {
                if c == "\"" {
                    if i < text.endIndex && text[i] == "\"" {
                        field.append("\"")
                        i = text.index(after: i)
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
                fieldStarted = true
            case "\n", "\r\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuote = false
                fieldStarted = false
                line += 1
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
                quoteLine = line
                fieldStarted = true
            default:
                if afterQuote { throw .characterAfterQuote(line: line, character: c) }
                field.append(c)
                fieldStarted = true
            }
        }
        if inQuotes { throw .unterminatedQuote(line: quoteLine) }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
