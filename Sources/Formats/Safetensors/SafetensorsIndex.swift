/// `model.safetensors.index.json`, the map of a sharded checkpoint:
/// {"metadata": {"total_size": …}, "weight_map": {tensor name: shard file name}}.
public struct SafetensorsIndex: Sendable, Equatable {
    public static let fileName = "model.safetensors.index.json"

    /// Tensor name to shard file name (relative to the index's directory), in file order.
    public let weightMap: [(tensor: String, shard: String)]
    /// metadata.total_size: the sum of the tensors' byte sizes, when present.
    public let totalSize: Int?

    public static func == (a: Self, b: Self) -> Bool {
        a.totalSize == b.totalSize && a.weightMap.elementsEqual(b.weightMap) { $0 == $1 }
    }

    /// Shard file names in order of first appearance.
    public var shards: [String] {
        var seen = Set<String>()
        return weightMap.map(\.shard).filter { seen.insert($0).inserted }
    }

    public init(weightMap: [(tensor: String, shard: String)], totalSize: Int?) {
        self.weightMap = weightMap
        self.totalSize = totalSize
    }

    public init(path: String) throws(SafetensorsError) {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch { throw SafetensorsError(path: path, reason: .io(error.message)) }
        func bad(_ offset: Int?, _ why: String) -> SafetensorsError { SafetensorsError(path: path, offset: offset, reason: .badIndex(why)) }
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(OrderedJSONError) in try OrderedJSONParser.parse(raw) }
        }
        let json: OrderedJSON
        switch parsed {
        case .success(let value): json = value
        case .failure(let error): throw SafetensorsError(path: path, offset: error.offset, reason: .headerJSON(error.message))
        }
        guard case .object(let top) = json else { throw bad(0, "top level is a JSON \(json.kind), not an object") }
        guard let mapMember = top.last(where: { $0.key == "weight_map" }) else { throw bad(nil, "no \"weight_map\"") }
        guard case .object(let entries) = mapMember.value else { throw bad(mapMember.offset, "\"weight_map\" is not an object") }
        var map: [(tensor: String, shard: String)] = []
        var seen = Set<String>()
        for e in entries {
            guard case .string(let shard) = e.value else { throw bad(e.offset, "\"\(e.key)\" maps to a \(e.value.kind), not a file name") }
            guard Self.isPlainRelativePath(shard) else { throw bad(e.offset, "\"\(e.key)\" maps to \"\(shard)\", which leaves the checkpoint directory") }
            guard seen.insert(e.key).inserted else { throw bad(e.offset, "\"\(e.key)\" appears twice") }
            map.append((e.key, shard))
        }
        var totalSize: Int?
        if let meta = top.last(where: { $0.key == "metadata" }), case .object(let fields) = meta.value,
           let size = fields.last(where: { $0.key == "total_size" }) {
            switch size.value {
            case .integer(let n): totalSize = n
            case .number(let d) where d == d.rounded() && d >= 0 && d < 9e18: totalSize = Int(d)  // older writers stored a float
            default: throw bad(size.offset, "metadata.total_size is a \(size.value.kind), not an integer")
            }
        }
        self.init(weightMap: map, totalSize: totalSize)
    }

    /// No absolute paths and no ".." components: an index must not reach outside its directory.
    static func isPlainRelativePath(_ p: String) -> Bool {
        !p.isEmpty && !p.hasPrefix("/") && !p.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
    }
}
