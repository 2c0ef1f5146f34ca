import Corpus
import Tokenization

/// `data stats`: a source's document lengths in tokens, read and tokenized on the build's pipeline (a reader
/// thread ahead of encoder threads that keep their word caches for the whole pass), so the statistics of a
/// corpus cost what building from it costs. Tokenized MDS inputs are counted as they are.
public enum SourceStatistics {
    /// The statistics and the records the reader skipped, in reading order; `onProgress` sees the running totals.
    public static func collect(_ spec: SourceSpec, textField: String, seed: UInt64, tokenizer: Tokenizer, threads: Int,
                               onProgress: (LengthStatistics) -> Void = { _ in }) throws -> (LengthStatistics, [SkipRecord]) {
        let input = Recipe.Input(path: spec.path, kind: spec.kind, textField: textField)
        let stream = TokenizedStream(inputs: [input], tokenizer: { tokenizer }, threads: threads, seed: seed)
        defer { stream.close() }
        var stats = LengthStatistics()
        var skipped: [SkipRecord] = []
        while let item = try stream.next() {
            skipped += item.skipsBefore
            stats.add(documentLength: item.tokens.count)
            onProgress(stats)
        }
        skipped += stream.trailingSkips
        return (stats, skipped)
    }
}
