import ChatTemplates
import XCTest

/// Every real template x conversation x add_generation_prompt that transformers rendered (or refused to render)
/// must come out byte for byte the same here, or fail the same way.
final class ConversationFixtureTests: XCTestCase {
    func testConversationsRenderLikeTransformers() throws {
        let fixture = try ChatFixtures.json("conversations.json")
        guard case .dict(let root) = fixture else { return XCTFail("conversations.json is not an object") }
        let conversations = ChatFixtures.dict(root["conversations"])
        let cases = ChatFixtures.list(root["cases"])
        XCTAssertGreaterThan(cases.count, 300)
        var templates: [String: ChatTemplate] = [:]
        var failures: [String] = []
        var raised = 0
        for item in cases {
            let c = ChatFixtures.dict(item)
            let templateName = ChatFixtures.string(c["template"])!
            let conversationName = ChatFixtures.string(c["conversation"])!
            let addGenerationPrompt = c["add_generation_prompt"]?.isTruthy ?? false
            let label = "\(templateName) / \(conversationName) / add_generation_prompt=\(addGenerationPrompt)"
            if templates[templateName] == nil {
                templates[templateName] = try ChatTemplate(source: try ChatFixtures.templateSource(templateName))
            }
            let template = templates[templateName]!
            var extra: [String: TemplateValue] = [:]
            for (key, value) in ChatFixtures.dict(c["extra"]) { extra[key] = value }
            let tools: [TemplateValue]? = c["tools"].map { ChatFixtures.list($0) }
            let render = {
                try template.render(
                    messages: ChatFixtures.list(conversations[conversationName]), addGenerationPrompt: addGenerationPrompt,
                    bosToken: ChatFixtures.string(c["bos_token"]), eosToken: ChatFixtures.string(c["eos_token"]),
                    tools: tools, extra: extra)
            }
            if let expected = ChatFixtures.string(c["expected"]) {
                do {
                    let ours = try render()
                    if ours != expected || !ours.unicodeScalars.elementsEqual(expected.unicodeScalars) {
                        failures.append("\(label): \(firstDifference(ours, expected))")
                    }
                } catch {
                    failures.append("\(label): threw \(error), expected output")
                }
            } else {
                let expectedError = ChatFixtures.dict(c["error"])
                let type = ChatFixtures.string(expectedError["type"]) ?? ""
                let message = ChatFixtures.string(expectedError["message"]) ?? ""
                do {
                    _ = try render()
                    failures.append("\(label): rendered, but transformers raised \(type): \(message)")
                } catch let error as TemplateError {
                    raised += 1
                    switch type {
                    case "TemplateError":
                        if error.kind != .raised || error.message != message {
                            failures.append("\(label): expected raise_exception(\(message.debugDescription)), got \(error)")
                        }
                    case "UndefinedError":
                        if error.kind != .undefined || error.message != message {
                            failures.append("\(label): expected UndefinedError \(message.debugDescription), got \(error)")
                        }
                    default:
                        if error.kind != .runtime || error.message != message {
                            failures.append("\(label): expected \(type) \(message.debugDescription), got \(error)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(raised, 50, "the fixture's refusing cases were not exercised")
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) cases differ:\n" + failures.prefix(25).joined(separator: "\n"))
    }

    /// The (role, content) convenience gives the same text as the dictionary form.
    func testRoleContentPairsMatchTheFixture() throws {
        let template = try ChatTemplate(source: try ChatFixtures.templateSource("HuggingFaceTB-SmolLM2-135M-Instruct.jinja"))
        let fixture = ChatFixtures.dict(try ChatFixtures.json("conversations.json"))
        let expected = ChatFixtures.list(fixture["cases"]).map(ChatFixtures.dict).first {
            ChatFixtures.string($0["template"]) == "HuggingFaceTB-SmolLM2-135M-Instruct.jinja"
                && ChatFixtures.string($0["conversation"]) == "multi_turn" && $0["add_generation_prompt"]?.isTruthy == true
        }
        let text = try template.render(
            messages: [("system", "You are a helpful assistant."), ("user", "What is 2+2?"), ("assistant", "2+2 is 4."), ("user", "And 3+3?")],
            addGenerationPrompt: true, bosToken: "<|im_start|>", eosToken: "<|im_end|>")
        XCTAssertEqual(text, ChatFixtures.string(expected?["expected"]))
        let dictionaries = try template.render(
            messages: [["role": "system", "content": "You are a helpful assistant."], ["role": "user", "content": "What is 2+2?"],
                       ["role": "assistant", "content": "2+2 is 4."], ["role": "user", "content": "And 3+3?"]],
            addGenerationPrompt: true)
        XCTAssertEqual(dictionaries, text)
    }
}
