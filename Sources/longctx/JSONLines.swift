import ArgumentParser
import Tokenization

/// The string `field` of every JSON object in `bytes`, one per line (blank lines skipped). `source` names
/// the input in errors, which give the line number.
func readTextField(ofJSONLines bytes: [UInt8], field: String, source: String) throws -> [String] {
    var texts: [String] = []
    for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(line), source: "\(source):\(index + 1)") } catch {
            throw ValidationError("\(error)")
        }
        guard let text = value[field]?.string else {
            throw ValidationError("\(source):\(index + 1): no string field '\(field)'")
        }
        texts.append(text)
    }
    return texts
}
