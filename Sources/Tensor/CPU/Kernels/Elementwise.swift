// fill, copy/cast, add, axpy, scale, sum of squares: streaming loops cut into fixed chunks.

extension CPUDevice {
    public func fill(_ tensor: Tensor, with value: Float) {
        let base = tensor.cpuAddress("fill")
        switch tensor.dtype {
        case .f32:
            let p = base.assumingMemoryBound(to: Float.self)
            pool.forEachChunk(tensor.elementCount, chunk: Grain.elements) { r in
                (p + r.lowerBound).initialize(repeating: value, count: r.count)
            }
        case .bf16, .f16:
            let bits = tensor.dtype == .bf16 ? value.bf16Bits : Float16(value).bitPattern
            let p = base.assumingMemoryBound(to: UInt16.self)
            pool.forEachChunk(tensor.elementCount, chunk: Grain.elements) { r in
                (p + r.lowerBound).initialize(repeating: bits, count: r.count)
            }
        }
    }

    public func copy(_ source: Tensor, to destination: Tensor) {
        checkSameCount(source, destination, "copy")
        let src = UnsafeRawPointer(source.cpuAddress("copy")), dst = destination.cpuAddress("copy")
        let (from, to) = (source.dtype, destination.dtype)
        pool.forEachChunk(source.elementCount, chunk: Grain.elements) { r in
            to.convert(r.count, from: src + r.lowerBound * from.byteSize, from, to: dst + r.lowerBound * to.byteSize)
        }
    }

    public func add(_ a: Tensor, _ b: Tensor, into out: Tensor) {
        checkSameCount(a, b, "add")
        checkSameCount(a, out, "add")
        let pa = a.f32("add"), pb = b.f32("add"), po = out.f32("add")
        pool.forEachChunk(a.elementCount, chunk: Grain.elements) { r in
            var i = r.lowerBound
            while i + vecWidth <= r.upperBound {
                storeVec(loadVec(pa + i) + loadVec(pb + i), po + i)
                i += vecWidth
            }
            while i < r.upperBound { po[i] = pa[i] + pb[i]; i += 1 }
        }
    }

    public func axpy(_ alpha: Float, _ x: Tensor, _ y: Tensor) {
        checkSameCount(x, y, "axpy")
        let px = x.f32("axpy"), py = y.f32("axpy")
        pool.forEachChunk(x.elementCount, chunk: Grain.elements) { r in
            addScaled(alpha, px + r.lowerBound, to: py + r.lowerBound, r.count)
        }
    }

    public func scale(_ tensor: Tensor, by factor: Float) {
        let p = tensor.f32("scale")
        pool.forEachChunk(tensor.elementCount, chunk: Grain.elements) { r in
            scaleInPlace(p + r.lowerBound, factor, r.count)
        }
    }

    public func sumOfSquares(_ tensor: Tensor) -> Double {
        let p = tensor.f32("sumOfSquares")
        let count = tensor.elementCount
        let chunk = Grain.elements
        let chunks = (count + chunk - 1) / chunk
        var partials = [Double](repeating: 0, count: chunks)
        partials.withUnsafeMutableBufferPointer { partials in
            pool.forEachChunk(count, chunk: chunk) { r in
                var acc = Vec()
                var i = r.lowerBound
                while i + vecWidth <= r.upperBound {
                    let x = loadVec(p + i)
                    acc = x * x + acc
                    i += vecWidth
                }
                var sum = sumInDouble(acc)
                while i < r.upperBound { sum += Double(p[i]) * Double(p[i]); i += 1 }
                partials[r.lowerBound / chunk] = sum
            }
        }
        return partials.reduce(0, +)
    }
}
