import Corpus
import Formats
import Foundation

/// Where a build keeps things:
/// ```
/// OUT/recipe.yaml                 the recipe after parameter substitution
/// OUT/manifest.json               the account of the whole build (written last)
/// OUT/STAGE/index.json            all of the stage's streams as one MDS dataset
/// OUT/STAGE/SOURCE/               one MDS stream per source (ProLong's layout: mix with proportions)
/// OUT/.state/UNIT.json            a completed unit's result
/// OUT/.state/UNIT.checkpoint.json an unfinished unit's last checkpoint
/// OUT/.state/UNIT.dN.after-S.buffer samples of destination N not yet in a shard at the checkpoint taken after S shards
/// OUT/part.json                   only in worker parts: which worker of how many
/// ```
struct BuildLayout: Sendable {
    let root: String

    var recipePath: String { root + "/recipe.yaml" }
    var manifestPath: String { root + "/manifest.json" }
    var partPath: String { root + "/part.json" }
    var stateDirectory: String { root + "/.state" }

    func streamDirectory(stage: String, source: String) -> String { root + "/" + stage + "/" + source }
    func stageIndexPath(stage: String) -> String { root + "/" + stage + "/index.json" }
    func resultPath(unit: String) -> String { stateDirectory + "/" + unit + ".json" }
    func checkpointPath(unit: String) -> String { stateDirectory + "/" + unit + ".checkpoint.json" }

    func loadResult(unit: String) throws -> UnitState? { try load(resultPath(unit: unit)) }
    func loadCheckpoint(unit: String) throws -> UnitState? { try load(checkpointPath(unit: unit)) }

    func saveState(_ state: UnitState, final: Bool) throws {
        try makeDirectory(stateDirectory)
        try writeAtomically(final ? resultPath(unit: state.unit) : checkpointPath(unit: state.unit), data: Self.encode(state))
        if final {
            try? FileManager.default.removeItem(atPath: checkpointPath(unit: state.unit))
            removeBuffers(unit: state.unit, keeping: [])
        }
    }

    /// Saves a writer's `bufferedData` (samples for its next shard); returns the file's name (nil when there are
    /// none). Named after the checkpoint, so the previous checkpoint's file stays valid until the new state is saved.
    func saveBuffer(_ data: [UInt8], unit: String, destination: Int, afterShards shards: Int) throws -> String? {
        guard !data.isEmpty else { return nil }
        let name = "\(unit).d\(destination).after-\(shards).buffer"
        try writeFileAtomically(stateDirectory + "/" + name, parts: [data])
        return name
    }

    func loadBuffer(_ name: String?) throws -> [[UInt8]] {
        guard let name else { return [] }
        let path = stateDirectory + "/" + name
        return try MDSWriter.bufferedSamples(from: readFileBytes(path), path: path)
    }

    /// Deletes the unit's buffer files other than `keeping` (those of older checkpoints).
    func removeBuffers(unit: String, keeping: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []
        for name in names where name.hasPrefix(unit + ".d") && name.hasSuffix(".buffer") && !keeping.contains(name) {
            try? FileManager.default.removeItem(atPath: stateDirectory + "/" + name)
        }
    }

    /// Removes from a stream directory everything a checkpoint does not account for (shards
    /// written after it, temp files of a killed write, an index.json), so the writer can go on.
    func clearStream(_ directory: String, keeping shards: [MDSShardInfo]) throws {
        let keep = Set(shards.map { $0.zipData?.basename ?? $0.rawData.basename })
        guard FileManager.default.fileExists(atPath: directory) else { return }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !keep.contains(name) {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    private func load(_ path: String) throws -> UnitState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(UnitState.self, from: data) } catch {
            throw BuildError.resumeMismatch("\(path) is not a readable unit state: \(error)")
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

/// Temp file, fsync, rename (Formats): a kill never leaves a half-written file under the final name.
func writeAtomically(_ path: String, data: Data) throws {
    try writeFileAtomically(path, parts: [[UInt8](data)])
}
