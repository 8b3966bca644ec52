import Foundation
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct ModelFileTests {
    static let config = MLPConfiguration(inputSize: 3, outputSize: 2, width: 8, depth: 2, activation: .gelu)

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    func withDirectory(_ body: (URL) throws -> Void) throws {
        let dir = try makeTemporaryDirectory("sslab-modelfile")
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    @Test func roundTripGivesIdenticalOutputs() throws {
        try withDirectory { dir in
            let url = dir.appendingPathComponent("mlp.sslm")
            let model = try MLP<Float>(configuration: Self.config, seed: 7)
            var rng = SplitMix64(seed: 1)
            for p in model.parameters { p.value += Tensor.uniform(p.shape, -0.1, 0.1, using: &rng) } // not the seed-0 init
            try ModelFile.save(model, to: url)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["mlp.sslm"]) // no temporary left
            let loaded = try ModelFile.load(MLP<Float>.self, from: url)
            #expect(loaded.configuration == Self.config)
            let x = Tensor<Float>.uniform([2, 5, 3], using: &rng)
            model.mode = .inference
            loaded.mode = .inference
            // Float32 payload round-trips bit-exactly, so outputs are identical.
            #expect(loaded.forward(x) == model.forward(x))

            let header = try ModelFile.readHeader(from: url)
            #expect(header.kind == "mlp" && header.scalarType == .float32 && header.version == 1)
            #expect(header.parameters.map(\.name) == model.namedParameters.map(\.name))
            #expect(header.configurationJSON?.contains("\"width\":8") == true)

            // Float weights into a Double model convert exactly.
            let wide = try MLP<Double>(configuration: Self.config, seed: 0)
            try ModelFile.loadParameters(into: wide, kind: "mlp", from: url)
            wide.mode = .inference
            // Forward in Double vs Float: agreement to Float rounding.
            expectClose(wide.forward(Tensor(converting: x)).scalars, Tensor<Double>(converting: model.forward(x)).scalars,
                        rtol: 1e-4, atol: 1e-5)
        }
    }

    @Test func mismatchedModelThrows() throws {
        try withDirectory { dir in
            let url = dir.appendingPathComponent("mlp.sslm")
            try ModelFile.save(try MLP<Float>(configuration: Self.config, seed: 1), to: url)
            var wider = Self.config
            wider.width = 16
            let other = try MLP<Float>(configuration: wider, seed: 1)
            #expect(throws: ModelFileError.parameterMismatch(file: url.path, reason: "input.weight has shape [8, 3] in the file, [16, 3] in the model")) {
                try ModelFile.loadParameters(into: other, from: url)
            }
            var rng = SplitMix64(seed: 2)
            let seq = Sequential<Float>([Linear(inputSize: 3, outputSize: 2, using: &rng)])
            do throws(ModelFileError) {
                try ModelFile.loadParameters(into: seq, from: url)
                Issue.record("loading an MLP file into a Sequential did not throw")
            } catch {
                guard case let .parameterMismatch(file, reason) = error else { Issue.record("wrong error \(error)"); return }
                #expect(file == url.path && reason.contains("missing in file: 0.weight"))
            }
            #expect(throws: ModelFileError.kindMismatch(file: url.path, expected: "lstm", found: "mlp")) {
                try ModelFile.loadParameters(into: seq, kind: "lstm", from: url)
            }
        }
    }

    @Test func truncatedAndCorruptFilesThrow() throws {
        try withDirectory { dir in
            let url = dir.appendingPathComponent("mlp.sslm")
            try ModelFile.save(try MLP<Float>(configuration: Self.config, seed: 1), to: url)
            let bytes = try Data(contentsOf: url)

            let cut = dir.appendingPathComponent("cut.sslm")
            try bytes.prefix(bytes.count - 10).write(to: cut)
            #expect(throws: ModelFileError.truncated(file: cut.path, expectedBytes: bytes.count, foundBytes: bytes.count - 10)) {
                try ModelFile.load(MLP<Float>.self, from: cut)
            }
            try bytes.prefix(12).write(to: cut)
            #expect(throws: ModelFileError.truncated(file: cut.path, expectedBytes: 16, foundBytes: 12)) {
                try ModelFile.readHeader(from: cut)
            }
            try bytes.prefix(40).write(to: cut)
            #expect(throws: ModelFileError.self) { try ModelFile.readHeader(from: cut) }

            var flipped = bytes
            flipped[flipped.count - 3] ^= 0x40
            let bad = dir.appendingPathComponent("bad.sslm")
            try flipped.write(to: bad)
            #expect(throws: ModelFileError.checksumMismatch(file: bad.path)) { try ModelFile.load(MLP<Float>.self, from: bad) }

            let text = dir.appendingPathComponent("text.sslm")
            try Data("hello, this is not a model".utf8).write(to: text)
            #expect(throws: ModelFileError.notAModelFile(file: text.path)) { try ModelFile.readHeader(from: text) }

            let missing = dir.appendingPathComponent("missing.sslm")
            do throws(ModelFileError) {
                _ = try ModelFile.readHeader(from: missing)
                Issue.record("reading a missing file did not throw")
            } catch {
                #expect(error.description.hasPrefix(missing.path))
            }
        }
    }

    @Test func invalidStoredConfigurationThrows() throws {
        try withDirectory { dir in
            let url = dir.appendingPathComponent("m.sslm")
            var rng = SplitMix64(seed: 3)
            let layer = Linear<Float>(inputSize: 2, outputSize: 2, using: &rng)
            var config = Self.config
            config.depth = -1
            try ModelFile.save(layer, kind: "mlp", configuration: config, to: url)
            #expect(throws: ModelFileError.invalidConfiguration(file: url.path, reason: "depth: must be ≥ 0, got -1")) {
                try ModelFile.load(MLP<Float>.self, from: url)
            }
        }
    }
}
