// TestData.swift — where the tests find datasets, and temporary CSV files.

import Foundation
import Evaluation
import TestSupport

enum TestData {
    /// The repository's data directories. Local-only sysid files: `SSLAB_DATA_DIR` when set,
    /// else `datasets/sysid` when it exists, else the development workspace's staged copy at
    /// `../shared/datasets/local-only`.
    static let directories: DataDirectories = {
        let root = Fixtures.packageRoot
        var dirs = DataDirectories.resolve(repositoryRoot: root)
        if ProcessInfo.processInfo.environment[DataDirectories.environmentVariable] == nil && !dirs.hasSysidDirectory {
            dirs.sysid = root.appendingPathComponent("../shared/datasets/local-only").standardizedFileURL
        }
        return dirs
    }()

    /// Whether the local-only sysid CSVs are present (tests that need them skip otherwise).
    static let hasSysid: Bool = directories.hasSysidDirectory

    static let loader = DatasetLoader(directories: directories)

    /// Writes `contents` to `name` in a fresh temporary directory and returns its URL.
    static func file(_ name: String, _ contents: String) throws -> URL {
        let dir = try makeTemporaryDirectory("sslab-eval")
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

/// The `DataFileError` thrown by `body`, or nil (recording an issue) when it throws none.
func dataFileError(_ body: () throws -> Void) -> DataFileError? {
    do { try body() } catch let e as DataFileError { return e } catch { return nil }
    return nil
}
