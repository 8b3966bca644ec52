// LabBlock.swift — a fenced code block the notebook engine executes, and its options.
//
// Two kinds, chosen by the first word of the fence's info string (any other info string is an
// ordinary code block and is never run):
//
//     ```sslab [options]               one `sslab` command line per line ("sslab" first is optional);
//                                      `#` starts a comment, a trailing `\` continues the line
//     ```sslab-experiment name=NAME    an inline TOML experiment, run with `sslab run` and tabulated
//
// Options are `key=value` words or bare flags, split shell-style (so `title="A title"` works):
//
// | option | blocks | meaning |
// | --- | --- | --- |
// | `volatile=P,…` | both | numbers in table columns whose header contains P, and in other lines containing P, are masked when checking |
// | `roundoff=P,…` | both | in table columns whose header contains P, numbers below 1e-9 in magnitude compare as ≈0 when checking |
// | `volatile-figures` | both | figures of this block are checked for existence only, not content |
// | `stderr` | sslab | show each command's stderr (as text) after its stdout |
// | `head=N` | sslab | show only the first N lines of each text output |
// | `plot=FILE.svg` | sslab | draw the commands' outputs (CSV or a Markdown table) as one line plot instead of showing them |
// | `x=COL`, `y=COL,…` | sslab + plot | x column (default `k`, `omega` or the row index) and y columns (default: the others but `t`) |
// | `series=COL` | sslab + plot | one curve per distinct value of this (text) column, e.g. `series=mode` |
// | `show` | sslab + plot | show the outputs as well as the plot (one measurement for both) |
// | `logx`, `logy`, `abs` | sslab + plot | log axes; plot absolute values |
// | `xrange=LO,HI`, `yrange=LO,HI` | sslab + plot | fixed axis ranges (curves are clipped to them) |
// | `title=`, `xlabel=`, `ylabel=` | sslab + plot | figure texts |
// | `name=NAME` | experiment | required: the experiment's output folder is `results/NAME` for later blocks |
// | `metric=M,…`, `by=K,…` | experiment | passed to `sslab table --metric/--by` |

import Foundation

/// What a lab block runs.
public enum LabBlockKind: String, Sendable, CaseIterable {
    /// Command lines of `sslab`.
    case commands = "sslab"
    /// An inline TOML experiment.
    case experiment = "sslab-experiment"
}

/// How a `plot=` block draws its commands' CSV output.
public struct NotebookPlotOptions: Equatable, Sendable {
    /// The SVG file to write, relative to the notebook's folder.
    public var file: String
    public var x: String?
    public var y: [String]?
    /// A column whose distinct values split the rows into separate curves.
    public var series: String?
    /// Show the commands' outputs too.
    public var showsOutput = false
    public var logX = false
    public var logY = false
    /// Fixed axis ranges.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Plot |value| (useful with `logy` for oscillating kernels).
    public var absolute = false
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?

    public init(file: String, x: String? = nil, y: [String]? = nil, series: String? = nil, showsOutput: Bool = false,
                logX: Bool = false, logY: Bool = false, xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                absolute: Bool = false, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.file = file
        self.x = x
        self.y = y
        self.series = series
        self.showsOutput = showsOutput
        self.logX = logX
        self.logY = logY
        self.xRange = xRange
        self.yRange = yRange
        self.absolute = absolute
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }
}

/// The parsed options of a lab block (see LabBlock.swift for their meaning).
public struct LabBlockOptions: Equatable, Sendable {
    public var volatile: [String] = []
    public var roundoff: [String] = []
    public var volatileFigures = false
    public var showStderr = false
    public var head: Int?
    public var plot: NotebookPlotOptions?
    public var experimentName: String?
    public var metric: String?
    public var by: String?

    static let commandKeys = ["volatile", "roundoff", "volatile-figures", "stderr", "head", "plot", "x", "y", "series",
                              "show", "logx", "logy", "abs", "xrange", "yrange", "title", "xlabel", "ylabel"]
    static let experimentKeys = ["name", "metric", "by", "volatile", "roundoff", "volatile-figures"]
    static let flags: Set<String> = ["volatile-figures", "stderr", "show", "logx", "logy", "abs"]
    static let plotOnly: Set<String> = ["x", "y", "series", "show", "logx", "logy", "abs", "xrange", "yrange", "title", "xlabel", "ylabel"]

    /// Parses `words` (the info string after the kind); `fail` builds the error for a message.
    static func parse(_ words: [String], kind: LabBlockKind, fail: (String) -> NotebookError) throws(NotebookError) -> LabBlockOptions {
        let valid = kind == .commands ? commandKeys : experimentKeys
        var o = LabBlockOptions()
        var seen: [String: String] = [:]
        for w in words {
            let key: String, value: String?
            if let eq = w.firstIndex(of: "=") { key = String(w[..<eq]); value = String(w[w.index(after: eq)...]) } else { key = w; value = nil }
            guard valid.contains(key) else {
                throw fail("unknown option '\(key)' for a `\(kind.rawValue)` block; valid: \(valid.joined(separator: ", "))")
            }
            guard seen[key] == nil else { throw fail("option '\(key)' is given twice") }
            if flags.contains(key) {
                guard value == nil else { throw fail("option '\(key)' is a flag and takes no value") }
            } else {
                guard let value, !value.isEmpty else { throw fail("option '\(key)' needs a value: \(key)=…") }
            }
            seen[key] = value ?? ""
        }
        func list(_ key: String) -> [String] {
            (seen[key] ?? "").split(separator: ",").map { String($0).trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
        }
        o.volatile = list("volatile")
        o.roundoff = list("roundoff")
        o.volatileFigures = seen["volatile-figures"] != nil
        o.showStderr = seen["stderr"] != nil
        if let h = seen["head"] {
            guard let n = Int(h), n >= 1 else { throw fail("option 'head' needs a positive integer, got '\(h)'") }
            o.head = n
        }
        if let file = seen["plot"] {
            guard file.lowercased().hasSuffix(".svg") else { throw fail("option 'plot' names an .svg file, got '\(file)'") }
            o.plot = NotebookPlotOptions(file: file, x: seen["x"], y: seen["y"].map { $0.split(separator: ",").map(String.init) },
                                         series: seen["series"], showsOutput: seen["show"] != nil, logX: seen["logx"] != nil,
                                         logY: seen["logy"] != nil, absolute: seen["abs"] != nil,
                                         title: seen["title"], xLabel: seen["xlabel"], yLabel: seen["ylabel"])
            for (key, log) in [("xrange", seen["logx"] != nil), ("yrange", seen["logy"] != nil)] {
                guard let text = seen[key] else { continue }
                let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, parts[0].isFinite, parts[1].isFinite, parts[0] < parts[1], !log || parts[0] > 0 else {
                    throw fail("option '\(key)' needs LO,HI with LO < HI\(log ? " and LO > 0 on a log axis" : ""), got '\(text)'")
                }
                if key == "xrange" { o.plot?.xRange = parts[0]...parts[1] } else { o.plot?.yRange = parts[0]...parts[1] }
            }
        } else if let stray = plotOnly.sorted().first(where: { seen[$0] != nil }) {
            throw fail("option '\(stray)' applies only with plot=FILE.svg")
        }
        if kind == .experiment {
            guard let name = seen["name"] else { throw fail("a `sslab-experiment` block needs name=NAME") }
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !name.hasPrefix(".") else {
                throw fail("name=\(name): use letters, digits, '-', '_' and '.' (it names a folder)")
            }
            o.experimentName = name
            o.metric = seen["metric"]
            o.by = seen["by"]
        }
        return o
    }
}

/// One command line of a `sslab` block.
public struct NotebookCommand: Equatable, Sendable {
    /// The arguments after `sslab`.
    public var arguments: [String]
    /// The line's trailing `# comment` (a plot's series label, a figure's alt text).
    public var label: String?
    /// 1-based line of the command's first physical line in the notebook.
    public var line: Int
    /// The command as shown in messages: `sslab` and the arguments, shell-quoted.
    public var display: String { (["sslab"] + arguments.map(ShellWords.quote)).joined(separator: " ") }
}

/// A block of a notebook that the engine executes.
public struct LabBlock: Equatable, Sendable {
    public var kind: LabBlockKind
    /// 1-based position among the notebook's lab blocks (the `id` of its output markers).
    public var ordinal: Int
    public var options: LabBlockOptions
    /// 1-based lines of the opening and closing fence.
    public var openingLine: Int
    public var closingLine: Int
    /// The lines between the fences (without line terminators).
    public var body: [String]
    /// The parsed command lines (`.commands` blocks; empty for experiments).
    public var commands: [NotebookCommand]
    /// FNV-1a 64-bit digest of the info string and the body, 16 hex digits: it changes whenever
    /// the block is edited, which makes its committed output stale.
    public var digest: String
    /// The generated output that follows the block, if any.
    public var output: OutputSection?
}

/// A generated output between `<!-- sslab:begin … -->` and `<!-- sslab:end -->`.
public struct OutputSection: Equatable, Sendable {
    /// 1-based lines of the begin and end markers.
    public var beginLine: Int
    public var endLine: Int
    /// `id` and `digest` attributes of the begin marker.
    public var id: String?
    public var digest: String?
    /// The lines from the begin marker through the end marker (without terminators).
    public var lines: [String]
}

enum Digest {
    /// FNV-1a, 64 bit ("Fowler–Noll–Vo hash"), over the UTF-8 bytes; 16 lowercase hex digits.
    /// Not cryptographic: it only needs to notice edits.
    static func fnv1a(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
