import Foundation
@testable import InferenceServer

/// A deterministic stand-in for a model. Its "tokens" are the prompt's words in reverse order, uppercased, each with
/// a leading space; after the last word it ends ("stop"), unless max tokens ends it first ("length"). Stop strings
/// cut the text where the first one begins. Prompts containing a marker make it fail:
/// "FAIL" throws before any text, "BREAK" throws after the first piece, "TOO_LONG" throws InvalidCompletionRequest.
final class ScriptedBackend: CompletionBackend, @unchecked Sendable {
    let modelID: String
    let delayPerToken: Duration
    private let lock = NSLock()
    private var active = 0
    private var _maxActive = 0
    private var _received: [CompletionParameters] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String { "scripted backend failure" }
    }

    init(modelID: String = "scripted-model", delayPerToken: Duration = .zero) {
        self.modelID = modelID
        self.delayPerToken = delayPerToken
    }

    /// The most generations that ran at the same time.
    var maxActive: Int { lock.withLock { _maxActive } }
    /// Every parameter set `complete` was called with, in order.
    var received: [CompletionParameters] { lock.withLock { _received } }

    func chatPrompt(messages: [ChatMessage]) throws -> String {
        if let odd = messages.first(where: { !["system", "user", "assistant"].contains($0.role) }) {
            throw InvalidCompletionRequest("unknown role '\(odd.role)'", param: "messages")
        }
        return messages.map { "\($0.role): \($0.content)" }.joined(separator: " ") + " assistant:"
    }

    /// The text and finish reason for a prompt, computed the way `complete` streams it.
    static func expected(prompt: String, parameters: CompletionParameters) -> (pieces: [String], finishReason: String) {
        let words = prompt.split(separator: " ").reversed().map { " " + $0.uppercased() }
        var pieces = Array(words.prefix(parameters.maxTokens))
        var finishReason = words.count > parameters.maxTokens ? "length" : "stop"
        let text = pieces.joined()
        let cut = parameters.stop.compactMap { text.range(of: $0)?.lowerBound }.min()
        if let cut {
            let kept = text[..<cut]
            var trimmed: [String] = []
            var length = 0
            for piece in pieces where length < kept.count {
                let take = min(piece.count, kept.count - length)
                trimmed.append(String(piece.prefix(take)))
                length += take
            }
            pieces = trimmed
            finishReason = "stop"
        }
        return (pieces, finishReason)
    }

    func complete(prompt: String, parameters: CompletionParameters,
                  onText: @Sendable (String) async throws -> Void) async throws -> CompletionOutcome {
        lock.withLock {
            active += 1
            _maxActive = max(_maxActive, active)
            _received.append(parameters)
        }
        defer { lock.withLock { active -= 1 } }
        if prompt.contains("TOO_LONG") { throw InvalidCompletionRequest("prompt is longer than the context", param: "prompt") }
        if prompt.contains("FAIL") { throw Failure() }
        let (pieces, finishReason) = Self.expected(prompt: prompt, parameters: parameters)
        for (index, piece) in pieces.enumerated() {
            if delayPerToken > .zero { try await Task.sleep(for: delayPerToken) }
            if index == 1, prompt.contains("BREAK") { throw Failure() }
            try await onText(piece)
        }
        if pieces.isEmpty, delayPerToken > .zero { try await Task.sleep(for: delayPerToken) }
        return CompletionOutcome(text: pieces.joined(), finishReason: finishReason,
                                 promptTokens: prompt.split(separator: " ").count, completionTokens: pieces.count)
    }
}
