// ResultStore.swift — records.jsonl, appended one whole line at a time.
//
// Crash safety: each record is encoded first and written with a single append of the full
// line followed by fsync, so an interrupted run leaves at most one partial last line. Opening
// the store repairs that: a trailing line without its newline is a torn record and is cut off
// (its run is simply redone); a malformed complete line is an error naming the line, never
// silently dropped.

import Foundation
import Synchronization

/// A problem with the result store.
public struct ResultStoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

public final class ResultStore: Sendable {
    public let url: URL
    private let state: Mutex<[RunRecord]>

    /// Opens (creating if needed) `directory/records.jsonl`, repairing a torn last line.
    public init(directory: URL) throws {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw ResultStoreError(path: directory.path, message: "cannot create the output directory (\(error.localizedDescription))")
        }
        url = directory.appendingPathComponent("records.jsonl")
        state = Mutex(try ResultStore.load(url))
    }

    /// All records, in file order.
    public var records: [RunRecord] { state.withLock { $0 } }

    /// Whether `key` already has a record made with the same specifications.
    public func isDone(_ key: RunKey, digest: String) -> Bool {
        state.withLock { $0.contains { $0.key == key && $0.specDigest == digest } }
    }

    /// Appends one record durably (single write of the whole line, then fsync).
    public func append(_ record: RunRecord) throws {
        let line = try record.jsonLine() + "\n"
        try state.withLock { records in
            let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ResultStoreError(path: url.path, message: "cannot open for appending (errno \(errno))") }
            defer { close(fd) }
            let bytes = Array(line.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ResultStoreError(path: url.path, message: "write failed (errno \(errno))")
                }
                written += n
            }
            guard fsync(fd) == 0 else { throw ResultStoreError(path: url.path, message: "fsync failed (errno \(errno))") }
            records.append(record)
        }
    }

    static func load(_ url: URL) throws -> [RunRecord] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        guard var data = try? Data(contentsOf: url) else { throw ResultStoreError(path: url.path, message: "cannot read") }
        if let last = data.last, last != UInt8(ascii: "\n") {
            // A torn last record from an interrupted append: cut it off.
            let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            data = data.prefix(keep)
            guard truncate(url.path, off_t(keep)) == 0 else {
                throw ResultStoreError(path: url.path, message: "cannot remove a torn last record (errno \(errno))")
            }
        }
        var records: [RunRecord] = []
        let decoder = JSONDecoder()
        for (i, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do { records.append(try decoder.decode(RunRecord.self, from: Data(line))) } catch {
                throw ResultStoreError(path: url.path, message: "line \(i + 1) is not a valid record (\(error.localizedDescription)); move the file aside to start afresh")
            }
        }
        return records
    }

    /// Reads the records of a finished or partial run without modifying anything.
    public static func read(directory: URL) throws -> [RunRecord] {
        let url = directory.appendingPathComponent("records.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ResultStoreError(path: url.path, message: "no such file (is this the --out directory of `sslab run`?)")
        }
        guard let data = try? Data(contentsOf: url) else { throw ResultStoreError(path: url.path, message: "cannot read") }
        var records: [RunRecord] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where !line.isEmpty {
            let complete = i < lines.count - 1   // the last piece has no newline: torn, skip it
            guard complete else { continue }
            do { records.append(try JSONDecoder().decode(RunRecord.self, from: Data(line))) } catch {
                throw ResultStoreError(path: url.path, message: "line \(i + 1) is not a valid record (\(error.localizedDescription))")
            }
        }
        return records
    }
}
