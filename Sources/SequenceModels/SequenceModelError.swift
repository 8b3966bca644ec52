// SequenceModelError.swift — typed errors for user data reaching the learning stack.
//
// Shapes a programmer controls (a layer fed a tensor of the wrong width by code) are
// `precondition`s; shapes and values that come from data (a dataset, a file, class labels)
// are checked by the data-facing entry points, which throw one of these.

/// A problem with data given to SequenceModels: a shape, a label, a value.
public enum SequenceModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `count` scalars cannot fill `shape`.
    case scalarCountMismatch(shape: [Int], expected: Int, found: Int)
    /// A dimension is negative.
    case negativeDimension(shape: [Int])
    /// Nested input arrays differ in length (`path` is the index path of the first bad row).
    case raggedInput(path: [Int], expected: Int, found: Int)
    /// Two operands of `operation` have shapes that do not fit.
    case shapeMismatch(operation: String, expected: [Int], found: [Int])
    /// A class label is not an integer in `0..<classes` (`index` is its flat position).
    case invalidClassLabel(index: Int, value: Double, classes: Int)
    /// A token id is not an integer in `0..<vocabularySize` (`index` is its flat position).
    case invalidToken(index: Int, value: Double, vocabularySize: Int)
    /// A mask entry is negative or not finite (`index` is its flat position).
    case invalidMask(index: Int, value: Double)
    /// A dataset or argument is empty where data is required.
    case empty(what: String)
    /// A configuration value is out of range (`name` is the field).
    case invalidConfiguration(name: String, reason: String)

    public var description: String {
        switch self {
        case let .scalarCountMismatch(shape, expected, found):
            return "shape \(shape) needs \(expected) scalars, got \(found)"
        case let .negativeDimension(shape):
            return "shape \(shape) has a negative dimension"
        case let .raggedInput(path, expected, found):
            return "nested input at \(path) has \(found) entries, expected \(expected)"
        case let .shapeMismatch(operation, expected, found):
            return "\(operation): expected shape \(expected), found \(found)"
        case let .invalidClassLabel(index, value, classes):
            return "class label \(value) at position \(index) is not an integer in 0..<\(classes)"
        case let .invalidToken(index, value, vocabularySize):
            return "token id \(value) at position \(index) is not an integer in 0..<\(vocabularySize)"
        case let .invalidMask(index, value):
            return "mask value \(value) at position \(index) must be finite and ≥ 0"
        case let .empty(what):
            return "\(what) is empty"
        case let .invalidConfiguration(name, reason):
            return "\(name): \(reason)"
        }
    }
}
