// swift-tools-version: 6.0
import PackageDescription

// The compute modules are optimized even in debug builds: the test suite runs a real 135M model, GGUF
// dequantization and tokenizers over long texts, 20-50x slower at -Onone.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "longctx",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "longctx", targets: ["longctx"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "DataEngine", targets: ["DataEngine"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "InferenceServer", targets: ["InferenceServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .executableTarget(
            name: "longctx",
            dependencies: [
                "Tokenization",
                "Corpus",
                "DataEngine",
                "Model",
                "Tensor",
                "Training",
                "Inference",
                "Evaluation",
                "InferenceServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // File containers shared by tokenizers and models (GGUF, later safetensors).
        .target(name: "Formats", swiftSettings: optimizedInDebug),
        .target(name: "Tokenization", dependencies: ["Formats"], swiftSettings: optimizedInDebug),
        // zstd and zlib, linked from the system (scripts/install-deps.sh installs the Debian packages).
        .systemLibrary(name: "CCompression", providers: [.apt(["libzstd-dev", "zlib1g-dev"])]),
        .target(name: "Corpus", dependencies: ["Tokenization", "Formats", "CCompression"]),
        // Recipes, mixing, packing into MDS, manifests, worker parts and resume: `longctx data build`.
        .target(name: "DataEngine", dependencies: ["Corpus", "Tokenization", "Formats", "RecipeSupport"]),
        // Training recipes, data mixing by domain, schedules, the trainer loop, checkpoints and metrics.
        .target(name: "Training", dependencies: ["Corpus", "Formats", "RecipeSupport", "Model", "Tensor"]),
        // YAML recipes with file:line errors and ${param} substitution, shared by data and training recipes.
        .target(name: "RecipeSupport", dependencies: ["Formats", .product(name: "Yams", package: "Yams")]),
        // Storage (f32/bf16/f16), the Device protocol and the CPU backend (OpenBLAS loaded at run time, SIMD kernels).
        .target(name: "Tensor", swiftSettings: optimizedInDebug),
        // Llama-family configs, RoPE scaling, weights, layers and the model (forward and backward).
        .target(name: "Model", dependencies: ["Tensor", "Formats", "Tokenization"], swiftSettings: optimizedInDebug),
        // Jinja chat templates as transformers applies them (a subset of Jinja: what chat templates use).
        .target(name: "ChatTemplates", dependencies: ["Formats"]),
        // KV cache, chunked prefill, sampling, stop strings, batched generation on a LlamaModel.
        .target(name: "Inference", dependencies: ["Model", "Tensor", "Tokenization", "ChatTemplates", "Corpus"],
                swiftSettings: optimizedInDebug),
        // Long-context tasks (NIAH, RULER, HELMET, passkey, perplexity), scoring, resumable runs, reports and plots.
        .target(name: "Evaluation", dependencies: ["Tokenization", "Formats", "CCompression"]),
        // The OpenAI-compatible HTTP server (Hummingbird) and client (AsyncHTTPClient).
        .target(
            name: "InferenceServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // What the test targets share (finding and running the longctx binary); not part of the product.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ChatTemplateTests", dependencies: ["ChatTemplates"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Model", "Tensor", "Tokenization", "Formats", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Tokenization", "TestSupport"]),
        .testTarget(
            name: "InferenceServerTests",
            dependencies: ["InferenceServer", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(name: "DataEngineTests", dependencies: ["DataEngine", "Formats", "RecipeSupport", "TestSupport"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Tensor", "Formats", "Tokenization", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Corpus", "RecipeSupport", "Model", "Tensor", "Formats", "TestSupport"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "TestSupport"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(
            name: "TokenizationTests",
            dependencies: ["Tokenization", "Formats", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
