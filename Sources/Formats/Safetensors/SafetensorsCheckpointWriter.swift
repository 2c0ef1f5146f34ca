#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a model's weights into a directory the way transformers' `save_pretrained` lays them
/// out: `model.safetensors` when everything fits in one shard, otherwise
/// `model-0000i-of-0000N.safetensors` plus `model.safetensors.index.json`.
///
/// Each file is written atomically and the index last, so a reader never sees an index naming a
/// shard that is not complete. Weight files a previous write left behind that this layout does
/// not use are removed afterwards: transformers prefers a stale `model.safetensors` over a new
/// index, and a stale index over nothing.
public enum SafetensorsCheckpointWriter {
    /// transformers 4.x's default; transformers 5 defaults to 50 GB.
    public static let defaultMaxShardSize = 5_000_000_000

    /// Returns the file names written, in shard order (the index last).
    @discardableResult
    public static func write(
        _ tensors: [SafetensorsTensorToWrite], to directory: String, maxShardSize: Int = defaultMaxShardSize,
        metadata: [String: String]? = SafetensorsWriter.transformersMetadata
    ) throws(SafetensorsError) -> [String] {
        guard maxShardSize > 0 else { throw SafetensorsError(path: directory, reason: .invalidArgument("maxShardSize must be positive, not \(maxShardSize)")) }
        var sizes: [(name: String, byteCount: Int)] = []
        var parameters = 0
        var seen = Set<String>()
        for t in tensors {
            guard seen.insert(t.name).inserted else { throw SafetensorsError(path: directory, tensor: t.name, reason: .duplicateTensor) }
            guard let n = t.byteCount else { throw SafetensorsError(path: directory, tensor: t.name, reason: .shapeOverflow) }
            sizes.append((t.name, n))
            parameters += n / t.dtype.size
        }
        let plan = SafetensorsShardPlan(tensors: sizes, maxShardSize: maxShardSize)
        try makeDirectory(directory)

        let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0) })
        let names = plan.fileNames
        let shards = plan.shards.isEmpty ? [[]] : plan.shards  // no tensors: still one (empty) file
        for (shard, fileName) in zip(shards, names) {
            try SafetensorsWriter.write(shard.map { byName[$0]! }, to: SafetensorsCheckpoint.join(directory, fileName), metadata: metadata)
        }
        var written = names
        if plan.shards.count > 1 {
            let weightMap = zip(plan.shards, names).flatMap { shard, file in shard.map { ($0, file) } }
            let json = indexJSON(weightMap: weightMap, totalSize: plan.totalSize, totalParameters: parameters)
            let indexPath = SafetensorsCheckpoint.join(directory, SafetensorsIndex.fileName)
            do { try writeFileAtomically(indexPath, parts: [Array(json.utf8)]) } catch {
                throw SafetensorsError(path: indexPath, reason: .io(error.message))
            }
            written.append(SafetensorsIndex.fileName)
        }
        try removeStaleWeights(in: directory, keeping: Set(written))
        return written
    }

    /// transformers writes `json.dumps(index, indent=2, sort_keys=True) + "\n"`; so do we.
    static func indexJSON(weightMap: [(String, String)], totalSize: Int, totalParameters: Int) -> String {
        let sorted = weightMap.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        var s = "{\n  \"metadata\": {\n"
        s += "    \"total_parameters\": \(totalParameters),\n"
        s += "    \"total_size\": \(totalSize)\n"
        s += "  },\n  \"weight_map\": {\n"
        s += sorted.map { "    \(JSONText.asciiString($0.0)): \(JSONText.asciiString($0.1))" }.joined(separator: ",\n")
        s += "\n  }\n}\n"
        return s
    }

    private static func makeDirectory(_ path: String) throws(SafetensorsError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SafetensorsError(path: path, reason: .io("cannot create directory: \(String(cString: strerror(errno)))"))
        }
        guard pathKind(path) == .directory else { throw SafetensorsError(path: path, reason: .io("exists and is not a directory")) }
    }

    private static func removeStaleWeights(in directory: String, keeping: Set<String>) throws(SafetensorsError) {
        let names: [String]
        do { names = try listDirectory(directory) } catch { throw SafetensorsError(path: directory, reason: .io(error.message)) }
        for name in names where !keeping.contains(name) {
            if name == "model.safetensors" || name == SafetensorsIndex.fileName || SafetensorsShardPlan.isShardFileName(name) {
                unlink(SafetensorsCheckpoint.join(directory, name))
            }
        }
    }
}
