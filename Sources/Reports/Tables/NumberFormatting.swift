// NumberFormatting.swift — rounding numbers to significant digits for human-readable tables.
//
// Machine-readable outputs (CSV, JSON) never use this: they print Swift's shortest round-trip
// `description` of the Double. Rules here:
//  - x is rounded to `digits` significant digits (the decimal exponent e is taken AFTER rounding,
//    so 9.9996 at 4 digits is 10.00, not 9.1000e0);
//  - fixed notation when −3 ≤ e < max(digits, 5), with max(0, digits − 1 − e) decimals;
//    otherwise scientific: mantissa with digits − 1 decimals and exponent e;
//  - a value that rounds to zero loses its sign ("0.000", never "-0.000").

import Foundation

/// A number rounded for display: mantissa text and, in scientific notation, a decimal exponent.
public struct FormattedNumber: Hashable, Sendable, CustomStringConvertible {
    /// "12.30", "-0.00123", "1.235" (scientific), or "NaN", "inf", "-inf".
    public var mantissa: String
    /// The power of ten in scientific notation; `nil` in fixed notation.
    public var exponent: Int?
    /// Decimals shown in fixed notation (`nil` in scientific notation or for non-finite values).
    public var decimals: Int?

    /// ASCII form: "12.30" or "1.235e-5".
    public var description: String { exponent.map { "\(mantissa)e\($0)" } ?? mantissa }
}

public enum NumberFormatting {
    /// `x` rounded to `digits` significant digits (see the file header for the notation rules).
    public static func significant(_ x: Double, digits: Int) -> FormattedNumber {
        precondition(digits >= 1 && digits <= 17, "digits must be in 1...17") // invariant: programmer misuse
        if let special = nonFinite(x) { return special }
        if x == 0 { return fixed(0, decimals: digits - 1) }
        // %e rounds correctly and reports the exponent of the rounded value.
        let scientific = String(format: "%.\(digits - 1)e", x)
        let parts = scientific.split(separator: "e")
        let e = Int(parts[1]) ?? 0
        if e >= -3 && e < max(digits, 5) {
            return fixed(x, decimals: max(0, digits - 1 - e))
        }
        return FormattedNumber(mantissa: String(parts[0]), exponent: e, decimals: nil)
    }

    /// `x` in fixed notation with `decimals` decimals; a rounded zero is printed without sign.
    public static func fixed(_ x: Double, decimals: Int) -> FormattedNumber {
        precondition(decimals >= 0 && decimals <= 40, "decimals must be in 0...40") // invariant: programmer misuse
        if let special = nonFinite(x) { return special }
        var text = String(format: "%.\(decimals)f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return FormattedNumber(mantissa: text, exponent: nil, decimals: decimals)
    }

    /// Mean and standard deviation for display: the mean at `digits` significant digits; in fixed
    /// notation the std gets the same number of decimals (so both line up), unless that would
    /// round a non-zero std to zero, in which case it gets one significant digit of its own.
    /// The std is `nil` when it is undefined (NaN, e.g. n = 1).
    public static func meanStd(_ s: MeanStd, digits: Int) -> (mean: FormattedNumber, std: FormattedNumber?) {
        let mean = significant(s.mean, digits: digits)
        guard !s.std.isNaN else { return (mean, nil) }
        if let k = mean.decimals, s.std.isFinite {
            let std = fixed(s.std, decimals: k)
            let roundsToZero = std.mantissa.allSatisfy { $0 == "0" || $0 == "." }
            if !roundsToZero || s.std == 0 { return (mean, std) }
            return (mean, significant(s.std, digits: 1))
        }
        return (mean, significant(s.std, digits: digits))
    }

    private static func nonFinite(_ x: Double) -> FormattedNumber? {
        if x.isNaN { return FormattedNumber(mantissa: "NaN", exponent: nil, decimals: nil) }
        if x.isInfinite { return FormattedNumber(mantissa: x < 0 ? "-inf" : "inf", exponent: nil, decimals: nil) }
        return nil
    }
}
