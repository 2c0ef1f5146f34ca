/// Tensor data widened to Float, in the file's own layout (ggml order: ne0 fastest).
extension GGUFFile {
    public func floats(_ info: GGUFTensorInfo) throws(GGUFWeightsError) -> [Float] {
        guard info.type.isDequantizable else { throw GGUFWeightsError(path: path, tensor: info.name, reason: .unsupportedType(info.type)) }
        return try GGMLDequantizer.dequantize(tensorData(info), type: info.type, count: info.elementCount)
    }

    public func floats(named name: String) throws(GGUFWeightsError) -> [Float] {
        guard let info = tensor(named: name) else { throw GGUFWeightsError(path: path, tensor: name, reason: .missingTensor) }
        return try floats(info)
    }
}
