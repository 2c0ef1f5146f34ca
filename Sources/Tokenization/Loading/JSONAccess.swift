/// Typed access to tokenizer.json fields with errors that name the file and the JSON path.
struct JSONReader {
    let file: String

    func fail(_ path: String, _ message: String) -> TokenizerError {
        TokenizerError(file: file, "\(path): \(message)")
    }

    func object(_ value: JSONValue?, _ path: String) throws -> [(key: String, value: JSONValue)] {
        guard let o = value?.object else { throw fail(path, "expected an object") }
        return o
    }

    func array(_ value: JSONValue?, _ path: String) throws -> [JSONValue] {
        guard let a = value?.array else { throw fail(path, "expected an array") }
        return a
    }

    func string(_ value: JSONValue?, _ path: String) throws -> String {
        guard let s = value?.string else { throw fail(path, "expected a string") }
        return s
    }

    func optionalString(_ value: JSONValue?, _ path: String) throws -> String? {
        guard let value, !value.isNull else { return nil }
        return try string(value, path)
    }

    func bool(_ value: JSONValue?, _ path: String, default def: Bool) throws -> Bool {
        guard let value, !value.isNull else { return def }
        guard let b = value.bool else { throw fail(path, "expected true or false") }
        return b
    }

    func int(_ value: JSONValue?, _ path: String) throws -> Int {
        guard let i = value?.int else { throw fail(path, "expected an integer") }
        return i
    }

    func tokenID(_ value: JSONValue?, _ path: String) throws -> TokenID {
        let i = try int(value, path)
        guard i >= 0 && i <= Int(UInt32.max) else { throw fail(path, "token id \(i) out of range") }
        return TokenID(i)
    }

    func type(_ value: JSONValue, _ path: String) throws -> String {
        try string(value["type"], path + ".type")
    }
}
