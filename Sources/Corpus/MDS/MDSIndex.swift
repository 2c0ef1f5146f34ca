import FoundationEssentials

/// index.json as MDSWriter writes it: `{"shards": [...], "version": 2}`.
public struct MDSIndex: Sendable, Equatable, Codable {
    public var version: Int
    public var shards: [MDSShardInfo]
}

/// One file's entry (`raw_data` / `zip_data`).
public struct MDSFileInfo: Sendable, Equatable, Codable {
    public var basename: String
    public var bytes: Int
    public var hashes: [String: String]
}

/// One shard's entry: the writer config plus where its samples live.
public struct MDSShardInfo: Sendable, Equatable, Codable {
    public var columnEncodings: [String]
    public var columnNames: [String]
    public var columnSizes: [Int?]
    public var compression: String?
    public var format: String
    public var hashes: [String]
    public var rawData: MDSFileInfo
    public var samples: Int
    public var sizeLimit: Int?
    public var version: Int
    public var zipData: MDSFileInfo?

    enum CodingKeys: String, CodingKey {
        case columnEncodings = "column_encodings", columnNames = "column_names", columnSizes = "column_sizes"
        case compression, format, hashes
        case rawData = "raw_data", samples, sizeLimit = "size_limit", version, zipData = "zip_data"
    }

    // Explicit so that `null` values decode rather than fail (`compression`, `zip_data`, `size_limit`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        columnEncodings = try c.decode([String].self, forKey: .columnEncodings)
        columnNames = try c.decode([String].self, forKey: .columnNames)
        columnSizes = try c.decode([Int?].self, forKey: .columnSizes)
        compression = try c.decodeIfPresent(String.self, forKey: .compression)
        format = try c.decode(String.self, forKey: .format)
        hashes = try c.decodeIfPresent([String].self, forKey: .hashes) ?? []
        rawData = try c.decode(MDSFileInfo.self, forKey: .rawData)
        samples = try c.decode(Int.self, forKey: .samples)
        sizeLimit = try c.decodeIfPresent(Int.self, forKey: .sizeLimit)
        version = try c.decode(Int.self, forKey: .version)
        zipData = try c.decodeIfPresent(MDSFileInfo.self, forKey: .zipData)
    }

    init(columns: [MDSColumn], sizeLimit: Int?, samples: Int, rawData: MDSFileInfo) {
        columnEncodings = columns.map { $0.encoding.description }
        columnNames = columns.map(\.name)
        columnSizes = columns.map { $0.encoding.fixedSize }
        compression = nil
        format = "mds"
        hashes = []
        self.rawData = rawData
        self.samples = samples
        self.sizeLimit = sizeLimit
        version = 2
        zipData = nil
    }
}

/// A named, typed column.
public struct MDSColumn: Sendable, Equatable {
    public var name: String
    public var encoding: MDSEncoding
    public init(name: String, encoding: MDSEncoding) {
        self.name = name
        self.encoding = encoding
    }
}

// Python-identical serialisation (see PyJSON).
extension MDSShardInfo {
    /// The writer config embedded in every shard header (`MDSWriter.get_config()`).
    var configJSON: PyJSON {
        .object([
            ("column_encodings", .array(columnEncodings.map(PyJSON.string))),
            ("column_names", .array(columnNames.map(PyJSON.string))),
            ("column_sizes", .array(columnSizes.map { $0.map(PyJSON.int) ?? .null })),
            ("compression", compression.map(PyJSON.string) ?? .null),
            ("format", .string(format)),
            ("hashes", .array(hashes.map(PyJSON.string))),
            ("size_limit", sizeLimit.map(PyJSON.int) ?? .null),
            ("version", .int(version)),
        ])
    }

    var indexJSON: PyJSON {
        guard case .object(var pairs) = configJSON else { return configJSON }
        pairs.append(("raw_data", rawData.json))
        pairs.append(("samples", .int(samples)))
        pairs.append(("zip_data", zipData?.json ?? .null))
        return .object(pairs)
    }
}

extension MDSFileInfo {
    var json: PyJSON {
        .object([("basename", .string(basename)), ("bytes", .int(bytes)),
                 ("hashes", .object(hashes.map { ($0.key, .string($0.value)) }))])
    }
}

extension MDSIndex {
    var pythonJSON: String { PyJSON.object([("shards", .array(shards.map(\.indexJSON))), ("version", .int(version))]).text }
}
