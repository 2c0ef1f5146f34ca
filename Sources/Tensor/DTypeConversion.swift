extension DType {
    /// Converts `count` elements from `source` (holding `sourceType`) to `destination` (holding `self`).
    /// f32 -> bf16 rounds to nearest even (see `Float.bf16Bits`); f32 -> f16 rounds as Swift's `Float16(_:)`;
    /// bf16 <-> f16 goes through f32. Same type copies. Pointers need not be aligned; ranges must not overlap.
    public func convert(_ count: Int, from source: UnsafeRawPointer, _ sourceType: DType,
                        to destination: UnsafeMutableRawPointer) {
        switch (sourceType, self) {
        case (.f32, .f32), (.bf16, .bf16), (.f16, .f16):
            destination.copyMemory(from: source, byteCount: count * byteSize)
        case (.f32, .bf16):
            Conversions.f32ToBF16(source.assumingMemoryBound(to: Float.self),
                                  destination.assumingMemoryBound(to: UInt16.self), count)
        case (.bf16, .f32):
            Conversions.bf16ToF32(source.assumingMemoryBound(to: UInt16.self),
                                  destination.assumingMemoryBound(to: Float.self), count)
        case (.f32, .f16):
            Conversions.f32ToF16(source.assumingMemoryBound(to: Float.self),
                                 destination.assumingMemoryBound(to: Float16.self), count)
        case (.f16, .f32):
            Conversions.f16ToF32(source.assumingMemoryBound(to: Float16.self),
                                 destination.assumingMemoryBound(to: Float.self), count)
        case (.bf16, .f16), (.f16, .bf16):
            // Through an f32 block on the stack.
            let block = 1024
            withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { tmp in
                var i = 0
                while i < count {
                    let n = Swift.min(block, count - i)
                    DType.f32.convert(n, from: source + i * 2, sourceType, to: tmp.baseAddress!)
                    convert(n, from: tmp.baseAddress!, .f32, to: destination + i * 2)
                    i += n
                }
            }
        }
    }

    /// `values` encoded as this type's bytes.
    public func encode(_ values: [Float]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: values.count * byteSize) { out, initialized in
            values.withUnsafeBytes { convert(values.count, from: $0.baseAddress!, .f32, to: out.baseAddress!) }
            initialized = values.count * byteSize
        }
    }

    /// Bytes of this type decoded to f32 (`bytes.count` must be a multiple of `byteSize`).
    public func decode(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        precondition(bytes.count % byteSize == 0, "\(bytes.count) bytes is not a whole number of \(self) elements")
        let count = bytes.count / byteSize
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 { DType.f32.convert(count, from: bytes.baseAddress!, self, to: out.baseAddress!) }
            initialized = count
        }
    }
}

/// The bulk conversion loops: 16 lanes at a time, scalar tail.
enum Conversions {
    @inline(__always) static func bf16Round(_ v: Vec) -> SIMD16<UInt16> {
        let bits = unsafeBitCast(v, to: SIMD16<UInt32>.self)
        let high = bits &>> 16
        var rounded = (bits &+ ((high & 1) &+ 0x7FFF)) &>> 16
        rounded.replace(with: high | 0x40, where: v .!= v)
        return SIMD16<UInt16>(truncatingIfNeeded: rounded)
    }

    static func f32ToBF16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, _ count: Int) {
        var i = 0
        while i + vecWidth <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: bf16Round(loadVec(src + i)), as: SIMD16<UInt16>.self)
            i += vecWidth
        }
        while i < count { dst[i] = src[i].bf16Bits; i += 1 }
    }

    static func bf16ToF32(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + vecWidth <= count {
            let h = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<UInt16>.self)
            storeVec(unsafeBitCast(SIMD16<UInt32>(truncatingIfNeeded: h) &<< 16, to: Vec.self), dst + i)
            i += vecWidth
        }
        while i < count { dst[i] = Float(bf16Bits: src[i]); i += 1 }
    }

    static func f32ToF16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float16>, _ count: Int) {
        var i = 0
        while i + vecWidth <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: SIMD16<Float16>(loadVec(src + i)), as: SIMD16<Float16>.self)
            i += vecWidth
        }
        while i < count { dst[i] = Float16(src[i]); i += 1 }
    }

    static func f16ToF32(_ src: UnsafePointer<Float16>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + vecWidth <= count {
            storeVec(Vec(UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float16>.self)), dst + i)
            i += vecWidth
        }
        while i < count { dst[i] = Float(src[i]); i += 1 }
    }
}
