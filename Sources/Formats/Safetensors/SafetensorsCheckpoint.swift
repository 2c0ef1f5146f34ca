/// The weights of a model directory, single-file or sharded, looked up by tensor name.
///
/// A directory resolves as transformers resolves it: `model.safetensors.index.json` if present,
/// else `model.safetensors`, else the only `.safetensors` file. A path to a `.safetensors` file or
/// to an index file is taken as is. Every shard is opened (and so validated) up front, and every
/// tensor the index names must be in its shard; tensors a shard holds but the index does not name
/// are ignored, as transformers ignores them.
public final class SafetensorsCheckpoint: @unchecked Sendable {
    public let directory: String
    /// The index file, when the checkpoint is sharded.
    public let indexPath: String?
    public let index: SafetensorsIndex?
    /// Opened files, in shard order.
    public let files: [SafetensorsFile]
    /// Tensor names in shard order, then data order within a shard.
    public let tensorNames: [String]

    private let locations: [String: (file: Int, info: SafetensorsTensorInfo)]

    public init(path: String) throws(SafetensorsError) {
        let kind = pathKind(path)
        let directory: String
        var indexPath: String?
        var single: String?
        switch kind {
        case .missing:
            throw SafetensorsError(path: path, reason: .io("no such file or directory"))
        case .file:
            directory = Self.parent(of: path)
            if path.hasSuffix(".json") { indexPath = path } else { single = path }
        case .directory:
            directory = path
            let names: [String]
            do { names = try listDirectory(path) } catch { throw SafetensorsError(path: path, reason: .io(error.message)) }
            if names.contains(SafetensorsIndex.fileName) {
                indexPath = Self.join(path, SafetensorsIndex.fileName)
            } else if names.contains("model.safetensors") {
                single = Self.join(path, "model.safetensors")
            } else {
                let candidates = names.filter { $0.hasSuffix(".safetensors") }.sorted()
                guard !candidates.isEmpty else { throw SafetensorsError(path: path, reason: .noWeights) }
                guard candidates.count == 1 else { throw SafetensorsError(path: path, reason: .ambiguousWeights(candidates)) }
                single = Self.join(path, candidates[0])
            }
        }
        self.directory = directory
        self.indexPath = indexPath

        if let single {
            let file = try SafetensorsFile(path: single)
            index = nil
            files = [file]
            tensorNames = file.tensors.map(\.name)
            locations = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, (0, $0)) })
            return
        }
        let indexFile = indexPath!
        let index = try SafetensorsIndex(path: indexFile)
        var files: [SafetensorsFile] = []
        var fileNumber: [String: Int] = [:]
        for shard in index.shards {
            let shardPath = Self.join(directory, shard)
            guard pathKind(shardPath) == .file else { throw SafetensorsError(path: indexFile, reason: .missingShard(shard)) }
            fileNumber[shard] = files.count
            files.append(try SafetensorsFile(path: shardPath))
        }
        var locations: [String: (file: Int, info: SafetensorsTensorInfo)] = [:]
        for (tensor, shard) in index.weightMap {
            let n = fileNumber[shard]!
            guard let info = files[n].tensor(named: tensor) else {
                throw SafetensorsError(path: files[n].path, tensor: tensor, reason: .tensorMissingFromShard(shard: shard))
            }
            locations[tensor] = (n, info)
        }
        self.index = index
        self.files = files
        self.locations = locations
        self.tensorNames = files.indices.flatMap { n in
            files[n].tensors.map(\.name).filter { locations[$0]?.file == n }
        }
    }

    public func tensor(named name: String) -> SafetensorsTensorInfo? { locations[name]?.info }

    /// The file holding `name` and its descriptor there.
    public func location(of name: String) -> (file: SafetensorsFile, info: SafetensorsTensorInfo)? {
        locations[name].map { (files[$0.file], $0.info) }
    }

    /// Raw bytes, valid while this checkpoint is alive.
    public func data(named name: String) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        let (file, info) = try find(name)
        return file.data(info)
    }

    public func floats(named name: String) throws(SafetensorsError) -> [Float] {
        let (file, info) = try find(name)
        return try file.floats(info)
    }

    private func find(_ name: String) throws(SafetensorsError) -> (file: SafetensorsFile, info: SafetensorsTensorInfo) {
        guard let found = location(of: name) else {
            throw SafetensorsError(path: indexPath ?? files[0].path, tensor: name, reason: .tensorNotFound)
        }
        return found
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
