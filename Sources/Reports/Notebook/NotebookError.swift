// NotebookError.swift — what can go wrong with a notebook; every case names the file and, where
// there is one, the 1-based line.

/// A notebook that cannot be read, parsed, executed or written. The description has the form
/// `FILE:LINE: problem` (or `FILE: problem` when no line applies).
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (or is not UTF-8).
    case read(path: String, reason: String)
    /// Malformed notebook structure: an unclosed lab block or output marker, a bad block option,
    /// a command line that does not split into words.
    case syntax(path: String, line: Int, message: String)
    /// A block's command could not be started or exited with a non-zero status; `detail` is the
    /// command's last stderr line (or the reason it could not start).
    case commandFailed(path: String, line: Int, command: String, status: Int32?, detail: String)
    /// A block ran, but its output cannot be used (e.g. a plot block whose command printed no CSV,
    /// an output file outside the notebook's folder).
    case output(path: String, line: Int, message: String)
    /// Writing the notebook or one of its files failed.
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case let .read(path, reason): return "\(path): cannot read the notebook: \(reason)"
        case let .syntax(path, line, message): return "\(path):\(line): \(message)"
        case let .commandFailed(path, line, command, status, detail):
            let how = status.map { "exited with status \($0)" } ?? "could not be started"
            let tail = detail.isEmpty ? "" : ": \(detail)"
            return "\(path):\(line): `\(command)` \(how)\(tail); the notebook was left unchanged"
        case let .output(path, line, message): return "\(path):\(line): \(message)"
        case let .write(path, reason): return "\(path): \(reason)"
        }
    }
}
