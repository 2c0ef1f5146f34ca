import ChatTemplates
import Foundation
import XCTest

/// The fixtures scripts/fixtures/chat_templates.py wrote with transformers' own rendering (Tests/Fixtures/chat).
enum ChatFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/chat").path

    static func json(_ name: String) throws -> TemplateValue {
        try TemplateValue(json: String(contentsOfFile: directory + "/" + name, encoding: .utf8))
    }

    static func templateSource(_ name: String) throws -> String {
        // Read as bytes: String(contentsOfFile:) would be fine too, but this keeps "\r\n" exactly as stored.
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/templates/" + name))
        return String(decoding: data, as: UTF8.self)
    }

    static func list(_ value: TemplateValue?) -> [TemplateValue] {
        if case .list(let items)? = value { return items }
        return []
    }

    static func dict(_ value: TemplateValue?) -> TemplateDictionary {
        if case .dict(let d)? = value { return d }
        return TemplateDictionary()
    }

    static func string(_ value: TemplateValue?) -> String? { value?.stringValue }

    static func int(_ value: TemplateValue?) -> Int? {
        if case .int(let i)? = value { return i }
        return nil
    }
}

/// A readable pointer to where two renderings first differ.
func firstDifference(_ a: String, _ b: String) -> String {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    var i = 0
    while i < min(x.count, y.count) && x[i] == y[i] { i += 1 }
    func around(_ s: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[max(0, i - 30)..<min(s.count, i + 30)])
        return String(view).debugDescription
    }
    return "at scalar \(i): ours \(around(x)) vs expected \(around(y))"
}
