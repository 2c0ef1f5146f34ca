import Hummingbird

/// Writes a response body as server-sent events: `data: {json}\n\n` per event, `data: [DONE]\n\n` at the end.
///
/// The body writer is not Sendable, but the backend's `onText` must be. Each `onText` call is awaited before the
/// next piece is decoded, and all of them run inside the one task that writes the body, so the writer is never
/// used from two places at once; this box only carries it across the Sendable boundary.
final class ServerSentEventWriter: @unchecked Sendable {
    private var writer: any ResponseBodyWriter
    /// Set when the client went away: the stream then ends without the error event a failed generation gets.
    private(set) var clientGone = false

    private init(writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    /// A 200 response whose body `produce` writes as events; `[DONE]` and the end of the body follow it.
    static func response(_ produce: @escaping @Sendable (ServerSentEventWriter) async throws -> Void) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let events = ServerSentEventWriter(writer: writer)
            try await produce(events)
            try await events.sendRaw("[DONE]")
            try await events.writer.finish(nil)
        })
    }

    func send(_ value: some Encodable) async throws {
        var buffer = ByteBuffer(string: "data: ")
        var json = JSONBody.encode(value)
        buffer.writeBuffer(&json)
        buffer.writeString("\n\n")
        try await write(buffer)
    }

    private func sendRaw(_ data: String) async throws {
        try await write(ByteBuffer(string: "data: \(data)\n\n"))
    }

    private func write(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            clientGone = true
            throw error
        }
    }
}
