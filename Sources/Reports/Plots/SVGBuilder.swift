// SVGBuilder.swift — hand-written SVG: elements, XML escaping, compact numbers.
//
// Coordinates are printed with at most two decimals (0.01 px is far below what a screen or a
// printer resolves) and without trailing zeros, which keeps files small and diffs stable.

import Foundation

/// A point in SVG pixel coordinates (y grows downwards).
public struct PlotPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A rectangle in SVG pixel coordinates.
public struct PlotRect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// `true` when `p` lies in the rectangle or on its border.
    public func contains(_ p: PlotPoint, tolerance: Double = 1e-9) -> Bool {
        p.x >= x - tolerance && p.x <= maxX + tolerance && p.y >= y - tolerance && p.y <= maxY + tolerance
    }

    func intersects(_ r: PlotRect) -> Bool {
        x < r.maxX && r.x < maxX && y < r.maxY && r.y < maxY
    }

    func insetBy(_ d: Double) -> PlotRect { PlotRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

public enum SVG {
    /// `s` escaped for XML text and attribute values (& < > " ').
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 forbids most control characters even as references; drop them.
            case _ where c.value < 0x20 && c != "\t" && c != "\n" && c != "\r": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `x` with at most two decimals and no trailing zeros ("12.5", "3", "-0.25"); a value that
    /// rounds to zero prints as "0". Non-finite values print as "0" (callers filter them first).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let scaled = (x * 100).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = abs(scaled)
        guard magnitude < 1e15 else { return String(format: "%.2f", x) }
        let whole = Int64(magnitude) / 100, frac = Int64(magnitude) % 100
        var s = (negative ? "-" : "") + String(whole)
        if frac != 0 {
            s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
        }
        return s
    }
}

/// Accumulates SVG elements; internal to the plot renderers.
struct SVGBuilder {
    let width: Double
    let height: Double
    private(set) var body: [String] = []
    private var nextID = 0

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    /// A document-unique id with `prefix`.
    mutating func uniqueID(_ prefix: String) -> String {
        nextID += 1
        return "\(prefix)\(nextID)"
    }

    mutating func raw(_ s: String) { body.append(s) }

    mutating func rect(_ r: PlotRect, fill: String, stroke: String? = nil, strokeWidth: Double = 1,
                       extra: KeyValuePairs<String, String> = [:]) {
        var s = "<rect x=\"\(SVG.number(r.x))\" y=\"\(SVG.number(r.y))\" width=\"\(SVG.number(r.width))\" height=\"\(SVG.number(r.height))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"\(SVG.number(strokeWidth))\"" }
        for (k, v) in extra { s += " \(k)=\"\(SVG.escape(v))\"" }
        body.append(s + "/>")
    }

    mutating func line(_ a: PlotPoint, _ b: PlotPoint, stroke: String, width: Double = 1, dash: String? = nil) {
        var s = "<line x1=\"\(SVG.number(a.x))\" y1=\"\(SVG.number(a.y))\" x2=\"\(SVG.number(b.x))\" y2=\"\(SVG.number(b.y))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.number(width))\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        body.append(s + "/>")
    }

    /// Text whose baseline is at `at.y`; `superscript` is appended raised and smaller
    /// (for "10" + "−3"). `rotate` is in degrees about the anchor point.
    mutating func text(_ text: String, at p: PlotPoint, size: Double, anchor: String = "start",
                       weight: String? = nil, fill: String = "#222222", italic: Bool = false,
                       superscript: String? = nil, rotate: Double? = nil) {
        var s = "<text x=\"\(SVG.number(p.x))\" y=\"\(SVG.number(p.y))\" font-size=\"\(SVG.number(size))\""
        if anchor != "start" { s += " text-anchor=\"\(anchor)\"" }
        if let weight { s += " font-weight=\"\(weight)\"" }
        if italic { s += " font-style=\"italic\"" }
        if fill != "#222222" { s += " fill=\"\(fill)\"" }
        if let rotate { s += " transform=\"rotate(\(SVG.number(rotate)) \(SVG.number(p.x)) \(SVG.number(p.y)))\"" }
        s += ">" + SVG.escape(text)
        if let superscript {
            s += "<tspan dy=\"\(SVG.number(-0.42 * size))\" font-size=\"\(SVG.number(0.72 * size))\">\(SVG.escape(superscript))</tspan>"
        }
        body.append(s + "</text>")
    }

    /// The complete document: white background (readable in dark mode viewers), optional
    /// `<title>` for accessibility, then the body.
    func document(title: String?) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" font-family=\"\(SVGBuilder.fontFamily)\">\n"
        if let title, !title.isEmpty { s += "<title>\(SVG.escape(title))</title>\n" }
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        for element in body { s += element + "\n" }
        return s + "</svg>\n"
    }
}

/// Estimated advance width of `text` at font size `size`, in px, for DejaVu Sans (the widest of
/// the fonts in `SVGBuilder.fontFamily`, so the estimate errs towards more room).
func textWidth(_ text: String, size: Double) -> Double {
    var em = 0.0
    for c in text {
        switch c {
        case "0"..."9": em += 0.64
        case " ", ".", ",", ":", ";", "i", "l", "j", "!", "|", "'", "I", "(", ")", "[", "]", "f", "t", "r":
            em += 0.36
        case "m", "w", "M", "W", "−", "+", "=", "×", "<", ">", "±": em += 0.86
        case "A"..."Z": em += 0.70
        case "a"..."z": em += 0.60
        default: em += 0.70
        }
    }
    return em * size
}
