import Foundation
import Hummingbird

/// An error answered as OpenAI answers them: `{"error": {"message", "type", "param", "code"}}` with an HTTP status.
struct OpenAIError: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String
    var type: String
    var param: String?
    var code: String?

    static func invalidRequest(_ message: String, param: String? = nil) -> OpenAIError {
        OpenAIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: nil)
    }

    /// vLLM answers an unknown `model` with 404 and this message; OpenAI with 404 and code "model_not_found".
    static func modelNotFound(_ name: String) -> OpenAIError {
        OpenAIError(status: .notFound, message: "The model `\(name)` does not exist.",
                    type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func unknownRoute(method: String, path: String) -> OpenAIError {
        OpenAIError(status: .notFound, message: "Invalid URL (\(method) \(path))",
                    type: "invalid_request_error", param: nil, code: nil)
    }

    static func unauthorized() -> OpenAIError {
        OpenAIError(status: .unauthorized, message: "Incorrect API key provided.",
                    type: "invalid_request_error", param: nil, code: "invalid_api_key")
    }

    static func server(_ message: String) -> OpenAIError {
        OpenAIError(status: .internalServerError, message: message, type: "server_error", param: nil, code: nil)
    }

    var description: String { "\(status.code) \(type): \(message)" }

    /// The JSON object, also sent as one server-sent event when a stream fails after its headers went out.
    var body: ErrorBody {
        ErrorBody(error: .init(message: message, type: type, param: param, code: code))
    }

    func response() -> Response {
        var response = JSONBody.response(body)
        response.status = status
        return response
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String?

            // OpenAI sends "param": null and "code": null rather than leaving them out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        var error: Detail
    }
}

/// JSON response bodies, one line each (server-sent events need that).
enum JSONBody {
    static func encode(_ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // The wire types encode only strings, numbers, booleans and nulls: encoding them cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    static func response(_ value: some Encodable) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: encode(value)))
    }
}
