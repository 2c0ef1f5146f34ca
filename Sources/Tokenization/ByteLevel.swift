/// GPT-2's byte-to-unicode table: printable bytes map to themselves, the other 68 to U+0100 and up, so
/// every byte string has a printable spelling. Vocabularies are stored in this spelling; we convert them
/// back to raw bytes at load time and run BPE on bytes directly.
enum ByteLevel {
    static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// Scalar value -> the byte it spells, or -1; the alphabet ends at U+0143, so a flat table.
    static let byteOfScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (b, s) in byteToScalar.enumerated() { table[Int(s.value)] = Int16(b) }
        return table
    }()

    /// The raw bytes a byte-level token spells, or nil if it uses a character outside the alphabet
    /// (such tokens are never produced from text; tokenizers decodes them as their UTF-8).
    static func decode(_ token: String) -> [UInt8]? {
        var token = token
        return token.withUTF8 { decode(utf8: $0) }
    }

    /// `decode` on the token's UTF-8 (valid UTF-8: a String's), read directly: loading a 128K vocabulary
    /// decodes every token, and a scalar view with a dictionary per scalar was a third of that load.
    static func decode(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        let table = byteOfScalar
        var i = 0
        while i < utf8.count {
            let lead = utf8[i]
            let scalar: Int
            if lead < 0x80 {
                scalar = Int(lead)
                i += 1
            } else if lead & 0xE0 == 0xC0, i + 1 < utf8.count {
                scalar = Int(lead & 0x1F) << 6 | Int(utf8[i + 1] & 0x3F)
                i += 2
            } else {
                return nil  // a 3- or 4-byte scalar: beyond the alphabet
            }
            guard scalar < table.count, table[scalar] >= 0 else { return nil }
            bytes.append(UInt8(truncatingIfNeeded: table[scalar]))
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(byteToScalar[Int(b)]) }
        return String(s)
    }
}
