import Formats
import Tensor

/// A safetensors checkpoint (single file or shards) checked against the parameters a config implies:
/// every parameter present with its shape and a float dtype, nothing else but what transformers
/// itself ignores on load. Tensors stay in the mapped files until read or written.
struct CheckedCheckpoint {
    let checkpoint: SafetensorsCheckpoint
    let layout: [(name: String, shape: [Int])]
    /// Tensors present but not loaded (a tied model's stored lm_head.weight, rotary buffers).
    let ignored: [String]

    init(checkpoint: SafetensorsCheckpoint, config: LlamaConfig) throws(ModelDirectoryError) {
        self.checkpoint = checkpoint
        layout = LlamaParameterLayout.expected(config)
        let expected = Set(layout.map(\.name))
        var ignored: [String] = []
        for name in checkpoint.tensorNames where !expected.contains(name) {
            let file = checkpoint.location(of: name)!.file.path
            guard LlamaParameterLayout.isIgnorable(name, config: config) else {
                throw ModelDirectoryError(path: file, tensor: name, reason: .unexpectedTensor)
            }
            ignored.append(name)
        }
        self.ignored = ignored
        for (name, shape) in layout {
            guard let (file, info) = checkpoint.location(of: name) else {
                throw ModelDirectoryError(path: checkpoint.indexPath ?? checkpoint.files[0].path, tensor: name, reason: .missingTensor)
            }
            guard info.shape == shape else {
                throw ModelDirectoryError(path: file.path, tensor: name, reason: .wrongShape(expected: shape, actual: info.shape))
            }
            guard info.dtype.convertsToFloat else {
                throw ModelDirectoryError(path: file.path, tensor: name, reason: .notFloat(info.dtype.rawValue))
            }
        }
    }

    /// The parameter as an f32 tensor on `device` (bf16 and f16 widen exactly; f64 rounds).
    func tensor(_ name: String, on device: any Device) throws -> Tensor {
        let (file, info) = checkpoint.location(of: name)!
        if info.dtype == .f32 { return Tensor(bytes: file.data(info), shape: info.shape, dtype: .f32, on: device) }
        return Tensor(try file.floats(info), shape: info.shape, on: device)
    }

    /// Every parameter, in module order, converted to `dtype` while it is written; `starting` is
    /// told the index of each tensor as its turn comes.
    func tensorsToWrite(as dtype: WeightDType, starting: @escaping (Int) -> Void = { _ in }) -> [SafetensorsTensorToWrite] {
        layout.enumerated().map { index, parameter in
            SafetensorsTensorToWrite(name: parameter.name, dtype: dtype.safetensors, shape: parameter.shape) { out in
                starting(index)
                let (file, info) = checkpoint.location(of: parameter.name)!
                WeightEncoding.convert(file.data(info), from: info.dtype, count: info.elementCount, to: dtype, into: out)
            }
        }
    }
}
