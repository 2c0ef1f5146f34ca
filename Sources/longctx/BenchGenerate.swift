import ArgumentParser
import Foundation
import Inference
import Model
import Tensor
import Tokenization

/// Prefill and decode timed as generation runs them (see Benchmarks/inference.sh, which runs the same prompts in
/// PyTorch): `Generator.prefill` over the prompt in chunks of --prefill-chunk, then greedy decoding one token per
/// step from that cache, each step one `LlamaModel.forward` of the new token, its logits and their argmax.
struct BenchGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-generate",
        abstract: "Time prefill and greedy decoding of a model directory at several context lengths (JSON lines).",
        discussion: """
            The prompt is the first L ids of --prompt-ids (a JSON array); when that file is missing it is made \
            from --text, tokenized with the model's tokenizer (no special tokens) and repeated to the longest \
            length, so another tool can read the very same ids. Each length, and the batched decode, runs in a \
            fresh child process so that its peak resident memory (VmHWM) is its own. Per length: an untimed \
            warm-up (one chunk's prefill and a few decode steps on a separate cache), the timed prefill, then \
            --decode-steps timed greedy steps from the prompt's cache (end-of-sequence tokens do not stop them).
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Prompt lengths in tokens, comma-separated.")
    var lengths = "2048,8192,32768"
    @Option(name: .long, help: "The prompt ids (JSON array of integers); made from --text when missing.")
    var promptIds: String
    @Option(name: .long, help: "Text to tokenize into --prompt-ids when that file does not exist.")
    var text: String?
    @Option(name: .long, help: "Timed greedy decode steps after each prefill.")
    var decodeSteps = 32
    @Option(name: .long, help: "Untimed warm-up rounds (a chunk's prefill and 4 decode steps each).")
    var warmup = 1
    @Option(name: .long, help: "Sequences decoding together in the batched-decode run (0 skips it).")
    var batch = 4
    @Option(name: .long, help: "Prompt length of each sequence in the batched-decode run.")
    var batchLength = 2048
    @Option(name: .long, help: "KV cache growth step in tokens (KVCache's default, what Generator uses).")
    var cacheGrowthStep = 1024

    private var lengthList: [Int] { lengths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = lengths.split(separator: ",")
        guard parts.count == lengthList.count, lengthList.allSatisfy({ $0 >= 2 }) else {
            throw ValidationError("--lengths must be comma-separated integers >= 2, not '\(lengths)'")
        }
        guard decodeSteps >= 1, warmup >= 0, batch >= 0, batchLength >= 2, cacheGrowthStep >= 1 else {
            throw ValidationError("need --decode-steps >= 1, --warmup >= 0, --batch >= 0, --batch-length >= 2, --cache-growth-step >= 1")
        }
        guard !lengthList.isEmpty || batch > 0 else { throw ValidationError("nothing to run: no --lengths and --batch 0") }
    }

    func run() throws {
        let longest = max(lengthList.max() ?? 0, batch > 0 ? batchLength : 0)
        if !FileManager.default.fileExists(atPath: promptIds) { try writePromptIds(count: longest) }
        let ids = try readPromptIds()
        guard ids.count >= longest else {
            throw ValidationError("\(promptIds): \(ids.count) ids, fewer than the \(longest) needed (delete it to remake it from --text)")
        }
        let runs = lengthList.map { ["--lengths", "\($0)", "--batch", "0"] } + (batch > 0 ? [["--lengths", "", "--batch", "\(batch)"]] : [])
        if runs.count > 1 {
            for run in runs { try runChild(run) }
            return
        }
        let loaded = try modelOptions.load()
        let peakLoad = memoryMiB("VmHWM")
        if let length = lengthList.first {
            try benchSingle(loaded, prompt: Array(ids[..<length]), peakLoad: peakLoad)
        } else {
            try benchBatch(loaded, prompt: Array(ids[..<batchLength]), peakLoad: peakLoad)
        }
    }

    /// Prefill of one prompt, then greedy decode steps from its cache.
    private func benchSingle(_ loaded: LoadedModel, prompt: [Int32], peakLoad: Double) throws {
        let model = loaded.model, generator = loaded.makeGenerator()
        generator.prefillChunk = modelOptions.prefillChunk
        for _ in 0..<warmup {
            let cache = newCache(model)
            var next = argmax(generator.prefill(Array(prompt.prefix(modelOptions.prefillChunk)), cache: cache))
            for _ in 0..<4 { next = decodeStep(model, caches: [cache], tokens: [next])[0] }
        }
        let cache = newCache(model)
        let rssBefore = resetPeakMemory()
        let start = now()
        let logits = generator.prefill(prompt, cache: cache)
        let prefillSeconds = now() - start
        let peakPrefill = memoryMiB("VmHWM")
        var next = argmax(logits)
        var decoded = [next], steps: [Double] = []
        for _ in 0..<decodeSteps {
            let t = now()
            next = decodeStep(model, caches: [cache], tokens: [next])[0]
            steps.append(now() - t)
            decoded.append(next)
        }
        let decodeSeconds = steps.reduce(0, +)
        emit([
            "kind": "\"single\"", "length": "\(prompt.count)", "batch": "1",
            "prefill_seconds": "\(prefillSeconds)", "prefill_tokens_per_s": "\(Double(prompt.count) / prefillSeconds)",
            "decode_seconds": "\(decodeSeconds)", "decode_tokens_per_s": "\(Double(decodeSteps) / decodeSeconds)",
            "decode_ms_per_token_median": "\(median(steps) * 1000)", "decoded": "\(decoded)",
            "kv_cache_mib": "\(Double(cache.byteCount) / 1_048_576)", "peak_rss_load_mib": "\(peakLoad)",
            "rss_before_prefill_mib": "\(rssBefore)", "peak_rss_prefill_mib": "\(peakPrefill)",
        ], model: model)
    }

    /// `batch` copies of one prompt prefilled together (one forward per chunk over all sequences' rows), then decoded
    /// together: each step one forward of `batch` rows, so the weights are read once for the whole batch.
    private func benchBatch(_ loaded: LoadedModel, prompt: [Int32], peakLoad: Double) throws {
        let model = loaded.model
        for _ in 0..<warmup {
            let caches = (0..<batch).map { _ in newCache(model) }
            var next = prefillTogether(model, prompt: Array(prompt.prefix(256)), caches: caches)
            for _ in 0..<4 { next = decodeStep(model, caches: caches, tokens: next) }
        }
        let caches = (0..<batch).map { _ in newCache(model) }
        let rssBefore = resetPeakMemory()
        let start = now()
        var next = prefillTogether(model, prompt: prompt, caches: caches)
        let prefillSeconds = now() - start
        let peakPrefill = memoryMiB("VmHWM")
        var decoded = [next[0]], steps: [Double] = []
        for _ in 0..<decodeSteps {
            let t = now()
            next = decodeStep(model, caches: caches, tokens: next)
            steps.append(now() - t)
            decoded.append(next[0])
        }
        let decodeSeconds = steps.reduce(0, +)
        emit([
            "kind": "\"batch\"", "length": "\(prompt.count)", "batch": "\(batch)",
            "prefill_seconds": "\(prefillSeconds)", "prefill_tokens_per_s": "\(Double(batch * prompt.count) / prefillSeconds)",
            "decode_seconds": "\(decodeSeconds)", "decode_tokens_per_s": "\(Double(batch * decodeSteps) / decodeSeconds)",
            "decode_ms_per_token_median": "\(median(steps) * 1000)", "decoded": "\(decoded)",
            "kv_cache_mib": "\(Double(caches.reduce(0) { $0 + $1.byteCount }) / 1_048_576)",
            "peak_rss_load_mib": "\(peakLoad)", "rss_before_prefill_mib": "\(rssBefore)",
            "peak_rss_prefill_mib": "\(peakPrefill)",
        ], model: model)
    }

    /// The same prompt into every cache, --prefill-chunk tokens of each sequence per forward; the next token of each.
    private func prefillTogether(_ model: LlamaModel, prompt: [Int32], caches: [KVCache]) -> [Int32] {
        var hidden: Tensor?
        for chunkStart in stride(from: 0, to: prompt.count, by: modelOptions.prefillChunk) {
            let chunk = Array(prompt[chunkStart..<min(prompt.count, chunkStart + modelOptions.prefillChunk)])
            hidden = model.forward(caches.map { CachedChunk(cache: $0, tokens: chunk, ropeLength: prompt.count) })
        }
        let rows = hidden!.shape[0] / caches.count
        let last = (0..<caches.count).map { sequence in
            model.logits(normedHidden: hidden!.rows((sequence + 1) * rows - 1..<(sequence + 1) * rows)).floats()
        }
        return last.map { argmax($0) }
    }

    /// One decoding step of every sequence as `Generator.generate` runs it: one forward over their new tokens, the
    /// logits of those rows, and (greedy) the argmax of each.
    private func decodeStep(_ model: LlamaModel, caches: [KVCache], tokens: [Int32]) -> [Int32] {
        let hidden = model.forward(zip(caches, tokens).map { CachedChunk(cache: $0, tokens: [$1]) })
        let logits = model.logits(normedHidden: hidden).floats(), vocab = model.config.vocabSize
        return (0..<caches.count).map { argmax(logits[$0 * vocab..<($0 + 1) * vocab]) }
    }

    private func newCache(_ model: LlamaModel) -> KVCache {
        KVCache(config: model.config, device: model.device, growthStep: cacheGrowthStep)
    }

    private func emit(_ fields: [String: String], model: LlamaModel) {
        let common: [(String, String)] = [
            ("tool", "\"longctx\""), ("device", "\"\(model.device.name)\""), ("threads", "\((model.device as? CPUDevice)?.threadCount ?? 0)"),
            ("prefill_chunk", "\(modelOptions.prefillChunk)"), ("cache_growth_step", "\(cacheGrowthStep)"),
            ("decode_steps", "\(decodeSteps)"), ("warmup", "\(warmup)"),
            ("peak_rss_mib", "\(memoryMiB("VmHWM"))"),
        ]
        let body = (common + fields.sorted { $0.key < $1.key }).map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        print("{\(body)}")
        fflush(nil)
    }

    /// Runs this command again for one part (its own process, so its peak memory is its own).
    private func runChild(_ part: [String]) throws {
        var arguments = ["bench-generate", "--model", modelOptions.model, "--prefill-chunk", "\(modelOptions.prefillChunk)",
                         "--prompt-ids", promptIds, "--decode-steps", "\(decodeSteps)", "--warmup", "\(warmup)",
                         "--batch-length", "\(batchLength)", "--cache-growth-step", "\(cacheGrowthStep)"] + part
        if let threads = modelOptions.threads { arguments += ["--threads", "\(threads)"] }
        if let rope = modelOptions.rope { arguments += ["--rope", rope] }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = arguments
        fflush(nil)
        try child.run()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw ValidationError("bench-generate \(part.joined(separator: " ")) exited with status \(child.terminationStatus)")
        }
    }

    private func writePromptIds(count: Int) throws {
        guard let text else { throw ValidationError("\(promptIds) does not exist: give --text FILE to make it") }
        let source: String
        do { source = try String(contentsOfFile: text, encoding: .utf8) } catch {
            throw ValidationError("\(text): cannot read the text (\(error.localizedDescription))")
        }
        let tokenizer = try Tokenizer.load(path: modelOptions.model)
        // About 4 characters per token; a little more text than needed, repeated when the file is short.
        var pieceIds = tokenizer.modelTokens(String(source.prefix(count * 6)))
        guard !pieceIds.isEmpty else { throw ValidationError("\(text): no tokens") }
        while pieceIds.count < count { pieceIds += pieceIds }
        let data = try JSONSerialization.data(withJSONObject: pieceIds.prefix(count).map { Int($0) })
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: promptIds).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: promptIds))
    }

    private func readPromptIds() throws -> [Int32] {
        let data = try Data(contentsOf: URL(fileURLWithPath: promptIds))
        guard let values = try JSONSerialization.jsonObject(with: data) as? [Int] else {
            throw ValidationError("\(promptIds): expected a JSON array of integers")
        }
        return values.map { Int32($0) }
    }
}

private func argmax(_ values: some Collection<Float>) -> Int32 {
    var best = -Float.infinity, index = 0
    for (i, value) in values.enumerated() where value > best { best = value; index = i }
    return Int32(index)
}

private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Resets the process's peak resident set (VmHWM) to the current one (Linux: "5" into /proc/self/clear_refs), so
/// that later peaks are those of the timed work, not of loading the weights; returns the resident set (VmRSS).
private func resetPeakMemory() -> Double {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    return memoryMiB("VmRSS")
}

/// A /proc/self/status memory line (VmHWM: peak resident set, VmRSS: current) in MiB.
private func memoryMiB(_ key: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
          let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return .nan }
    return kib / 1024
}
