import Foundation

/// One parsed line of a HELMET-format jsonl file, with accessors whose errors name the file and line.
struct JSONLRecord {
    let file: String
    let line: Int
    let object: [String: Any]

    func fail(_ message: String) -> EvalTaskError { EvalTaskError("\(file):\(line): \(message)") }

    func string(_ key: String) throws -> String {
        guard let value = object[key] else { throw fail("missing field '\(key)'") }
        return try Self.text(value, at: key, self)
    }

    /// A string, or a number written as text (labels and ids are often integers).
    static func text(_ value: Any, at path: String, _ record: JSONLRecord) throws -> String {
        if let s = value as? String { return s }
        if let n = value as? NSNumber {
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 9.0e15 { return String(Int64(d)) }
            return n.stringValue
        }
        throw record.fail("field '\(path)' must be a string or a number")
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = object[key] else { throw fail("missing field '\(key)'") }
        if let single = value as? String { return [single] }
        guard let list = value as? [Any] else { throw fail("field '\(key)' must be a list of strings") }
        // HELMET flattens a list of lists of answers.
        var out: [String] = []
        for (i, item) in list.enumerated() {
            if let inner = item as? [Any] {
                for (k, x) in inner.enumerated() { out.append(try Self.text(x, at: "\(key)[\(i)][\(k)]", self)) }
            } else {
                out.append(try Self.text(item, at: "\(key)[\(i)]", self))
            }
        }
        return out
    }

    func objects(_ key: String) throws -> [[String: Any]] {
        guard let value = object[key] else { throw fail("missing field '\(key)'") }
        guard let list = value as? [Any] else { throw fail("field '\(key)' must be a list of objects") }
        return try list.enumerated().map { i, item in
            guard let o = item as? [String: Any] else { throw fail("\(key)[\(i)] must be an object") }
            return o
        }
    }

    func field(_ object: [String: Any], _ key: String, in path: String) throws -> String {
        guard let value = object[key] else { throw fail("missing field '\(key)' in \(path)") }
        return try Self.text(value, at: "\(path).\(key)", self)
    }
}

enum JSONLReader {
    /// Every non-blank line of `path` as a JSON object; a bad line throws with its number.
    static func read(_ path: String) throws -> [JSONLRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalTaskError("\(path): cannot read the file")
        }
        var records: [JSONLRecord] = []
        var lineNumber = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(line), options: [])
            } catch {
                throw EvalTaskError("\(path):\(lineNumber): invalid JSON (\(error.localizedDescription))")
            }
            guard let object = parsed as? [String: Any] else {
                throw EvalTaskError("\(path):\(lineNumber): expected a JSON object")
            }
            records.append(JSONLRecord(file: path, line: lineNumber, object: object))
        }
        if records.isEmpty { throw EvalTaskError("\(path): no records") }
        return records
    }
}
