// AtomicFile.swift — writing output files so that a failed command leaves no partial file.
//
// Every file the lab produces (tables, plots, result stores, model files) goes through here.
// Protocol, in order:
//  1. create the parent directories of `path` (like `mkdir -p`);
//  2. create a fresh temporary file `.<name>.<random>.tmp` in the SAME directory
//     (`O_CREAT | O_EXCL`, so two writers never share one);
//  3. write every byte (partial writes and EINTR are retried), `fsync`, `close`;
//  4. `rename(2)` it over `path` — atomic on POSIX file systems when source and destination are
//     in one directory, so readers see either the old file or the complete new one.
// On any failure — including an error thrown by the caller's content producer — the temporary
// file is removed and `path` is left as it was. The directory itself is not fsynced: after a
// power loss the rename may be lost, but never half-applied.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to write an output file; every case names the path and the operating-system reason.
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path is empty or names a directory (ends in `/`).
    case invalidPath(path: String, reason: String)
    /// A parent directory could not be created.
    case createDirectory(path: String, reason: String)
    /// The temporary file next to `path` could not be created.
    case createTemporary(path: String, reason: String)
    /// Writing or flushing the temporary file failed.
    case write(path: String, reason: String)
    /// Renaming the finished temporary file onto `path` failed.
    case rename(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidPath(path, reason): return "cannot write '\(path)': \(reason)"
        case let .createDirectory(path, reason): return "cannot create directory '\(path)': \(reason)"
        case let .createTemporary(path, reason): return "cannot create a temporary file for '\(path)': \(reason)"
        case let .write(path, reason): return "cannot write '\(path)': \(reason)"
        case let .rename(path, reason): return "cannot move the finished file onto '\(path)': \(reason)"
        }
    }
}

/// Atomic replacement of whole files (see the file header for the protocol).
public enum AtomicFile {
    /// A sink for the content of one atomic write; valid only inside the `write(to:_:)` closure.
    public struct Writer {
        fileprivate let descriptor: Int32
        /// The destination path (for error messages).
        public let path: String

        /// Appends `data` to the temporary file.
        public func write(_ data: Data) throws(AtomicFileError) {
            let failure: String? = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> String? in
                guard var p = raw.baseAddress else { return nil }
                var left = raw.count
                while left > 0 {
                    let n = systemWrite(descriptor, p, left)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return errnoText()
                    }
                    p += n
                    left -= n
                }
                return nil
            }
            if let failure { throw .write(path: path, reason: failure) }
        }

        /// Appends the UTF-8 bytes of `string` to the temporary file.
        public func write(_ string: String) throws(AtomicFileError) {
            try write(Data(string.utf8))
        }
    }

    /// Writes `data` to `path` atomically, creating parent directories.
    public static func write(_ data: Data, to path: String) throws(AtomicFileError) {
        do {
            try write(to: path) { (w: Writer) throws in try w.write(data) }
        } catch let error as AtomicFileError {
            throw error
        } catch {
            // Unreachable: the closure above throws only AtomicFileError.
            throw .write(path: path, reason: "\(error)")
        }
    }

    /// Writes the UTF-8 bytes of `string` to `path` atomically, creating parent directories.
    public static func write(_ string: String, to path: String) throws(AtomicFileError) {
        try write(Data(string.utf8), to: path)
    }

    /// Writes the data returned by `produce` to `path` atomically. `produce` runs after the
    /// temporary file exists; if it throws, the temporary file is removed, `path` is untouched,
    /// and its error is rethrown unchanged.
    public static func write(to path: String, producing produce: () throws -> Data) throws {
        try write(to: path) { (w: Writer) throws in try w.write(try produce()) }
    }

    /// Streams content into `path` atomically: `body` appends through the `Writer` (any number of
    /// times); the file appears at `path` only after `body` returns and everything is flushed.
    /// If `body` throws, the partial temporary file is removed and the error is rethrown unchanged;
    /// failures of the file system itself are `AtomicFileError`s.
    public static func write(to path: String, _ body: (Writer) throws -> Void) throws {
        let (directory, name) = try split(path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError.createDirectory(path: directory, reason: describe(error))
        }
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<16 {  // O_EXCL collisions of 64 random bits are practically impossible
            temporary = directory + "/." + name + "." + String(UInt64.random(in: .min ... .max), radix: 16) + ".tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw AtomicFileError.createTemporary(path: path, reason: errnoText()) }

        var closed = false
        do {
            let writer = Writer(descriptor: descriptor, path: path)
            try body(writer)
            if fsync(descriptor) != 0 { throw AtomicFileError.write(path: path, reason: errnoText()) }
            closed = true
            if close(descriptor) != 0 { throw AtomicFileError.write(path: path, reason: errnoText()) }
            if rename(temporary, path) != 0 { throw AtomicFileError.rename(path: path, reason: errnoText()) }
        } catch {
            if !closed { _ = close(descriptor) }
            _ = unlink(temporary)
            throw error
        }
    }

    /// `(directory, file name)` of `path`; relative paths are relative to the working directory.
    private static func split(_ path: String) throws(AtomicFileError) -> (String, String) {
        guard !path.isEmpty else { throw .invalidPath(path: path, reason: "the path is empty") }
        guard !path.hasSuffix("/") else { throw .invalidPath(path: path, reason: "the path names a directory") }
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .invalidPath(path: path, reason: "the path names a directory")
        }
        return (url.deletingLastPathComponent().path, name)
    }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

private func describe(_ error: Error) -> String {
    (error as NSError).localizedDescription
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
