import Hummingbird

/// With an API key set (as vLLM's --api-key), /v1 routes need `Authorization: Bearer KEY`; /health stays open.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = OpenAIRequestContext
    let apiKey: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/v1"), request.headers[.authorization] != "Bearer \(apiKey)" {
            throw OpenAIError.unauthorized()
        }
        return try await next(request, context)
    }
}
