import ArgumentParser

@main
struct LongCtx: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longctx",
        abstract: "Extend the context window of language models: data, training, evaluation.",
        discussion: """
            Tokenizers: HF tokenizer.json (byte-level and SentencePiece-style BPE), GGUF vocabularies, and \
            tiktoken rank files, with ids identical to the reference libraries.
            """,
        version: LongCtx.version,
        subcommands: [Tokenize.self, DataCommand.self, Convert.self, Train.self, Generate.self, Serve.self, EvalCommand.self, RoPEBase.self,
                      BenchTokenize.self, BenchTrain.self, BenchGenerate.self, Demo.self]
    )

    static let version = "0.1.0"
}
