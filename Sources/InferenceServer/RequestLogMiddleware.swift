import Foundation
import Hummingbird

/// One line per request once its body has been written (so a stream is logged when it ends):
/// `POST /v1/completions 200 prompt_tokens=12 completion_tokens=16 0.204s`.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = OpenAIRequestContext
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        let path = request.uri.path
        let usage = context.usage
        let log = self.log
        var response = try await next(request, context)
        let status = response.status.code
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let counts = usage.snapshot
                let seconds = (ContinuousClock.now - start) / .seconds(1)
                var line = "\(method) \(path) \(status) prompt_tokens=\(counts.prompt) completion_tokens=\(counts.completion) "
                line += String(format: "%.3fs", seconds)
                if let failure = counts.failure { line += " error=\(failure)" }
                log(line)
            }
            try await body.write(writer)
        }
        return response
    }
}

extension OpenAIServer {
    /// The default request log: one line per request on standard error.
    public static let logToStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
