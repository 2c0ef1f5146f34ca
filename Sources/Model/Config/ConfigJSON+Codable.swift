/// Lets `ConfigJSON` travel through any Swift `Decoder`/`Encoder`. A `Decoder` does not say how a
/// number was written (JSONDecoder reads `8.0` as the Int 8), so literals are rebuilt from values
/// here; `ConfigDocument` parses files itself to keep them exactly.
extension ConfigJSON: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            let keys = container.allKeys.map(\.stringValue).sorted(by: ConfigJSON.pythonOrder)
            self = .object(try keys.map { ($0, try container.decode(ConfigJSON.self, forKey: Key(stringValue: $0))) })
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [ConfigJSON] = []
            while !container.isAtEnd { items.append(try container.decode(ConfigJSON.self)) }
            self = .array(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .float(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case let .number(literal):
            var container = encoder.singleValueContainer()
            if isIntegerLiteral, let integer = Int(literal) {
                try container.encode(integer)
            } else {
                try container.encode(Double(literal) ?? .nan)
            }
        case let .string(text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case let .array(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case let .object(entries):
            var container = encoder.container(keyedBy: Key.self)
            for entry in entries { try container.encode(entry.value, forKey: Key(stringValue: entry.key)) }
        }
    }
}
