/// A typed n-dimensional array, row-major, as numpy stores it in an `ndarray` column.
public struct MDSArray: Sendable, Equatable {
    /// Element storage; the case is the numpy dtype.
    public enum Storage: Sendable, Equatable {
        case uint8([UInt8]), int8([Int8])
        case uint16([UInt16]), int16([Int16])
        /// float16 kept as raw IEEE bits: Float16 is not available on every platform we build for.
        case float16Bits([UInt16])
        case uint32([UInt32]), int32([Int32]), float32([Float])
        case uint64([UInt64]), int64([Int64]), float64([Double])
    }

    public var storage: Storage
    public var shape: [Int]

    public init(_ storage: Storage, shape: [Int]) {
        self.storage = storage
        self.shape = shape
    }

    public var dtype: MDSDType {
        switch storage {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .float16Bits: .float16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    public var count: Int {
        switch storage {
        case .uint8(let a): a.count
        case .int8(let a): a.count
        case .uint16(let a), .float16Bits(let a): a.count
        case .int16(let a): a.count
        case .uint32(let a): a.count
        case .int32(let a): a.count
        case .float32(let a): a.count
        case .uint64(let a): a.count
        case .int64(let a): a.count
        case .float64(let a): a.count
        }
    }

    /// Integer elements widened to Int64 (nil for floats or uint64 values past Int64.max).
    public var int64Values: [Int64]? {
        switch storage {
        case .uint8(let a): a.map(Int64.init)
        case .int8(let a): a.map(Int64.init)
        case .uint16(let a): a.map(Int64.init)
        case .int16(let a): a.map(Int64.init)
        case .uint32(let a): a.map(Int64.init)
        case .int32(let a): a.map(Int64.init)
        case .int64(let a): a
        case .uint64(let a): a.allSatisfy { $0 <= UInt64(Int64.max) } ? a.map(Int64.init) : nil
        case .float16Bits, .float32, .float64: nil
        }
    }

    public var uint32Values: [UInt32]? { if case .uint32(let a) = storage { return a }; return nil }
}

/// numpy dtypes an `ndarray` column may hold, with the byte code MDS uses when the dtype is
/// not fixed by the column encoding.
public enum MDSDType: String, Sendable, CaseIterable {
    case uint8, int8, uint16, int16, float16, uint32, int32, float32, uint64, int64, float64

    public var code: UInt8 {
        switch self {
        case .uint8: 8
        case .int8: 9
        case .uint16: 16
        case .int16: 17
        case .float16: 18
        case .uint32: 32
        case .int32: 33
        case .float32: 34
        case .uint64: 64
        case .int64: 65
        case .float64: 66
        }
    }

    public init?(code: UInt8) {
        guard let t = MDSDType.allCases.first(where: { $0.code == code }) else { return nil }
        self = t
    }

    public var byteWidth: Int { Int(code & 0xF8) / 8 }
}
