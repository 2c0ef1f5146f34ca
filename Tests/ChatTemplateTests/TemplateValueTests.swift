import ChatTemplates
import Foundation
import XCTest

final class TemplateValueTests: XCTestCase {
    func testJSONKeepsKeyOrderAndRoundTripsLikePython() throws {
        let value = try TemplateValue(json: #"{"z": 1, "a": [1.5, "é\n", null, true], "m": {}}"#)
        // Python: json.dumps(json.loads(s), ensure_ascii=False)
        XCTAssertEqual(try value.jsonText(), #"{"z": 1, "a": [1.5, "é\n", null, true], "m": {}}"#)
        XCTAssertEqual(try value.jsonText(indent: 2), "{\n  \"z\": 1,\n  \"a\": [\n    1.5,\n    \"é\\n\",\n    null,\n    true\n  ],\n  \"m\": {}\n}")
    }

    func testLiteralsBuildValues() throws {
        let tool: TemplateValue = ["type": "function", "function": ["name": "f", "strict": false, "weight": 0.5, "n": 2, "x": nil]]
        let template = try ChatTemplate(source: "{{ t | tojson }}")
        XCTAssertEqual(try template.render(variables: ["t": tool]),
                       #"{"type": "function", "function": {"name": "f", "strict": false, "weight": 0.5, "n": 2, "x": null}}"#)
    }

    func testStrftimeNowUsesTheLocalClock() throws {
        let template = try ChatTemplate(source: "{{ strftime_now('%Y-%m-%d') }}")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd"
        let before = formatter.string(from: Date())
        let rendered = try template.render(variables: [:])
        let after = formatter.string(from: Date())
        XCTAssert(rendered == before || rendered == after, "\(rendered) vs \(before)")
    }

    func testMessagesDropNoneValuesAndAliasReasoning() throws {
        let template = try ChatTemplate(source: "{% for m in messages %}{{ m | tojson }}\n{% endfor %}")
        let text = try template.render(messages: [
            ["role": "assistant", "content": nil, "reasoning_content": "because"] as TemplateValue,
        ])
        XCTAssertEqual(text, #"{"thinking": "because", "role": "assistant", "reasoning_content": "because"}"# + "\n")
    }
}
