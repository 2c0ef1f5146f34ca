/// Writes one safetensors file the way the reference library does: tensors sorted by descending
/// dtype (so every tensor stays aligned to its element size) then by name, a compact JSON header
/// with `__metadata__` first, padded with spaces to a multiple of 8 bytes. For the same tensors
/// and metadata the file is byte-identical to `safetensors.torch.save_file`'s.
public enum SafetensorsWriter {
    /// What transformers' `save_pretrained` puts in `__metadata__`.
    public static let transformersMetadata = ["format": "pt"]

    /// Streams the file to a temporary name and renames it into place when complete.
    public static func write(
        _ tensors: [SafetensorsTensorToWrite], to path: String, metadata: [String: String]? = transformersMetadata
    ) throws(SafetensorsError) {
        let (ordered, header) = try layout(tensors, metadata: metadata, path: path)
        do {
            let out = try AtomicFileWriter(path: path)
            try out.write(header)
            let largest = ordered.map { $0.size }.max() ?? 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(largest, 1), alignment: 64)
            defer { buffer.deallocate() }
            for (tensor, size) in ordered where size > 0 {
                let slot = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
                do {
                    try tensor.fill(slot)
                } catch let error as SafetensorsError {
                    throw SafetensorsError(path: path, tensor: tensor.name, reason: error.reason)
                } catch {
                    throw SafetensorsError(path: path, tensor: tensor.name, reason: .invalidTensor("could not produce its data: \(error)"))
                }
                try out.write(UnsafeRawBufferPointer(slot))
            }
            try out.commit()
        } catch let error as FileError {
            throw SafetensorsError(path: path, reason: .io(error.message))
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw SafetensorsError(path: path, reason: .io("\(error)"))
        }
    }

    /// The file's header (length prefix included) and the tensors in the order their data follows.
    static func layout(
        _ tensors: [SafetensorsTensorToWrite], metadata: [String: String]?, path: String
    ) throws(SafetensorsError) -> (ordered: [(tensor: SafetensorsTensorToWrite, size: Int)], header: [UInt8]) {
        var seen = Set<String>()
        var sized: [(tensor: SafetensorsTensorToWrite, size: Int)] = []
        for t in tensors {
            guard t.name != "__metadata__", !t.name.isEmpty else {
                throw SafetensorsError(path: path, tensor: t.name, reason: .invalidTensor("is not a usable tensor name"))
            }
            guard seen.insert(t.name).inserted else { throw SafetensorsError(path: path, tensor: t.name, reason: .duplicateTensor) }
            guard let size = t.byteCount else { throw SafetensorsError(path: path, tensor: t.name, reason: .shapeOverflow) }
            sized.append((t, size))
        }
        sized.sort { a, b in
            a.tensor.dtype != b.tensor.dtype
                ? a.tensor.dtype > b.tensor.dtype
                : a.tensor.name.utf8.lexicographicallyPrecedes(b.tensor.name.utf8)
        }
        var json = "{"
        var first = true
        if let metadata {
            json += "\"__metadata__\":{"
            json += metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { JSONText.compactString($0.key) + ":" + JSONText.compactString($0.value) }
                .joined(separator: ",")
            json += "}"
            first = false
        }
        var offset = 0
        for (t, size) in sized {
            if !first { json += "," }
            first = false
            json += JSONText.compactString(t.name)
            json += ":{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
            json += "\"data_offsets\":[\(offset),\(offset + size)]}"
            offset += size
        }
        json += "}"
        var headerJSON = Array(json.utf8)
        headerJSON += [UInt8](repeating: 0x20, count: (8 - headerJSON.count % 8) % 8)
        guard headerJSON.count <= SafetensorsFile.maxHeaderSize else {
            throw SafetensorsError(path: path, reason: .headerTooLarge(size: UInt64(headerJSON.count), limit: SafetensorsFile.maxHeaderSize))
        }
        var header: [UInt8] = []
        header.reserveCapacity(8 + headerJSON.count)
        withUnsafeBytes(of: UInt64(headerJSON.count).littleEndian) { header += $0 }
        header += headerJSON
        return (sized, header)
    }
}
