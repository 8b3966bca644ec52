// DataDirectories.swift — where the loaders look for dataset files.
//
// Packaged datasets: `<repository>/datasets`. Local-only system-identification datasets, in
// order of precedence:
//   1. the directory given by the CLI flag (`--data-dir`),
//   2. the environment variable `SSLAB_DATA_DIR`,
//   3. `<repository>/datasets/sysid`, where `datasets/fetch-sysid.sh` writes by default.
// In the lab's development environment the files are staged at `../shared/datasets/local-only`
// (relative to the repository root): `export SSLAB_DATA_DIR=../shared/datasets/local-only`.

import Foundation

/// The two data directories the loaders read.
public struct DataDirectories: Sendable {
    /// Name of the environment variable that selects the local-only data directory.
    public static let environmentVariable = "SSLAB_DATA_DIR"

    /// Directory holding the packaged CSV files (`datasets/`).
    public var packaged: URL
    /// Directory holding the local-only sysid CSV files.
    public var sysid: URL

    public init(packaged: URL, sysid: URL) {
        self.packaged = packaged
        self.sysid = sysid
    }

    /// The directories for a repository at `root`: flag, then `SSLAB_DATA_DIR`, then
    /// `root/datasets/sysid` for the local-only files; relative paths are taken from `root`.
    public static func resolve(repositoryRoot root: URL, dataDirectoryFlag: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> DataDirectories {
        func absolute(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        }
        let sysid: URL
        if let flag = dataDirectoryFlag, !flag.isEmpty {
            sysid = absolute(flag)
        } else if let env = environment[environmentVariable], !env.isEmpty {
            sysid = absolute(env)
        } else {
            sysid = root.appendingPathComponent("datasets/sysid")
        }
        return DataDirectories(packaged: root.appendingPathComponent("datasets"), sysid: sysid.standardizedFileURL)
    }

    /// The full path of a catalog file.
    public func url(of entry: CatalogEntry) -> URL {
        (entry.location == .packaged ? packaged : sysid).appendingPathComponent(entry.fileName)
    }

    /// Whether the local-only directory exists.
    public var hasSysidDirectory: Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: sysid.path, isDirectory: &isDir) && isDir.boolValue
    }
}
