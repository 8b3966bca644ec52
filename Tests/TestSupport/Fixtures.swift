// Fixtures.swift — locating and decoding committed reference values (Tests/Fixtures/*.json).
//
// The fixtures are produced by the generator scripts in Tests/Fixtures/generate/ (which record
// the tool versions and seeds); the tests only read them, so they never need Python.

import Foundation

public enum Fixtures {
    /// The `Tests/Fixtures` directory of this checkout.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The package root (where Package.swift is).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Decodes `Tests/Fixtures/<name>` as `T`.
    public static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The parsed JSON object of `Tests/Fixtures/<name>`.
    public static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// A fresh temporary directory for one test, removed by the caller when done.
public func makeTemporaryDirectory(_ label: String = "sslab-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
