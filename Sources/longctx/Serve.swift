import ArgumentParser
import Foundation
import InferenceServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model directory over an OpenAI-compatible HTTP API.",
        discussion: """
            Routes: GET /v1/models, POST /v1/completions, POST /v1/chat/completions (both with "stream": true as \
            server-sent events), GET /health. Any OpenAI client works: base URL http://HOST:PORT/v1. \
            Stops cleanly on SIGINT or SIGTERM.
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0: any free port, printed when listening).")
    var port = 8000
    @Option(name: .long, help: "Model name served (default: the directory's name).")
    var servedModelName: String?
    @Option(name: .long, help: "Longest prompt + completion in tokens (default: the model's max_position_embeddings).")
    var maxModelLen: Int?
    @Option(name: .long, help: "Generations run at once (more queue).")
    var maxConcurrent = 1
    @Option(name: .long, help: "Require this key as 'Authorization: Bearer KEY'.")
    var apiKey: String?

    func run() async throws {
        let loaded = try modelOptions.load()
        let backend = GeneratorBackend(loaded: loaded, modelID: servedModelName ?? loaded.name, maxModelLength: maxModelLen,
                                       prefillChunk: modelOptions.prefillChunk)
        let server = OpenAIServer(backend: backend, host: host, port: port, maxConcurrentGenerations: maxConcurrent, apiKey: apiKey)
        try await server.runUntilSignalled { port in
            writeStandardError("serving \(backend.modelID) at http://\(host):\(port)/v1 (\(loaded.model.device.name))\n")
        }
    }
}
