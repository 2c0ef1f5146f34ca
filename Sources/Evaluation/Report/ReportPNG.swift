import CCompression

/// Writes 8-bit RGB PNGs: signature, IHDR, one zlib-compressed IDAT (every scanline with filter 0), IEND, each
/// chunk with its CRC-32 (ISO 3309, as PNG specifies; zlib's `crc32` computes it).
enum ReportPNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func encode(_ raster: ReportRaster) throws -> [UInt8] {
        try encode(width: raster.width, height: raster.height, rgb: raster.pixels)
    }

    static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> [UInt8] {
        precondition(rgb.count == width * height * 3, "RGB buffer does not match \(width)x\(height)")
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw EvalReportError("PNG: cannot encode an image of \(width)x\(height) pixels")
        }
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        // Bit depth 8, colour type 2 (RGB), deflate compression, adaptive filtering, no interlace.
        header += [8, 2, 0, 0, 0]

        let rowBytes = width * 3
        var scanlines = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        for row in 0..<height {
            // Filter byte 0 (None), then the row as is.
            let target = row * (rowBytes + 1) + 1
            scanlines.replaceSubrange(target..<(target + rowBytes), with: rgb[(row * rowBytes)..<((row + 1) * rowBytes)])
        }

        var png = signature
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try deflate(scanlines), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// A zlib stream (RFC 1950) of `bytes` at the default level.
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw EvalReportError("PNG: zlib compress2 failed with status \(status)") }
        return Array(output.prefix(Int(capacity)))
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeAndData = Array(type.utf8) + data
        png += typeAndData
        appendBigEndian(crc(typeAndData), to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
