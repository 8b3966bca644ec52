// NotebookExecutor.swift — how the engine runs one `sslab` command line: a protocol (so tests
// can stand in for the executable) and the real implementation, which spawns a process.

import Foundation

/// What one command printed and how it ended.
public struct CommandOutcome: Equatable, Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs `sslab` with arguments in a working directory.
public protocol NotebookExecutor {
    /// Runs the command to completion. Throws only when it cannot be started (the message says why).
    func run(_ arguments: [String], in directory: URL) throws -> CommandOutcome
}

/// Spawns an executable (normally the running `sslab` itself: `/proc/self/exe`) with the
/// arguments, no shell in between, and captures both output streams. The environment is the
/// caller's, with `OPENBLAS_NUM_THREADS=1` added when unset, so timings in notebooks are
/// single-threaded and comparable.
public struct ProcessExecutor: NotebookExecutor {
    public var executable: URL

    public init(executable: URL) { self.executable = executable }

    public func run(_ arguments: [String], in directory: URL) throws -> CommandOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        if environment["OPENBLAS_NUM_THREADS"] == nil { environment["OPENBLAS_NUM_THREADS"] = "1" }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr on another thread while this one drains stdout, so neither pipe can fill
        // up and block the child.
        let box = DataBox()
        let group = DispatchGroup()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async(group: group) { box.set(errHandle.readDataToEndOfFile()) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandOutcome(status: status, stdout: String(decoding: stdout, as: UTF8.self),
                              stderr: String(decoding: box.get(), as: UTF8.self))
    }

    /// The running executable: `/proc/self/exe` on Linux, else the bundle's executable.
    public static func currentExecutable() -> URL? {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: proc.path) { return URL(fileURLWithPath: target) }
        return Bundle.main.executableURL
    }
}

/// Data handed from the reader thread to the caller.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
