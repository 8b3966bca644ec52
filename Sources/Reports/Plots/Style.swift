// Style.swift — colours, dash patterns and markers.
//
// The default palette is Okabe & Ito's eight colours ("Color Universal Design", 2002; also
// recommended in Wong, "Points of view: Color blindness", Nature Methods 2011), which stay
// distinguishable under the common forms of colour-vision deficiency. Yellow comes last because
// it is hard to see on white. After eight series the colours repeat with the next dash pattern,
// so every series stays distinguishable without colour too.

/// An sRGB colour as "#rrggbb".
public struct PlotColor: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    /// `hex` must be "#rrggbb".
    public init(hex: String) {
        precondition(hex.count == 7 && hex.first == "#" && hex.dropFirst().allSatisfy(\.isHexDigit), // invariant: programmer misuse
                     "colour must be #rrggbb, got \(hex)")
        self.hex = hex.lowercased()
    }

    public var description: String { hex }

    public static let blue = PlotColor(hex: "#0072B2")
    public static let vermillion = PlotColor(hex: "#D55E00")
    public static let bluishGreen = PlotColor(hex: "#009E73")
    public static let reddishPurple = PlotColor(hex: "#CC79A7")
    public static let orange = PlotColor(hex: "#E69F00")
    public static let skyBlue = PlotColor(hex: "#56B4E9")
    public static let black = PlotColor(hex: "#000000")
    public static let yellow = PlotColor(hex: "#F0E442")
    public static let gray = PlotColor(hex: "#777777")

    /// The Okabe–Ito palette in the order series receive it.
    public static let palette: [PlotColor] = [.blue, .vermillion, .bluishGreen, .reddishPurple, .orange,
                                              .skyBlue, .black, .yellow]

    /// The default colour of the `i`-th series.
    public static func automatic(_ i: Int) -> PlotColor { palette[i % palette.count] }
}

/// Stroke pattern of a line.
public enum LineDash: String, CaseIterable, Hashable, Sendable {
    case solid, dashed, dotted, dashDot

    /// The default dash of the `i`-th series: solid until the palette repeats, then the next pattern.
    public static func automatic(_ i: Int) -> LineDash { allCases[(i / PlotColor.palette.count) % allCases.count] }

    /// `stroke-dasharray` for a line of width `w`, or `nil` for solid.
    func dashArray(width w: Double) -> String? {
        switch self {
        case .solid: return nil
        case .dashed: return "\(SVG.number(3.5 * w)) \(SVG.number(2 * w))"
        case .dotted: return "\(SVG.number(0.1)) \(SVG.number(2 * w))"   // round caps turn 0.1 into dots
        case .dashDot: return "\(SVG.number(4 * w)) \(SVG.number(1.8 * w)) \(SVG.number(0.1)) \(SVG.number(1.8 * w))"
        }
    }
}

/// A point marker.
public enum Marker: String, CaseIterable, Hashable, Sendable {
    case none, circle, square, triangle, diamond, cross, plus

    /// The markers given to scatter groups in turn.
    public static let sequence: [Marker] = [.circle, .square, .triangle, .diamond, .cross, .plus]

    /// `true` for outline-only markers (drawn with a stroke, not a fill).
    var isStroked: Bool { self == .cross || self == .plus }

    /// Path data of the marker of radius `r` centred at `p` (empty for `.none`).
    func path(at p: PlotPoint, radius r: Double) -> String {
        let x = p.x, y = p.y
        func n(_ v: Double) -> String { SVG.number(v) }
        switch self {
        case .none: return ""
        case .circle:
            return "M\(n(x - r)) \(n(y))a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0a\(n(r)) \(n(r)) 0 1 0 \(n(-2 * r)) 0Z"
        case .square:
            let s = 0.9 * r
            return "M\(n(x - s)) \(n(y - s))h\(n(2 * s))v\(n(2 * s))h\(n(-2 * s))Z"
        case .triangle:
            return "M\(n(x)) \(n(y - 1.2 * r))L\(n(x + 1.05 * r)) \(n(y + 0.7 * r))L\(n(x - 1.05 * r)) \(n(y + 0.7 * r))Z"
        case .diamond:
            return "M\(n(x)) \(n(y - 1.25 * r))L\(n(x + r)) \(n(y))L\(n(x)) \(n(y + 1.25 * r))L\(n(x - r)) \(n(y))Z"
        case .cross:
            return "M\(n(x - r)) \(n(y - r))L\(n(x + r)) \(n(y + r))M\(n(x - r)) \(n(y + r))L\(n(x + r)) \(n(y - r))"
        case .plus:
            return "M\(n(x - 1.2 * r)) \(n(y))H\(n(x + 1.2 * r))M\(n(x)) \(n(y - 1.2 * r))V\(n(y + 1.2 * r))"
        }
    }
}
