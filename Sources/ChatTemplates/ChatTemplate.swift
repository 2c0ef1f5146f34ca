/// A chat template (Jinja source from a tokenizer_config.json or GGUF), parsed once and rendered the way
/// transformers' `apply_chat_template` renders it.
///
///     let template = try ChatTemplate(source: BuiltinChatTemplates.llama3)
///     let prompt = try template.render(messages: [("system", "Be brief."), ("user", "Hi")],
///                                      addGenerationPrompt: true, bosToken: "<|begin_of_text|>")
public struct ChatTemplate: Sendable {
    public let source: String
    private let text: SourceText
    private let statements: [Statement]

    /// Parses the template; syntax errors and unknown filters or tests throw a `TemplateError` with line and column.
    public init(source: String) throws {
        self.source = source
        text = SourceText(source)
        statements = try Parser.parse(text)
        try NameCheck.check(statements, source: text)
    }

    /// Renders with exactly these variables (no chat conventions): jinja2's `Template.render(**variables)`.
    public func render(variables: [String: TemplateValue]) throws -> String {
        let globals = Scope(parent: nil)
        globals.variables = variables
        let renderer = Renderer(source: text)
        _ = try renderer.execute(statements, in: Scope(parent: globals))
        return renderer.output
    }

    /// Renders a conversation whose messages are dictionaries in the order they should be seen (`.dict` values,
    /// e.g. from `TemplateValue(json:)`), with the variables `apply_chat_template` passes: `messages`, `tools`,
    /// `documents`, `add_generation_prompt`, `bos_token` / `eos_token` when given, and `extra` (which, as
    /// transformers' kwargs, overrides the special tokens). Like transformers, keys whose value is `.none` are
    /// dropped from each message, and a message's reasoning is also offered as `thinking` and `reasoning_content`.
    public func render(
        messages: [TemplateValue], addGenerationPrompt: Bool = false, bosToken: String? = nil, eosToken: String? = nil,
        tools: [TemplateValue]? = nil, documents: [TemplateValue]? = nil, extra: [String: TemplateValue] = [:]
    ) throws -> String {
        var variables: [String: TemplateValue] = [:]
        if let bosToken { variables["bos_token"] = .string(bosToken) }
        if let eosToken { variables["eos_token"] = .string(eosToken) }
        variables.merge(extra) { _, new in new }
        variables["messages"] = .list(try messages.enumerated().map { try Self.normalise($0.element, index: $0.offset) })
        variables["tools"] = tools.map { .list($0) } ?? TemplateValue.none
        variables["documents"] = documents.map { .list($0) } ?? TemplateValue.none
        variables["add_generation_prompt"] = .bool(addGenerationPrompt)
        return try render(variables: variables)
    }

    /// Messages as Swift dictionaries; their keys are ordered `role`, `content`, then the rest alphabetically
    /// (the order only shows if a template prints a whole message, e.g. with `tojson`).
    public func render(
        messages: [[String: TemplateValue]], addGenerationPrompt: Bool = false, bosToken: String? = nil,
        eosToken: String? = nil, tools: [TemplateValue]? = nil, documents: [TemplateValue]? = nil,
        extra: [String: TemplateValue] = [:]
    ) throws -> String {
        let ordered = messages.map { message -> TemplateValue in
            let first = ["role", "content"].compactMap { key in message[key].map { (key, $0) } }
            let rest = message.filter { $0.key != "role" && $0.key != "content" }.sorted { $0.key < $1.key }
            return .dict(TemplateDictionary(first + rest.map { ($0.key, $0.value) }))
        }
        return try render(messages: ordered, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken,
                          eosToken: eosToken, tools: tools, documents: documents, extra: extra)
    }

    /// Plain (role, content) turns.
    public func render(
        messages: [(role: String, content: String)], addGenerationPrompt: Bool = false, bosToken: String? = nil,
        eosToken: String? = nil, tools: [TemplateValue]? = nil, extra: [String: TemplateValue] = [:]
    ) throws -> String {
        let values = messages.map { TemplateValue.dict(TemplateDictionary([("role", .string($0.role)), ("content", .string($0.content))])) }
        return try render(messages: values, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken,
                          eosToken: eosToken, tools: tools, extra: extra)
    }

    /// transformers' message preparation: drop None values, alias reasoning fields.
    static func normalise(_ message: TemplateValue, index: Int) throws -> TemplateValue {
        guard case .dict(let original) = message else {
            throw TemplateError(.runtime, "Chat messages should be dicts, but message \(index) is a \(message.typeName)", line: 0, column: 0)
        }
        var cleaned = TemplateDictionary(original.filter { !$0.value.isNone }.map { ($0.key, $0.value) })
        let reasoning = ["reasoning_content", "thinking", "reasoning"].lazy.compactMap { cleaned[$0] }.first
        if let reasoning {
            var aliased = TemplateDictionary([("thinking", reasoning)])
            for (key, value) in cleaned { aliased[key] = value }
            aliased["reasoning_content"] = reasoning
            cleaned = aliased
        }
        return .dict(cleaned)
    }
}
