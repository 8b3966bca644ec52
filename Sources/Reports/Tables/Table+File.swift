// Table+File.swift — choosing a table format and writing it atomically.

/// The output formats of a table.
public enum TableFormat: String, CaseIterable, Hashable, Sendable {
    case csv
    case markdown
    case latex
    case json

    /// The format for a file name's extension (`.csv`, `.md`/`.markdown`, `.tex`, `.json`), if known.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv": self = .csv
        case "md", "markdown": self = .markdown
        case "tex", "latex": self = .latex
        case "json": self = .json
        default: return nil
        }
    }
}

extension Table {
    /// The table rendered in `format`.
    public func rendered(_ format: TableFormat) -> String {
        switch format {
        case .csv: return csv()
        case .markdown: return markdown()
        case .latex: return latex()
        case .json: return json()
        }
    }

    /// Writes the table in `format` to `path` atomically (see `AtomicFile`).
    public func write(to path: String, format: TableFormat) throws(AtomicFileError) {
        try AtomicFile.write(rendered(format), to: path)
    }
}
