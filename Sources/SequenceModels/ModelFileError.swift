// ModelFileError.swift — why a model file could not be written or read.

/// A model-file failure; every case names the file.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file (or its temporary) could not be written or renamed into place.
    case writeFailed(file: String, reason: String)
    /// The file does not start with the model-file magic bytes.
    case notAModelFile(file: String)
    /// The file ends before the header or payload it announces.
    case truncated(file: String, expectedBytes: Int, foundBytes: Int)
    /// The JSON header is malformed or inconsistent.
    case corruptHeader(file: String, reason: String)
    /// The format version is not one this build reads.
    case unsupportedVersion(file: String, version: Int)
    /// The file holds a different kind of model.
    case kindMismatch(file: String, expected: String, found: String)
    /// Parameter names or shapes differ from the model's.
    case parameterMismatch(file: String, reason: String)
    /// The payload checksum does not match the header (corrupted bytes).
    case checksumMismatch(file: String)
    /// The stored configuration is rejected by the model.
    case invalidConfiguration(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read model file: \(reason)"
        case let .writeFailed(file, reason): return "\(file): cannot write model file: \(reason)"
        case let .notAModelFile(file): return "\(file): not an sslab model file (bad magic bytes)"
        case let .truncated(file, expected, found): return "\(file): truncated model file: expected \(expected) bytes, found \(found)"
        case let .corruptHeader(file, reason): return "\(file): corrupt model header: \(reason)"
        case let .unsupportedVersion(file, version): return "\(file): unsupported model file version \(version) (this build reads \(ModelFile.formatVersion))"
        case let .kindMismatch(file, expected, found): return "\(file): holds a '\(found)' model, expected '\(expected)'"
        case let .parameterMismatch(file, reason): return "\(file): parameters do not match the model: \(reason)"
        case let .checksumMismatch(file): return "\(file): payload checksum mismatch (file is corrupted)"
        case let .invalidConfiguration(file, reason): return "\(file): invalid model configuration: \(reason)"
        }
    }
}
