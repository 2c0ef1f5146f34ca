import Foundation
import Hummingbird
import NIOCore

/// Turns every error a route throws into OpenAI's error object with the right status: the request's own faults
/// (bad JSON, missing or invalid fields, an unknown model or route) are 4xx, everything else from the backend 500.
struct ErrorTranslationMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.openAIError(for: error, method: request.method.rawValue, path: request.uri.path).response()
        }
    }

    static func openAIError(for error: any Error, method: String, path: String) -> OpenAIError {
        switch error {
        case let error as OpenAIError:
            return error
        case let error as InvalidCompletionRequest:
            return .invalidRequest(error.message, param: error.param)
        case let error as DecodingError:
            return RequestDecodingFailure.openAIError(for: error)
        case is NIOTooManyBytesError:
            return OpenAIError(status: .contentTooLarge, message: "The request body is larger than this server accepts.",
                               type: "invalid_request_error", param: nil, code: nil)
        case let error as HTTPError where error.status == .notFound:
            return .unknownRoute(method: method, path: path)
        case let error as HTTPError:
            let status = error.status
            return OpenAIError(status: status, message: error.body ?? status.reasonPhrase,
                               type: status.code < 500 ? "invalid_request_error" : "server_error", param: nil, code: nil)
        default:
            return .server(String(describing: error))
        }
    }
}
