// TokenComparison.swift — comparing generated text as a sequence of numbers and the text
// between them, so that rounding noise cannot fail a check but a changed value does.
//
// Text must match exactly. Two numbers match when
//  - their texts are equal; or
//  - they differ by at most 1e-9 relative (full-precision prints, e.g. `0.9231190640347159`,
//    whose last digits depend on the BLAS kernel and on whether the compiler fused a multiply
//    and an add); or
//  - they are printed alike with a decimal point or an exponent and at least 3 significant
//    digits — the same number of decimals and the same exponent — and differ by at most one
//    unit in the last printed digit (a display-rounded `0.1235` vs `0.1234`: at most a 1 %
//    change). Integers (counts, sizes) and shorter prints (`0.5` vs `0.6`) must be equal.
// A caller may add its own rule (SVG pixel coordinates within 0.05 px).

/// Token-wise comparison of generated text (see TokenComparison.swift).
public enum TokenComparison {
    enum Token: Equatable { case text(String), number(String) }

    /// `s` split into numbers (as VolatileMask recognises them) and the text between them.
    static func tokens(_ s: String) -> [Token] {
        // The number scanner of VolatileMask brackets each number with U+0001 (not used in text).
        let marker: Character = "\u{1}"
        let bracketed = VolatileMask.maskNumbers(s) { n in "\u{1}" + n + "\u{1}" }
        var out: [Token] = []
        var current = ""
        var inNumber = false
        for c in bracketed {
            if c == marker {
                if inNumber { out.append(.number(current)) } else if !current.isEmpty { out.append(.text(current)) }
                current = ""
                inNumber.toggle()
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(.text(current)) }
        return out
    }

    /// Whether two printed numbers match (see the file header); `extra` may accept more.
    public static func numbersMatch(_ a: String, _ b: String, extra: ((Double, Double) -> Bool)? = nil) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        if abs(x - y) <= 1e-9 * max(abs(x), abs(y)) { return true }
        if let extra, extra(x, y) { return true }
        let (da, ea) = layout(a), (db, eb) = layout(b)
        let rounded = a.contains { $0 == "." || $0 == "e" || $0 == "E" }
        guard rounded, da == db, ea == eb, significantDigits(a) >= 3, significantDigits(b) >= 3 else { return false }
        let unit = pow10(ea - da)
        return abs(x - y) <= unit * (1 + 1e-9)
    }

    /// Whether two lines match token by token.
    public static func lineMatches(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        return firstDifference(a, b, extra: nil) == nil
    }

    /// Whether two line lists match line by line.
    public static func linesMatch(_ a: [String], _ b: [String]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { lineMatches($0, $1) }
    }

    /// A short description of the first difference, or `nil` when the texts match.
    public static func firstDifference(_ a: String, _ b: String, extra: ((Double, Double) -> Bool)?) -> String? {
        let ta = tokens(a), tb = tokens(b)
        for (x, y) in zip(ta, tb) {
            switch (x, y) {
            case let (.number(u), .number(v)):
                if !numbersMatch(u, v, extra: extra) { return "number \(u) is now \(v)" }
            case let (.text(s), .text(t)) where s == t: continue
            default:
                return "'\(excerpt(x))' is now '\(excerpt(y))'"
            }
        }
        if ta.count != tb.count { return "the fresh text is \(ta.count < tb.count ? "longer" : "shorter")" }
        return nil
    }

    /// Decimals after the point and the decimal exponent of a printed number.
    static func layout(_ s: String) -> (decimals: Int, exponent: Int) {
        var mantissa = Substring(s), exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            exponent = Int(s[s.index(after: e)...]) ?? 0
        }
        let decimals = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return (decimals, exponent)
    }

    /// Digits of the mantissa after leading zeros.
    static func significantDigits(_ s: String) -> Int {
        let mantissa = s.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber)
        return mantissa.drop { $0 == "0" }.count
    }

    static func pow10(_ k: Int) -> Double {
        var r = 1.0
        if k >= 0 { for _ in 0..<k { r *= 10 } } else { for _ in 0..<(-k) { r /= 10 } }
        return r
    }

    static func excerpt(_ t: Token) -> String {
        switch t {
        case let .text(s): return String(s.prefix(60)).replacingOccurrences(of: "\n", with: "⏎")
        case let .number(s): return s
        }
    }
}
