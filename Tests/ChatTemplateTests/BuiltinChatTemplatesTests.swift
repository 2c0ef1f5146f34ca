import ChatTemplates
import Foundation
import XCTest

/// The built-in templates are the published sources byte for byte, and render the fixture conversations as
/// transformers does (through the fixture test, which renders the same files).
final class BuiltinChatTemplatesTests: XCTestCase {
    func testBuiltinSourcesAreTheFixtureFiles() throws {
        for family in BuiltinChatTemplates.Family.allCases {
            let file = try ChatFixtures.templateSource(family.fixtureName)
            XCTAssert(family.source.utf8.elementsEqual(file.utf8), "\(family) differs from \(family.fixtureName)")
            XCTAssertNoThrow(try ChatTemplate(source: family.source), "\(family)")
        }
    }

    func testLlama3RendersAGenerationPrompt() throws {
        let template = try ChatTemplate(source: BuiltinChatTemplates.llama3)
        let text = try template.render(
            messages: [("system", "Be brief."), ("user", "Hi")], addGenerationPrompt: true,
            bosToken: "<|begin_of_text|>", extra: ["date_string": "26 Jul 2024"])
        XCTAssertEqual(text, """
            <|begin_of_text|><|start_header_id|>system<|end_header_id|>

            Cutting Knowledge Date: December 2023
            Today Date: 26 Jul 2024

            Be brief.<|eot_id|><|start_header_id|>user<|end_header_id|>

            Hi<|eot_id|><|start_header_id|>assistant<|end_header_id|>


            """)
    }

    func testLlama2RefusesNonAlternatingRoles() throws {
        let template = try ChatTemplate(source: BuiltinChatTemplates.llama2)
        XCTAssertThrowsError(try template.render(messages: [("user", "a"), ("user", "b")], bosToken: "<s>", eosToken: "</s>")) { error in
            XCTAssertEqual((error as? TemplateError)?.message, "Conversation roles must alternate user/assistant/user/assistant/...")
        }
    }
}
