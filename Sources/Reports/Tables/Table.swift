// Table.swift — the data model of a result table, validated once at construction.
//
// A table is columns (each with a kind, an optional "better" direction and a number of
// significant digits) and rows of `TableValue`s. Renderers (CSV, Markdown, LaTeX, JSON) live in
// `Table+<Format>.swift`; the best cell per column and group is computed in `Table+Best.swift`.

/// What a column holds; a cell of the column must be of this kind or `.missing`.
public enum ColumnKind: String, Hashable, Sendable {
    case text
    /// A Double (an `.integer` cell is accepted and printed as an integer).
    case number
    /// A `MeanStd` summary, printed as `mean ± std`.
    case meanStd
    case integer
}

/// Which direction of a column's values is better, for marking the best cell.
public enum Better: String, Hashable, Sendable {
    case lower
    case higher
}

/// One column of a `Table`.
public struct TableColumn: Hashable, Sendable {
    public var name: String
    public var kind: ColumnKind
    /// If set, the best cell of this column (per group) is marked by the renderers.
    public var better: Better?
    /// Significant digits for this column; `nil` uses the table's `significantDigits`.
    public var significantDigits: Int?

    public init(_ name: String, kind: ColumnKind, better: Better? = nil, significantDigits: Int? = nil) {
        precondition(significantDigits.map { $0 >= 1 && $0 <= 17 } ?? true, "significantDigits must be in 1...17") // invariant: programmer misuse
        self.name = name
        self.kind = kind
        self.better = better
        self.significantDigits = significantDigits
    }

    public static func text(_ name: String) -> TableColumn { TableColumn(name, kind: .text) }
    public static func integer(_ name: String, better: Better? = nil) -> TableColumn {
        TableColumn(name, kind: .integer, better: better)
    }
    public static func number(_ name: String, better: Better? = nil, significantDigits: Int? = nil) -> TableColumn {
        TableColumn(name, kind: .number, better: better, significantDigits: significantDigits)
    }
    public static func meanStd(_ name: String, better: Better? = nil, significantDigits: Int? = nil) -> TableColumn {
        TableColumn(name, kind: .meanStd, better: better, significantDigits: significantDigits)
    }
}

/// A problem with table data or with records fed to the aggregation; names the row/record and column/key.
public enum TableError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateColumn(name: String)
    case unknownColumn(name: String, role: String)
    case rowLength(row: Int, expected: Int, found: Int)
    case kindMismatch(row: Int, column: String, expected: ColumnKind, found: String)
    case missingKey(record: Int, key: String)
    case notNumeric(record: Int, key: String, found: String)

    public var description: String {
        switch self {
        case let .duplicateColumn(name): return "column '\(name)' appears twice"
        case let .unknownColumn(name, role): return "\(role) '\(name)' is not a column of the table"
        case let .rowLength(row, expected, found): return "row \(row) has \(found) cells, expected \(expected)"
        case let .kindMismatch(row, column, expected, found):
            return "row \(row), column '\(column)': expected a \(expected.rawValue) value, found \(found)"
        case let .missingKey(record, key): return "record \(record) has no value for group key '\(key)'"
        case let .notNumeric(record, key, found): return "record \(record), metric '\(key)': expected a number, found \(found)"
        }
    }
}

/// A result table: typed columns, validated rows, optional group column, caption and footnote.
public struct Table: Hashable, Sendable {
    public let columns: [TableColumn]
    public private(set) var rows: [[TableValue]]
    /// Rows with equal values in this column form one group for best-cell marking (e.g. "dataset");
    /// `nil` makes the whole table one group.
    public let groupColumn: String?
    /// Shown above the table (Markdown paragraph, LaTeX `\caption`).
    public var caption: String?
    /// Shown below the table.
    public var footnote: String?
    /// Default significant digits of number and mean ± std cells.
    public var significantDigits: Int

    /// - Throws: `TableError` when a column name repeats, the group column does not exist, a row
    ///   has the wrong length or a cell's kind does not fit its column.
    public init(columns: [TableColumn], rows: [[TableValue]] = [], groupColumn: String? = nil,
                caption: String? = nil, footnote: String? = nil, significantDigits: Int = 4) throws(TableError) {
        precondition(significantDigits >= 1 && significantDigits <= 17, "significantDigits must be in 1...17") // invariant: programmer misuse
        var seen = Set<String>()
        for c in columns where !seen.insert(c.name).inserted { throw .duplicateColumn(name: c.name) }
        if let g = groupColumn, !seen.contains(g) { throw .unknownColumn(name: g, role: "group column") }
        self.columns = columns
        self.rows = []
        self.groupColumn = groupColumn
        self.caption = caption
        self.footnote = footnote
        self.significantDigits = significantDigits
        for row in rows { try append(row) }
    }

    /// Builds rows by looking up each column's name in each record (absent keys become `.missing`).
    public init(columns: [TableColumn], records: [Record], groupColumn: String? = nil,
                caption: String? = nil, footnote: String? = nil, significantDigits: Int = 4) throws(TableError) {
        try self.init(columns: columns, rows: records.map { r in columns.map { r[$0.name] ?? .missing } },
                      groupColumn: groupColumn, caption: caption, footnote: footnote,
                      significantDigits: significantDigits)
    }

    /// Appends one row after checking its length and cell kinds.
    public mutating func append(_ row: [TableValue]) throws(TableError) {
        let index = rows.count
        guard row.count == columns.count else {
            throw .rowLength(row: index, expected: columns.count, found: row.count)
        }
        for (cell, column) in zip(row, columns) where !Table.accepts(column.kind, cell) {
            throw .kindMismatch(row: index, column: column.name, expected: column.kind, found: cell.kindName)
        }
        rows.append(row)
    }

    /// Index of the column called `name`.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Significant digits used for column `j`.
    func digits(_ j: Int) -> Int { columns[j].significantDigits ?? significantDigits }

    static func accepts(_ kind: ColumnKind, _ value: TableValue) -> Bool {
        switch (kind, value) {
        case (_, .missing), (.text, .text), (.number, .number), (.number, .integer),
             (.integer, .integer), (.meanStd, .meanStd):
            return true
        default:
            return false
        }
    }
}
