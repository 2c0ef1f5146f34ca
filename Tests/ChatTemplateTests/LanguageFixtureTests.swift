import ChatTemplates
import XCTest

/// One Jinja feature per case (whitespace control, literals, operators, loops, scoping, macros, filters, tests,
/// methods, tojson, errors), each expected value rendered by jinja2 in transformers' environment.
final class LanguageFixtureTests: XCTestCase {
    func testLanguageFeaturesRenderLikeJinja2() throws {
        let fixture = ChatFixtures.dict(try ChatFixtures.json("language.json"))
        let cases = ChatFixtures.list(fixture["cases"])
        XCTAssertGreaterThan(cases.count, 140)
        var failures: [String] = []
        for item in cases {
            let c = ChatFixtures.dict(item)
            let name = ChatFixtures.string(c["name"])!
            let source = ChatFixtures.string(c["template"])!
            var variables: [String: TemplateValue] = [:]
            for (key, value) in ChatFixtures.dict(c["variables"]) { variables[key] = value }
            if let expected = ChatFixtures.string(c["expected"]) {
                do {
                    let ours = try ChatTemplate(source: source).render(variables: variables)
                    if !ours.unicodeScalars.elementsEqual(expected.unicodeScalars) {
                        failures.append("\(name): \(firstDifference(ours, expected))")
                    }
                } catch {
                    failures.append("\(name): threw \(error)")
                }
                continue
            }
            let expectedError = ChatFixtures.dict(c["error"])
            let type = ChatFixtures.string(expectedError["type"]) ?? ""
            let message = ChatFixtures.string(expectedError["message"]) ?? ""
            let line = ChatFixtures.int(expectedError["line"])
            let phase = ChatFixtures.string(expectedError["phase"])
            let template: ChatTemplate
            do {
                template = try ChatTemplate(source: source)
            } catch let error as TemplateError {
                if phase != "parse" { failures.append("\(name): failed to parse (\(error)), jinja2 failed only rendering") }
                if let line, error.line != line { failures.append("\(name): error on line \(error.line), jinja2 says \(line)") }
                if type == "TemplateAssertionError" && (error.kind != .unknownFilterOrTest || error.message != message) {
                    failures.append("\(name): \(error) vs \(message)")
                }
                if type == "TemplateSyntaxError" && error.kind != .syntax { failures.append("\(name): kind \(error.kind)") }
                continue
            }
            if phase == "parse" { failures.append("\(name): parsed, but jinja2 refused it: \(message)") }
            do {
                _ = try template.render(variables: variables)
                failures.append("\(name): rendered, but jinja2 raised \(type): \(message)")
            } catch let error as TemplateError {
                let kinds: [String: TemplateError.Kind] = [
                    "TemplateError": .raised, "UndefinedError": .undefined, "TemplateAssertionError": .unknownFilterOrTest,
                ]
                if error.kind != (kinds[type] ?? .runtime) || (phase == "render" && error.message != message) {
                    failures.append("\(name): expected \(type) \(message.debugDescription), got \(error.kind) \(error)")
                }
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) cases differ:\n" + failures.joined(separator: "\n"))
    }
}
