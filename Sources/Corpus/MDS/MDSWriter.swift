/// Writes an MDS dataset that streaming's `StreamingDataset` (and ProLong) load unchanged.
///
/// Layout and shard rotation follow streaming's `MDSWriter`: columns sorted by name, a shard is
/// closed when the next sample would push it past `sizeLimit`, and the JSON in shard headers and
/// index.json is serialised the way Python's `json.dumps(sort_keys=True)` does. Each file is
/// written to a temporary name and renamed; index.json is written last, so a crashed run never
/// leaves an index pointing at missing shards.
public final class MDSWriter {
    public let directory: String
    public let columns: [MDSColumn]
    public let sizeLimit: Int?
    /// "zstd" or "zstd:LEVEL" (as streaming's `compression=`); nil writes raw shards.
    public let compression: String?
    /// Threads compressing each shard from now on (the bytes written do not depend on it; `Zstd.compress`
    /// takes fewer than one as one).
    public var compressionWorkers: Int

    private let configData: [UInt8]
    private var pending: [[UInt8]] = []
    private var pendingSize: Int
    /// Shards on disk (appended by whichever thread writes them), and shards begun, those in flight included.
    public let finishedShards = FinishedShards([])
    public private(set) var shardsBegun = 0
    private let writeBehind: WriteBehindQueue?
    private var finished = false

    public static let defaultSizeLimit = 1 << 26

    /// - Parameters:
    ///   - columns: (name, encoding string) pairs, e.g. `("input_ids", "ndarray:uint32")`.
    ///   - sizeLimit: shard size in bytes before rotating; nil puts everything in one shard.
    public convenience init(directory: String, columns: [(String, String)], sizeLimit: Int? = MDSWriter.defaultSizeLimit,
                            compression: String? = nil, compressionWorkers: Int = 1, resuming: [MDSShardInfo] = [],
                            buffered: [[UInt8]] = [], writeBehind: WriteBehindQueue? = nil) throws {
        var cols: [MDSColumn] = []
        for (name, text) in columns {
            guard let enc = MDSEncoding(text) else { throw MDSError.unknownEncoding(column: name, encoding: text) }
            cols.append(MDSColumn(name: name, encoding: enc))
        }
        try self.init(directory: directory, columns: cols, sizeLimit: sizeLimit, compression: compression,
                      compressionWorkers: compressionWorkers, resuming: resuming, buffered: buffered, writeBehind: writeBehind)
    }

    /// - Parameters:
    ///   - resuming: shards already written by an earlier run of this same writer (from a checkpoint); new
    ///     shards are numbered after them and index.json lists all of them.
    ///   - buffered: the samples of that run's `bufferedData` at the checkpoint, so the next shard is the one an
    ///     uninterrupted run would have written.
    ///   - writeBehind: where full shards are compressed and written, behind the caller (nil: at once, on the
    ///     calling thread). `finish()` waits for them; the caller orders its own writes on the same queue.
    public init(directory: String, columns: [MDSColumn], sizeLimit: Int? = MDSWriter.defaultSizeLimit,
                compression: String? = nil, compressionWorkers: Int = 1, resuming: [MDSShardInfo] = [],
                buffered: [[UInt8]] = [], writeBehind: WriteBehindQueue? = nil) throws {
        if let sizeLimit, sizeLimit <= 0 || sizeLimit >= 1 << 32 {
            // Offsets in the shard header are uint32.
            throw MDSError.badValue(column: "", reason: "sizeLimit must be in 1..<2^32, got \(sizeLimit)")
        }
        guard Set(columns.map(\.name)).count == columns.count else {
            throw MDSError.badValue(column: "", reason: "duplicate column names")
        }
        self.directory = directory
        self.columns = columns.sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) { $0.value < $1.value } }
        self.sizeLimit = sizeLimit
        if let compression, Self.zstdLevel(compression) == nil {
            throw MDSError.badValue(column: "", reason: "compression '\(compression)' is not supported (zstd or zstd:LEVEL is)")
        }
        self.compression = compression
        self.compressionWorkers = compressionWorkers
        self.writeBehind = writeBehind
        var probe = MDSShardInfo(columns: self.columns, sizeLimit: sizeLimit, samples: 0,
                                 rawData: MDSFileInfo(basename: "", bytes: 0, hashes: [:]))
        probe.compression = compression
        configData = Array(probe.configJSON.text.utf8)
        pendingSize = 8 + configData.count
        try MDSFile.makeDirectory(directory)
        if MDSFile.exists(directory + "/index.json") {
            throw MDSError.io(path: directory + "/index.json", reason: "a dataset already exists here; refusing to overwrite")
        }
        for shard in resuming { finishedShards.append(shard) }
        shardsBegun = resuming.count
        for sample in buffered { try append(encoded: sample) }
    }

    /// Shards written so far (what a checkpoint records to resume this writer); with a write-behind queue, only
    /// those its thread has finished.
    public var writtenShards: [MDSShardInfo] { finishedShards.all }
    /// The samples buffered for the next shard, as bytes a checkpoint can keep beside `writtenShards`: each a
    /// little-endian UInt32 length and the encoded sample. `bufferedSamples(from:path:)` reads them back.
    public var bufferedData: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pending.reduce(0) { $0 + 4 + $1.count })
        for sample in pending {
            LE.append(UInt32(sample.count), to: &bytes)
            bytes += sample
        }
        return bytes
    }

    /// The samples of `bufferedData` (read from `path`), for `init(buffered:)`.
    public static func bufferedSamples(from bytes: [UInt8], path: String) throws(MDSError) -> [[UInt8]] {
        var samples: [[UInt8]] = [], offset = 0
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw .corruptShard(path: path, offset: offset, reason: "truncated sample length") }
            let length = Int(bytes.withUnsafeBytes { LE.load($0, offset, as: UInt32.self) })
            guard length <= bytes.count - offset - 4 else {
                throw .corruptShard(path: path, offset: offset, reason: "a sample of \(length) bytes runs past the end")
            }
            samples.append(Array(bytes[offset + 4..<offset + 4 + length]))
            offset += 4 + length
        }
        return samples
    }

    static func zstdLevel(_ compression: String) -> Int32? {
        if compression == "zstd" { return 3 }
        guard compression.hasPrefix("zstd:"), let level = Int32(compression.dropFirst(5)), (1...22).contains(level) else { return nil }
        return level
    }

    /// Encodes one sample; every column must be present and no others.
    public func write(sample: [String: MDSValue]) throws {
        guard !finished else { throw MDSError.badValue(column: "", reason: "write after finish()") }
        if let extra = sample.keys.first(where: { k in !columns.contains { $0.name == k } }) {
            throw MDSError.badValue(column: extra, reason: "not a column of this dataset")
        }
        var head: [UInt8] = [], body: [UInt8] = []
        for col in columns {
            guard let value = sample[col.name] else { throw MDSError.badValue(column: col.name, reason: "missing from sample") }
            let datum: [UInt8]
            do { datum = try MDSCodec.encode(value, as: col.encoding) } catch { throw MDSError.badValue(column: col.name, reason: error.reason) }
            if let fixed = col.encoding.fixedSize {
                guard datum.count == fixed else { throw MDSError.badValue(column: col.name, reason: "encoded to \(datum.count) bytes, expected \(fixed)") }
            } else {
                guard datum.count < 1 << 32 else { throw MDSError.badValue(column: col.name, reason: "value too large (\(datum.count) bytes)") }
                LE.append(UInt32(datum.count), to: &head)
            }
            body += datum
        }
        try append(encoded: head + body)
    }

    private func append(encoded: [UInt8]) throws {
        let size = encoded.count + 4  // + its offset entry
        // Same rule as streaming's Writer.write; unlike it we never flush an empty shard.
        if let sizeLimit, sizeLimit < pendingSize + size, !pending.isEmpty { try flushShard() }
        guard pendingSize + size < 1 << 32 else { throw MDSError.badValue(column: "", reason: "shard would exceed 4 GiB; set a sizeLimit") }
        pending.append(encoded)
        pendingSize += size
    }

    /// Flushes the last shard, waits for the write-behind queue, and writes index.json.
    public func finish() throws {
        guard !finished else { return }
        if !pending.isEmpty { try flushShard() }
        try writeBehind?.drain()
        let index = MDSIndex(version: 2, shards: writtenShards)
        try MDSFile.writeAtomically(directory + "/index.json", parts: [Array(index.pythonJSON.utf8)])
        finished = true
    }

    /// Writes the buffered samples as the next shard, now or on the write-behind queue.
    private func flushShard() throws {
        let basename = "shard." + String(shardsBegun).leftPadded(to: 5) + ".mds"
        var header: [UInt8] = []
        LE.append(UInt32(pending.count), to: &header)
        var offset = 4 + 4 * (pending.count + 1) + configData.count
        LE.append(UInt32(offset), to: &header)
        for s in pending {
            offset += s.count
            LE.append(UInt32(offset), to: &header)
        }
        let raw = MDSShardInfo(columns: columns, sizeLimit: sizeLimit, samples: pending.count,
                               rawData: MDSFileInfo(basename: basename, bytes: offset, hashes: [:]))
        let parts = [header, configData] + pending
        let directory = directory, compression = compression, workers = compressionWorkers, finishedShards = finishedShards
        let write = { @Sendable () throws in
            var shard = raw
            if let compression, let level = Self.zstdLevel(compression) {
                // Like streaming: only the compressed file is kept; index.json records both sizes.
                let zipped = Zstd.compress(parts.flatMap { $0 }, level: level, workers: workers)
                let zipName = basename + ".zstd"
                try MDSFile.writeAtomically(directory + "/" + zipName, parts: [zipped])
                shard.compression = compression
                shard.zipData = MDSFileInfo(basename: zipName, bytes: zipped.count, hashes: [:])
            } else {
                try MDSFile.writeAtomically(directory + "/" + basename, parts: parts)
            }
            finishedShards.append(shard)
        }
        if let writeBehind { try writeBehind.submit(write) } else { try write() }
        shardsBegun += 1
        pending.removeAll(keepingCapacity: true)
        pendingSize = 8 + configData.count
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
