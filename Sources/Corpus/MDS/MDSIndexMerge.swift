import FoundationEssentials

extension MDSIndex {
    /// Reads `directory/index.json`.
    public static func read(directory: String) throws(MDSError) -> MDSIndex {
        let path = directory + "/index.json"
        guard MDSFile.exists(path) else { throw .missingIndex(path: path) }
        let bytes = try MDSFile.readAll(path)
        do { return try JSONDecoder().decode(MDSIndex.self, from: Data(bytes)) } catch {
            throw .badIndex(path: path, reason: "\(error)")
        }
    }

    /// One index over several datasets in subdirectories, as streaming's `merge_index` makes it:
    /// each shard's file names are prefixed with its subdirectory, so the parent directory reads as
    /// one dataset while every subdirectory stays a dataset of its own.
    public static func merging(_ parts: [(subdirectory: String, index: MDSIndex)]) -> MDSIndex {
        var shards: [MDSShardInfo] = []
        for (subdirectory, index) in parts {
            for var shard in index.shards {
                shard.rawData.basename = subdirectory + "/" + shard.rawData.basename
                if let zip = shard.zipData { shard.zipData?.basename = subdirectory + "/" + zip.basename }
                shards.append(shard)
            }
        }
        return MDSIndex(version: 2, shards: shards)
    }

    /// Writes index.json exactly as streaming serialises it (atomically).
    public func write(directory: String) throws(MDSError) {
        try MDSFile.makeDirectory(directory)
        try MDSFile.writeAtomically(directory + "/index.json", parts: [Array(pythonJSON.utf8)])
    }
}
