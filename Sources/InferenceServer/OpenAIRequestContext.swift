import Foundation
import Hummingbird

/// The request context: Hummingbird's core storage, a larger body limit (long-context prompts run to megabytes)
/// and a place for the handler to leave token counts for the request log.
struct OpenAIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let usage = UsageRecorder()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var maxUploadSize: Int { 256 * 1024 * 1024 }
}

/// Token counts (and a failure, if a stream failed after its headers went out) of one request. A class so that the
/// handler, which gets the context by value, can report to the log middleware that wraps it.
final class UsageRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var promptTokens = 0
    private var completionTokens = 0
    private var failure: String?

    func add(_ outcome: CompletionOutcome, countPrompt: Bool) {
        lock.withLock {
            if countPrompt { promptTokens += outcome.promptTokens }
            completionTokens += outcome.completionTokens
        }
    }

    func recordFailure(_ message: String) {
        lock.withLock { failure = message }
    }

    var snapshot: (prompt: Int, completion: Int, failure: String?) {
        lock.withLock { (promptTokens, completionTokens, failure) }
    }
}
