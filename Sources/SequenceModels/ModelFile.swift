// ModelFile.swift — saving and loading model weights (layout in ModelFile+Format.swift).
//
// Writing goes to a temporary file in the destination directory that is renamed over the
// destination, so a failed save never leaves a partial file. Reading validates everything
// before touching the model: magic, lengths, header, checksum, kind, parameter names and
// shapes; any problem is a `ModelFileError` naming the file.

import Foundation

/// Reads and writes model files.
public enum ModelFile {
    /// The format version this build writes and reads.
    public static let formatVersion = 1

    /// Saves a `SavableModel` with its kind and configuration.
    public static func save<M: SavableModel>(_ model: M, to url: URL) throws(ModelFileError) {
        try save(model, kind: M.modelKind, configuration: model.configuration, to: url)
    }

    /// Saves any layer's parameters under `kind`, without a configuration (load them with
    /// `loadParameters(into:kind:from:)` into a model built by the caller).
    public static func save<L: Layer>(_ model: L, kind: String, to url: URL) throws(ModelFileError) {
        try save(model, kind: kind, configuration: SkippedValue?.none, to: url)
    }

    /// Saves any layer's parameters under `kind`, with an optional configuration.
    /// The payload precision is the model's (`M.Scalar.scalarType`).
    public static func save<L: Layer, C: Codable>(_ model: L, kind: String, configuration: C?, to url: URL) throws(ModelFileError) {
        let named = model.namedParameters
        precondition(Set(named.map(\.name)).count == named.count, "model has duplicate parameter names") // invariant: layers name parameters uniquely
        let type = L.Scalar.scalarType
        var payload = [UInt8]()
        payload.reserveCapacity(named.reduce(0) { $0 + $1.parameter.value.count } * type.byteWidth)
        var entries = [ModelFileEntry]()
        for p in named {
            entries.append(ModelFileEntry(name: p.name, shape: p.parameter.shape, offset: payload.count, count: p.parameter.value.count))
            ModelFileFormat.appendScalars(p.parameter.value.scalars, as: type, to: &payload)
        }
        let header = StoredHeader(format: ModelFileFormat.formatName, version: formatVersion, kind: kind,
                                  configuration: configuration, dtype: type, parameters: entries,
                                  payloadBytes: payload.count,
                                  checksum: payload.withUnsafeBytes { ModelFileFormat.checksumString($0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do { json = try encoder.encode(header) } catch {
            throw .writeFailed(file: url.path, reason: "cannot encode header: \(error)")
        }
        var bytes = ModelFileFormat.magic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: payload)
        try writeAtomically(Data(bytes), to: url)
    }

    /// Writes `data` to a temporary file beside `url` and renames it over `url`.
    static func writeAtomically(_ data: Data, to url: URL) throws(ModelFileError) {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do { try data.write(to: tmp) } catch {
            throw .writeFailed(file: url.path, reason: error.localizedDescription)
        }
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw .writeFailed(file: url.path, reason: "rename failed: \(reason)")
        }
    }

    /// Reads and validates a model file's header (and checksum) without building a model.
    public static func readHeader(from url: URL) throws(ModelFileError) -> ModelFileHeader {
        try read(url).header
    }

    /// Loads the weights of `url` into an existing model whose parameter names and shapes must
    /// match the file exactly; with `kind`, the file's kind must match too. Values are converted
    /// when the file's precision differs from the model's. Returns the header.
    @discardableResult
    public static func loadParameters<L: Layer>(into model: L, kind: String? = nil, from url: URL) throws(ModelFileError) -> ModelFileHeader {
        let file = try read(url)
        let header = file.header
        if let kind, kind != header.kind { throw .kindMismatch(file: url.path, expected: kind, found: header.kind) }
        let named = model.namedParameters
        let stored = Dictionary(header.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let modelNames = Set(named.map(\.name))
        let missing = named.map(\.name).filter { stored[$0] == nil }
        let extra = header.parameters.map(\.name).filter { !modelNames.contains($0) }
        if !missing.isEmpty || !extra.isEmpty {
            var parts = [String]()
            if !missing.isEmpty { parts.append("missing in file: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")") }
            if !extra.isEmpty { parts.append("not in model: \(extra.prefix(5).joined(separator: ", "))\(extra.count > 5 ? ", …" : "")") }
            throw .parameterMismatch(file: url.path, reason: parts.joined(separator: "; "))
        }
        for p in named where stored[p.name]!.shape != p.parameter.shape {
            throw .parameterMismatch(file: url.path, reason: "\(p.name) has shape \(stored[p.name]!.shape) in the file, \(p.parameter.shape) in the model")
        }
        let values: [[L.Scalar]] = file.payload.withUnsafeBytes { raw in
            named.map { p in
                let e = stored[p.name]!
                return ModelFileFormat.readScalars(raw, offset: e.offset, count: e.count, as: header.scalarType)
            }
        }
        for (p, v) in zip(named, values) { p.parameter.value = Tensor(shape: p.parameter.shape, scalars: v) }
        return header
    }

    /// Rebuilds a `SavableModel` from its file: configuration, then weights.
    public static func load<M: SavableModel>(_ type: M.Type, from url: URL) throws(ModelFileError) -> M {
        let file = try read(url)
        guard file.header.kind == M.modelKind else {
            throw .kindMismatch(file: url.path, expected: M.modelKind, found: file.header.kind)
        }
        let stored: StoredHeader<M.Configuration>
        do { stored = try JSONDecoder().decode(StoredHeader<M.Configuration>.self, from: file.headerJSON) } catch {
            throw .invalidConfiguration(file: url.path, reason: "configuration does not decode as \(M.Configuration.self): \(error)")
        }
        guard let configuration = stored.configuration else {
            throw .invalidConfiguration(file: url.path, reason: "file has no configuration")
        }
        let model: M
        do { model = try M(configuration: configuration, seed: 0) } catch {
            throw .invalidConfiguration(file: url.path, reason: error.description)
        }
        try loadParameters(into: model, kind: M.modelKind, from: url)
        return model
    }

    /// The validated parts of a file.
    struct Contents {
        var header: ModelFileHeader
        var headerJSON: Data
        var payload: Data
    }

    static func read(_ url: URL) throws(ModelFileError) -> Contents {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(file: file, reason: error.localizedDescription) }
        let prefix = ModelFileFormat.prefixBytes
        guard data.count >= ModelFileFormat.magic.count, Array(data.prefix(ModelFileFormat.magic.count)) == ModelFileFormat.magic else {
            throw data.count < ModelFileFormat.magic.count && ModelFileFormat.magic.starts(with: data)
                ? .truncated(file: file, expectedBytes: prefix, foundBytes: data.count) : .notAModelFile(file: file)
        }
        guard data.count >= prefix else { throw .truncated(file: file, expectedBytes: prefix, foundBytes: data.count) }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - prefix) else {
            throw .truncated(file: file, expectedBytes: prefix + Int(clamping: headerLength), foundBytes: data.count)
        }
        let headerJSON = data.subdata(in: prefix..<(prefix + Int(headerLength)))
        let stored: StoredHeader<SkippedValue>
        do { stored = try JSONDecoder().decode(StoredHeader<SkippedValue>.self, from: headerJSON) } catch {
            throw .corruptHeader(file: file, reason: "\(error)")
        }
        guard stored.format == ModelFileFormat.formatName else {
            throw .corruptHeader(file: file, reason: "format is '\(stored.format)', expected '\(ModelFileFormat.formatName)'")
        }
        guard stored.version == formatVersion else { throw .unsupportedVersion(file: file, version: stored.version) }
        let payloadStart = prefix + Int(headerLength)
        let available = data.count - payloadStart
        guard stored.payloadBytes >= 0, available >= stored.payloadBytes else {
            throw .truncated(file: file, expectedBytes: payloadStart + stored.payloadBytes, foundBytes: data.count)
        }
        guard available == stored.payloadBytes else {
            throw .corruptHeader(file: file, reason: "\(available - stored.payloadBytes) unexpected bytes after the payload")
        }
        let width = stored.dtype.byteWidth
        for e in stored.parameters {
            guard e.shape.allSatisfy({ $0 >= 0 }), e.count == e.shape.reduce(1, *), e.offset >= 0,
                  e.offset + e.count * width <= stored.payloadBytes else {
                throw .corruptHeader(file: file, reason: "entry \(e.name) (shape \(e.shape), offset \(e.offset), count \(e.count)) does not fit the payload")
            }
        }
        let payload = data.subdata(in: payloadStart..<data.count)
        guard payload.withUnsafeBytes({ ModelFileFormat.checksumString($0) }) == stored.checksum else {
            throw .checksumMismatch(file: file)
        }
        var configurationJSON: String?
        if let object = try? JSONSerialization.jsonObject(with: headerJSON) as? [String: Any],
           let config = object["configuration"], !(config is NSNull),
           let text = try? JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]) {
            configurationJSON = String(decoding: text, as: UTF8.self)
        }
        let header = ModelFileHeader(version: stored.version, kind: stored.kind, configurationJSON: configurationJSON,
                                     scalarType: stored.dtype, parameters: stored.parameters,
                                     payloadBytes: stored.payloadBytes, checksum: stored.checksum)
        return Contents(header: header, headerJSON: headerJSON, payload: payload)
    }
}
