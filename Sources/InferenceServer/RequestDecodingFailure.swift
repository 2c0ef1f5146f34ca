/// Messages for request bodies that are not the JSON we expect, naming the field as OpenAI's `param` does.
enum RequestDecodingFailure {
    static func openAIError(for error: DecodingError) -> OpenAIError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalidRequest("Missing required parameter: '\(field)'.", param: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidRequest("Invalid value for '\(field)': expected \(typeName(type)), got null.", param: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalidRequest("Invalid type for '\(field)': expected \(typeName(type)).", param: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalidRequest("The request body is not valid JSON: \(underlyingMessage(context)).")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalidRequest("Invalid value for '\(field)': \(context.debugDescription)", param: field)
        @unknown default:
            return .invalidRequest("The request body could not be read: \(error).")
        }
    }

    /// "messages[0].content" from the coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default: return String(describing: type)
        }
    }

    private static func underlyingMessage(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError { return "\(context.debugDescription) (\(underlying))" }
        return context.debugDescription
    }
}
