// ModelFile+Format.swift — the on-disk layout of model files.
//
//     offset 0   8 bytes   magic "SSLMODEL"
//     offset 8   8 bytes   H, header length in bytes, UInt64 little-endian
//     offset 16  H bytes   UTF-8 JSON header (below)
//     offset 16+H          payload: every parameter's scalars, row-major, little-endian IEEE 754
//                          (binary32 for "float32", binary64 for "float64"), in header order
//
// Header: {"format": "sslab-model", "version": 1, "kind": "mlp", "configuration": {…} | null,
// "dtype": "float32", "parameters": [{"name": "input.weight", "shape": [64, 3],
// "offset": 0, "count": 192}, …], "payloadBytes": N, "checksum": "fnv1a64:<16 hex digits>"}
// with `offset` in bytes from the payload start and the FNV-1a 64-bit hash of the payload.

import Foundation

/// One parameter's entry in a model-file header.
public struct ModelFileEntry: Codable, Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    /// Byte offset from the start of the payload.
    public var offset: Int
    /// Number of scalars (`shape` product).
    public var count: Int
}

/// The decoded header of a model file.
public struct ModelFileHeader: Sendable, Hashable {
    public var version: Int
    public var kind: String
    /// The model configuration as JSON text (nil when the model was saved without one).
    public var configurationJSON: String?
    public var scalarType: ScalarType
    public var parameters: [ModelFileEntry]
    public var payloadBytes: Int
    public var checksum: String
}

/// The header as stored; `Configuration` is the model's config type when writing, or
/// `SkippedValue` when reading the header without knowing the model.
struct StoredHeader<Configuration: Codable>: Codable {
    var format: String
    var version: Int
    var kind: String
    var configuration: Configuration?
    var dtype: ScalarType
    var parameters: [ModelFileEntry]
    var payloadBytes: Int
    var checksum: String
}

/// A JSON value decoded and discarded.
struct SkippedValue: Codable {
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
}

enum ModelFileFormat {
    static let magic: [UInt8] = Array("SSLMODEL".utf8)
    static let formatName = "sslab-model"
    static let prefixBytes = 16

    /// FNV-1a, 64-bit (Fowler–Noll–Vo), over `bytes`.
    static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func checksumString(_ bytes: UnsafeRawBufferPointer) -> String {
        let hex = String(fnv1a64(bytes), radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Appends `values` as little-endian `type` scalars.
    static func appendScalars<S: NeuralScalar>(_ values: [S], as type: ScalarType, to bytes: inout [UInt8]) {
        switch type {
        case .float32:
            for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        case .float64:
            for v in values { withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
    }

    /// Reads `count` little-endian `type` scalars starting at `offset` of `bytes`.
    static func readScalars<S: NeuralScalar>(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, as type: ScalarType) -> [S] {
        switch type {
        case .float32:
            return (0..<count).map { i in
                S(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))))
            }
        case .float64:
            return (0..<count).map { i in
                S(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self))))
            }
        }
    }
}
