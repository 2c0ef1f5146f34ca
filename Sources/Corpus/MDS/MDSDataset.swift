import FoundationEssentials

/// Reads an MDS dataset directory (index.json + shard.NNNNN.mds) written by streaming's
/// MDSWriter or ours. Shards are memory-mapped; samples decode on demand.
public final class MDSDataset: Sendable {
    /// Turns a compressed shard's bytes into the raw shard: (compression name, data) -> raw.
    /// The seam for zstd & co.; without one, compressed shards are rejected by name.
    public typealias Decompressor = @Sendable (_ compression: String, _ data: [UInt8]) throws -> [UInt8]

    public let directory: String
    public let index: MDSIndex
    private let shards: [MDSShard]
    /// `starts[k]` is the global index of shard k's first sample.
    private let starts: [Int]
    public let count: Int

    /// Columns of the first shard (all shards of one writer share them).
    public var columns: [MDSColumn] { shards.first?.columns ?? [] }

    /// zstd, as ProLong's released data and MDSWriter(compression="zstd") use (also "zstd:LEVEL").
    public static let standardDecompressor: Decompressor = { name, data in
        guard name == "zstd" || name.hasPrefix("zstd:") else {
            throw MDSError.io(path: "", reason: "compression '\(name)' is not supported (zstd is)")
        }
        return try Zstd.decompress(data, source: name)
    }

    public init(directory: String, decompressor: Decompressor? = MDSDataset.standardDecompressor) throws(MDSError) {
        self.directory = directory
        let indexPath = directory + "/index.json"
        guard MDSFile.exists(indexPath) else { throw .missingIndex(path: indexPath) }
        let text = try MDSFile.readAll(indexPath)
        do {
            index = try JSONDecoder().decode(MDSIndex.self, from: Data(text))
        } catch {
            throw .badIndex(path: indexPath, reason: "\(error)")
        }
        guard index.version == 2 else { throw .badIndex(path: indexPath, reason: "version \(index.version), expected 2") }
        var shards: [MDSShard] = [], starts: [Int] = [], total = 0
        for (k, info) in index.shards.enumerated() {
            let columns = try Self.columns(of: info, shard: k, indexPath: indexPath)
            let file = try Self.open(info, directory: directory, decompressor: decompressor)
            shards.append(try MDSShard(info: info, columns: columns, file: file))
            starts.append(total)
            total += info.samples
        }
        self.shards = shards
        self.starts = starts
        count = total
    }

    public func sample(at i: Int) throws(MDSError) -> [String: MDSValue] {
        guard i >= 0 && i < count else { throw .badValue(column: "", reason: "sample index \(i) out of range 0..<\(count)") }
        // Last shard whose start is <= i (binary search).
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return try shards[lo].sample(i - starts[lo])
    }

    /// Samples in order; `next()` throws on a corrupt sample instead of trapping.
    public struct SampleIterator {
        let dataset: MDSDataset
        var position = 0
        public mutating func next() throws(MDSError) -> [String: MDSValue]? {
            guard position < dataset.count else { return nil }
            defer { position += 1 }
            return try dataset.sample(at: position)
        }
    }

    public func makeSampleIterator() -> SampleIterator { SampleIterator(dataset: self) }

    public func forEachSample(_ body: ([String: MDSValue]) throws -> Void) throws {
        var it = makeSampleIterator()
        while let s = try it.next() { try body(s) }
    }

    private static func columns(of info: MDSShardInfo, shard k: Int, indexPath: String) throws(MDSError) -> [MDSColumn] {
        guard info.format == "mds" else { throw .badIndex(path: indexPath, reason: "shard \(k): format '\(info.format)', only 'mds' is supported") }
        guard info.version == 2 else { throw .badIndex(path: indexPath, reason: "shard \(k): version \(info.version), expected 2") }
        guard info.columnNames.count == info.columnEncodings.count, info.columnNames.count == info.columnSizes.count else {
            throw .badIndex(path: indexPath, reason: "shard \(k): column_names, column_encodings and column_sizes differ in length")
        }
        guard info.samples >= 0 else { throw .badIndex(path: indexPath, reason: "shard \(k): negative sample count") }
        var out: [MDSColumn] = []
        for (name, text) in zip(info.columnNames, info.columnEncodings) {
            guard let enc = MDSEncoding(text) else { throw .unknownEncoding(column: name, encoding: text) }
            guard enc.fixedSize == info.columnSizes[out.count] else {
                throw .badIndex(path: indexPath, reason: "shard \(k): column '\(name)' size \(info.columnSizes[out.count].map(String.init) ?? "null") does not match encoding '\(text)'")
            }
            out.append(MDSColumn(name: name, encoding: enc))
        }
        return out
    }

    /// The raw shard if present (streaming leaves it beside the zip after decompressing), else
    /// the compressed one through the decompressor.
    private static func open(_ info: MDSShardInfo, directory: String, decompressor: Decompressor?) throws(MDSError) -> MDSMappedFile {
        let rawPath = directory + "/" + info.rawData.basename
        guard let zip = info.zipData, !MDSFile.exists(rawPath) else { return try MDSMappedFile(path: rawPath) }
        let zipPath = directory + "/" + zip.basename
        let compression = info.compression ?? "unknown"
        guard let decompressor else { throw .compressedShard(path: zipPath, compression: compression) }
        guard MDSFile.exists(zipPath) else { throw .missingShard(path: zipPath) }
        let data = try MDSFile.readAll(zipPath)
        do {
            return MDSMappedFile(path: zipPath, copying: try decompressor(compression, data))
        } catch {
            throw .io(path: zipPath, reason: "decompressing \(compression) failed: \(error)")
        }
    }
}
