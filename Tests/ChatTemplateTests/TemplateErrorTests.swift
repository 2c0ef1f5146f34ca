import ChatTemplates
import XCTest

/// Errors name the template line and column (1-based, counted in characters) of what failed.
final class TemplateErrorTests: XCTestCase {
    private func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> TemplateError? {
        do {
            _ = try ChatTemplate(source: source)
            XCTFail("parsed: \(source.debugDescription)", file: file, line: line)
        } catch let error as TemplateError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    private func renderError(_ source: String, _ variables: [String: TemplateValue] = [:], file: StaticString = #filePath, line: UInt = #line) -> TemplateError? {
        do {
            _ = try ChatTemplate(source: source).render(variables: variables)
            XCTFail("rendered: \(source.debugDescription)", file: file, line: line)
        } catch let error as TemplateError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    func testSyntaxErrorsPointAtTheOffendingToken() throws {
        let bad = parseError("Hello\n  {{ 1 + }}")
        XCTAssertEqual(bad?.kind, .syntax)
        XCTAssertEqual(bad?.line, 2)
        XCTAssertEqual(bad?.column, 10)  // the "}}" where an operand was expected
        XCTAssertEqual(bad?.message, "unexpected 'end of print statement'")
        XCTAssertEqual(bad?.description, "chat template line 2, column 10: unexpected 'end of print statement'")

        let paren = parseError("{{ (1 + 2 }}")
        XCTAssertEqual(paren?.line, 1)
        XCTAssertEqual(paren?.column, 11)
        XCTAssertEqual(paren?.message, "unexpected '}', expected ')'")

        let tag = parseError("a\nb\n   {% frobnicate %}")
        XCTAssertEqual(tag?.line, 3)
        XCTAssertEqual(tag?.column, 7)
        XCTAssertEqual(tag?.message, "Encountered unknown tag 'frobnicate'.")

        let unclosed = parseError("{% for m in messages %}\n{{ m }}")
        XCTAssertEqual(unclosed?.line, 2)
        XCTAssertEqual(unclosed?.message, "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.")

        let comment = parseError("x\n  {# open")
        XCTAssertEqual(comment?.line, 2)
        XCTAssertEqual(comment?.column, 3)
        XCTAssertEqual(comment?.message, "Missing end of comment tag")

        let quote = parseError("{{ 'unterminated }}")
        XCTAssertEqual(quote?.column, 4)
    }

    func testUnknownFiltersAndTestsAreNamed() throws {
        let filter = parseError("line one\n{{ name | shout }}")
        XCTAssertEqual(filter?.kind, .unknownFilterOrTest)
        XCTAssertEqual(filter?.message, "No filter named 'shout'.")
        XCTAssertEqual(filter?.line, 2)
        XCTAssertEqual(filter?.column, 11)

        let test = parseError("{{ x is loud }}")
        XCTAssertEqual(test?.message, "No test named 'loud'.")
        XCTAssertEqual(test?.column, 9)

        // Inside an `if`, jinja2 waits until the branch runs.
        let lazy = try ChatTemplate(source: "{% if flag %}{{ x | shout }}{% endif %}")
        XCTAssertEqual(try lazy.render(variables: [:]), "")
        let error = renderError("{% if flag %}{{ x | shout }}{% endif %}", ["flag": true])
        XCTAssertEqual(error?.message, "No filter named 'shout'.")
        XCTAssertEqual(error?.column, 21)
    }

    func testUndefinedNamesFailWhereUsed() throws {
        let call = renderError("ok\n  {{ missing_function(1) }}")
        XCTAssertEqual(call?.kind, .undefined)
        XCTAssertEqual(call?.message, "'missing_function' is undefined")
        XCTAssertEqual(call?.line, 2)
        XCTAssertEqual(call?.column, 6)

        let attribute = renderError("{{ message.content.strip() }}", ["message": ["role": "user"]])
        XCTAssertEqual(attribute?.message, "'dict object' has no attribute 'content'")

        let arithmetic = renderError("{{ 1 + count }}")
        XCTAssertEqual(arithmetic?.message, "'count' is undefined")
        XCTAssertEqual(arithmetic?.column, 8)

        // Printing or testing an undefined name is not an error in jinja2.
        XCTAssertEqual(try ChatTemplate(source: "[{{ nothing }}]{{ nothing is defined }}").render(variables: [:]), "[]False")
    }

    func testRaiseExceptionSurfacesItsMessage() throws {
        let source = "{% for m in messages %}\n{% if m.role == 'tool' %}{{ raise_exception('Tools are not supported, got ' ~ m.role) }}{% endif %}{% endfor %}"
        let error = renderError(source, ["messages": [["role": "user"], ["role": "tool"]]])
        XCTAssertEqual(error?.kind, .raised)
        XCTAssertEqual(error?.message, "Tools are not supported, got tool")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 29)
    }

    func testRuntimeErrorsAreWordedLikePython() throws {
        XCTAssertEqual(renderError("{{ 'a' + 1 }}")?.message, "can only concatenate str (not \"int\") to str")
        XCTAssertEqual(renderError("{{ 1 // 0 }}")?.message, "integer division or modulo by zero")
        XCTAssertEqual(renderError("{% set xs = [] %}{{ xs.append(1) }}")?.message, "access to attribute 'append' of 'list' object is unsafe.")
        XCTAssertEqual(renderError("{% for x in 3 %}{% endfor %}")?.message, "'int' object is not iterable")
    }
}
