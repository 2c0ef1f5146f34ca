import ArgumentParser
import Corpus
import Foundation
import Model
import Tensor

#if canImport(Glibc)
import Glibc
#endif

/// One full training step timed as `Trainer` runs it (see Benchmarks/train_step.sh, which runs the same
/// step in PyTorch): zero the gradients, forward + backward of one packed T-token sequence, global
/// gradient norm and clipping, AdamW on every parameter.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-train",
        abstract: "Time full training steps of a Llama config on random data (prints one JSON line).",
        discussion: """
            Weights are random (normal, std 0.02; norms 1) from --seed; tokens are uniform random ids, packed \
            into --documents equal documents with document-masked attention and positions restarting at each \
            document. Reports the best and median of --steps timed steps after --warmup untimed ones, and the \
            process's peak resident memory (getrusage ru_maxrss) before the first step and at the end.
            """
    )

    @Option(name: .long, help: "A config.json (file or model directory); default: the built-in small Llama.")
    var config: String?
    @Option(name: .long, help: "Tokens in the sequence of a step.")
    var tokens = 4096
    @Option(name: .long, help: "Equal documents packed into the sequence (attention never crosses them).")
    var documents = 1
    @Option(name: .long, help: "Compute threads (default: all cores).")
    var threads: Int?
    @Option(name: .long, help: "Timed steps.")
    var steps = 3
    @Option(name: .long, help: "Untimed warm-up steps.")
    var warmup = 1
    @Option(name: .long, help: "Activation checkpointing: on, off, or auto (on from 8192 tokens, as the trainer does).")
    var checkpointing = "auto"
    @Flag(name: .long, help: "Also time one forward pass alone (no gradients) after the steps.")
    var timeForward = false
    @Option(name: .long, help: "Seed of the weights and tokens.")
    var seed: UInt64 = 0

    /// hidden 512, 4 layers, 8 query / 2 key-value heads of 64, SwiGLU 1408, vocab 32000, untied head: 44.2M
    /// parameters (the config Benchmarks/train_step.sh writes).
    static let builtInConfig = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu", "vocab_size": 32000,
         "hidden_size": 512, "intermediate_size": 1408, "num_hidden_layers": 4, "num_attention_heads": 8,
         "num_key_value_heads": 2, "head_dim": 64, "rms_norm_eps": 1e-05, "max_position_embeddings": 32768,
         "rope_theta": 10000.0, "tie_word_embeddings": false, "attention_bias": false, "mlp_bias": false,
         "initializer_range": 0.02, "bos_token_id": 1, "eos_token_id": 2}
        """

    func run() throws {
        guard tokens >= 2, documents >= 1, documents <= tokens / 2, steps >= 1, warmup >= 0 else {
            throw ValidationError("need --tokens >= 2, 1 <= --documents <= tokens / 2, --steps >= 1, --warmup >= 0")
        }
        guard ["on", "off", "auto"].contains(checkpointing) else { throw ValidationError("--checkpointing must be on, off or auto") }
        let recompute = checkpointing == "on" || (checkpointing == "auto" && tokens >= 8192)
        let document = try config.map { try ConfigDocument(contentsOf: URL(fileURLWithPath: $0)) }
            ?? ConfigDocument(bytes: Array(Self.builtInConfig.utf8), file: "built-in")
        let c = document.config
        let device = try CPUDevice(threads: threads ?? availableCores())

        let parameters = LlamaParameters(config: c, device: device) { name, shape in
            let count = shape.reduce(1, *)
            if name.hasSuffix("norm.weight") { return Tensor([Float](repeating: 1, count: count), shape: shape, on: device) }
            var random = SplitMix64(seed: seed ^ stableHash(name))
            return Tensor(gaussian(count, std: 0.02, using: &random), shape: shape, on: device)
        }
        let gradients = LlamaParameters.zeros(config: c, device: device)
        let m = LlamaParameters.zeros(config: c, device: device), v = LlamaParameters.zeros(config: c, device: device)
        let model = try LlamaModel(config: c, parameters: parameters, device: device)
        let input = randomInput(vocabulary: c.vocabSize)
        let valid = input.targets.filter { $0 != ignoreIndex }.count
        let rssBefore = peakRSSMiB()

        var updates = 0, loss = Double.nan
        var samples: [[Double]] = []  // per timed step: zero, forward+backward, norm, adamw
        for step in 0..<(warmup + steps) {
            var t = [now()]
            for (_, tensor) in gradients.named { device.zero(tensor) }
            t.append(now())
            loss = model.loss(input, gradients: gradients, gradScale: 1 / Float(valid), checkpointing: recompute).lossSum / Double(valid)
            t.append(now())
            // Global norm and clip factor as Training's globalNorm / clipFactor (max norm 1).
            let norm = gradients.named.reduce(0.0) { $0 + device.sumOfSquares($1.tensor) }.squareRoot()
            let clip = Float(min(1, 1 / (norm + 1e-6)))
            t.append(now())
            updates += 1
            for ((name, p), ((_, g), ((_, mi), (_, vi)))) in zip(parameters.named, zip(gradients.named, zip(m.named, v.named))) {
                let hyper = AdamWHyperparameters(learningRate: 1e-4, weightDecay: LlamaParameters.decays(name) ? 0.1 : 0)
                device.adamwStep(parameter: p, gradient: g, m: mi, v: vi, step: updates, hyperparameters: hyper, gradScale: clip)
            }
            t.append(now())
            if step >= warmup { samples.append(zip(t.dropFirst(), t).map { $0 - $1 }) }
        }
        var forwardSeconds: Double?
        if timeForward {
            let start = now()
            _ = model.loss(input)
            forwardSeconds = now() - start
        }

        let totals = samples.map { $0.reduce(0, +) }.sorted()
        let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
        let phases = ["zero_grad", "forward_backward", "grad_norm", "adamw"].enumerated()
            .map { i, name in "\"\(name)\":\(median(samples.map { $0[i] }))" }.joined(separator: ",")
        print(#"{"tool":"longctx","device":"\#(device.name)","parameters":\#(parameters.parameterCount),"tokens":\#(tokens),"documents":\#(documents),"threads":\#(device.threadCount),"checkpointing":\#(recompute),"warmup":\#(warmup),"steps":\#(steps),"seconds_best":\#(totals[0]),"seconds_median":\#(median(totals)),"tokens_per_s":\#(Double(tokens) / totals[0]),"phases_median":{\#(phases)},"forward_seconds":\#(forwardSeconds.map { "\($0)" } ?? "null"),"loss":\#(loss),"rss_before_steps_mib":\#(rssBefore),"peak_rss_mib":\#(peakRSSMiB())}"#)
    }

    /// Uniform random ids in `documents` equal documents (the last takes the remainder); positions restart and
    /// the last token of each document has no target, as `TrainingSequence` makes them with document masking.
    private func randomInput(vocabulary: Int) -> LlamaInput {
        var random = SplitMix64(seed: seed ^ 0x7E57)
        let ids = (0..<tokens).map { _ in Int32(random.next(below: UInt64(vocabulary))) }
        let length = tokens / documents
        let offsets = (0..<documents).map { Int32($0 * length) } + [Int32(tokens)]
        var positions: [Int32] = [], targets: [Int32] = []
        for (start, end) in zip(offsets, offsets.dropFirst()) {
            positions += (0..<(end - start)).map { $0 }
            targets += ids[Int(start) + 1..<Int(end)] + [ignoreIndex]
        }
        return LlamaInput(tokens: ids, positions: positions, documentOffsets: offsets, targets: targets)
    }
}

/// `count` draws from N(0, std^2) (Box-Muller on 53-bit uniforms).
private func gaussian(_ count: Int, std: Float, using random: inout SplitMix64) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    var i = 0
    while i < count {
        let u1 = Double((random.next() >> 11) + 1) / 0x1p53, u2 = Double(random.next() >> 11) / 0x1p53
        let r = (-2 * log(u1)).squareRoot()
        out[i] = Float(r * cos(2 * .pi * u2)) * std
        if i + 1 < count { out[i + 1] = Float(r * sin(2 * .pi * u2)) * std }
        i += 2
    }
    return out
}

/// The process's peak resident set so far, MiB (Linux reports ru_maxrss in KiB).
private func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
