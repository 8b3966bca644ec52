import Foundation
import Reports
import TestSupport
import Testing

private struct ProducerFailed: Error, Equatable {}

private func contents(of directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

@Suite struct AtomicFileTests {
    @Test func writesAndCreatesParentDirectories() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a/b/table.csv").path
        try AtomicFile.write("x,y\n1,2\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "x,y\n1,2\n")
        #expect(try contents(of: dir.appendingPathComponent("a/b")) == ["table.csv"])
    }

    @Test func replacesAnExistingFile() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.txt").path
        try AtomicFile.write("old content that is longer", to: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try contents(of: dir) == ["out.txt"])
    }

    @Test func throwingProducerLeavesNoFileAndNoTemporary() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plot.svg").path
        #expect(throws: ProducerFailed()) {
            try AtomicFile.write(to: path) { () throws -> Data in
                // The temporary file exists while the producer runs.
                let names = try contents(of: dir)
                #expect(names.count == 1 && names[0].hasPrefix(".plot.svg.") && names[0].hasSuffix(".tmp"))
                throw ProducerFailed()
            }
        }
        #expect(try contents(of: dir) == [])
    }

    @Test func failureAfterPartialStreamKeepsOldFile() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.jsonl").path
        try AtomicFile.write("previous\n", to: path)
        #expect(throws: ProducerFailed()) {
            try AtomicFile.write(to: path) { w in
                try w.write("{\"run\": 1}\n")
                try w.write("{\"run\": 2}\n")
                throw ProducerFailed()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\n")
        #expect(try contents(of: dir) == ["results.jsonl"])
    }

    @Test func streamingWriteConcatenatesChunks() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.txt").path
        let chunk = String(repeating: "0123456789", count: 10_000)
        try AtomicFile.write(to: path) { w in
            for _ in 0..<5 { try w.write(chunk) }
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == 500_000)
    }

    @Test func errorsNameThePath() throws {
        let dir = try makeTemporaryDirectory("reports-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A regular file where a parent directory should be.
        let blocker = dir.appendingPathComponent("blocker").path
        try AtomicFile.write("x", to: blocker)
        let path = blocker + "/sub/out.csv"
        do {
            try AtomicFile.write("data", to: path)
            Issue.record("writing below a regular file succeeded")
        } catch {
            guard case let .createDirectory(failed, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(failed.hasSuffix("blocker/sub"))
            #expect(error.description.contains("blocker/sub"))
        }
        // A directory as destination: the rename fails and the temporary file is removed.
        let target = dir.appendingPathComponent("adir")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: target.appendingPathComponent("keep"), withIntermediateDirectories: false)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("data", to: target.path) }
        #expect(try contents(of: dir) == ["adir", "blocker"])

        #expect(throws: AtomicFileError.invalidPath(path: "", reason: "the path is empty")) {
            try AtomicFile.write("x", to: "")
        }
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("x", to: dir.path + "/") }
    }
}
