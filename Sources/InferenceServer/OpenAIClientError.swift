/// What `OpenAIClient` throws besides the transport's own errors.
public enum OpenAIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a non-2xx status; `message` is its error object's message (or the body's start).
    case http(status: Int, type: String?, message: String, endpoint: String)
    /// A 200 stream that carried an error event instead of finishing.
    case streamFailed(message: String, endpoint: String)
    /// A body that is not what the OpenAI API sends.
    case invalidResponse(String, endpoint: String)
    case invalidBaseURL(String)
    /// /v1/models listed nothing, so there is no model to default to.
    case noModels(endpoint: String)

    public var status: Int? {
        if case .http(let status, _, _, _) = self { return status }
        return nil
    }

    public var description: String {
        switch self {
        case .http(let status, let type, let message, let endpoint):
            return "HTTP \(status) from \(endpoint)\(type.map { " (\($0))" } ?? ""): \(message)"
        case .streamFailed(let message, let endpoint):
            return "stream from \(endpoint) failed: \(message)"
        case .invalidResponse(let message, let endpoint):
            return "unexpected response from \(endpoint): \(message)"
        case .invalidBaseURL(let url):
            return "invalid base URL '\(url)': expected http://host:port or http://host:port/v1"
        case .noModels(let endpoint):
            return "\(endpoint) lists no models"
        }
    }
}
