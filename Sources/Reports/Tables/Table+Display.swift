// Table+Display.swift — cells rounded for the human-readable renderers (Markdown, LaTeX).
//
// Each renderer turns a `DisplayCell` into its own syntax (e.g. "1.2e-5" in Markdown,
// `$1.2\times10^{-5}$` in LaTeX), so rounding rules live in one place.

/// A cell after rounding, before rendering.
enum DisplayCell {
    case text(String)
    case number(FormattedNumber)
    case integer(Int)
    /// `n` is set only when it differs from the table's common sample count.
    case meanStd(mean: FormattedNumber, std: FormattedNumber?, n: Int?)
    case missing
}

extension Table {
    /// The rounded cell at row `i`, column `j`.
    func displayCell(_ i: Int, _ j: Int, commonN: Int?) -> DisplayCell {
        switch rows[i][j] {
        case let .text(s): return .text(s)
        case let .integer(k): return .integer(k)
        case let .number(x): return .number(NumberFormatting.significant(x, digits: digits(j)))
        case let .meanStd(s):
            let (mean, std) = NumberFormatting.meanStd(s, digits: digits(j))
            return .meanStd(mean: mean, std: std, n: s.n == commonN ? nil : s.n)
        case .missing: return .missing
        }
    }

    /// `true` for columns whose cells are right-aligned (everything but text).
    func isNumeric(_ j: Int) -> Bool { columns[j].kind != .text }
}
