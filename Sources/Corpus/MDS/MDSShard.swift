/// One opened shard: its columns, validated offset table and bytes.
struct MDSShard: Sendable {
    let info: MDSShardInfo
    let columns: [MDSColumn]
    let file: MDSMappedFile
    let sampleCount: Int

    init(info: MDSShardInfo, columns: [MDSColumn], file: MDSMappedFile) throws(MDSError) {
        self.info = info
        self.columns = columns
        self.file = file
        let b = file.bytes, path = file.path
        guard b.count >= 4 else { throw .corruptShard(path: path, offset: 0, reason: "file is \(b.count) bytes, too short for a header") }
        let n = Int(LE.load(b, 0, as: UInt32.self))
        guard n == info.samples else {
            throw .corruptShard(path: path, offset: 0, reason: "header has \(n) samples, index.json says \(info.samples)")
        }
        let tableEnd = 4 + 4 * (n + 1)
        guard b.count >= tableEnd else {
            throw .corruptShard(path: path, offset: b.count, reason: "truncated inside the offset table (needs \(tableEnd) bytes)")
        }
        // Offsets must rise monotonically from past the table to at most the file end.
        var prev = tableEnd
        for i in 0...n {
            let off = Int(LE.load(b, 4 + 4 * i, as: UInt32.self))
            guard off >= prev else { throw .corruptShard(path: path, offset: 4 + 4 * i, reason: "offset \(off) of sample \(i) goes backwards") }
            guard off <= b.count else {
                throw .corruptShard(path: path, offset: b.count, reason: "truncated: sample \(min(i, n - 1)) ends at byte \(off) but the file has \(b.count) bytes")
            }
            prev = off
        }
        sampleCount = n
    }

    func sample(_ i: Int) throws(MDSError) -> [String: MDSValue] {
        let b = file.bytes, path = file.path
        let begin = Int(LE.load(b, 4 + 4 * i, as: UInt32.self))
        let end = Int(LE.load(b, 8 + 4 * i, as: UInt32.self))
        // Sizes of the variable-length columns come first, then each column's bytes in order.
        var at = begin
        var sizes: [Int] = []
        for (c, col) in columns.enumerated() {
            if let fixed = info.columnSizes[c] { sizes.append(fixed); _ = col; continue }
            guard at + 4 <= end else { throw .corruptShard(path: path, offset: at, reason: "sample \(i): size of column '\(col.name)' runs past the sample end \(end)") }
            sizes.append(Int(LE.load(b, at, as: UInt32.self)))
            at += 4
        }
        var out: [String: MDSValue] = [:]
        for (c, col) in columns.enumerated() {
            guard at + sizes[c] <= end else {
                throw .corruptShard(path: path, offset: at, reason: "sample \(i): column '\(col.name)' (\(sizes[c]) bytes) runs past the sample end \(end)")
            }
            do {
                out[col.name] = try MDSCodec.decode(UnsafeRawBufferPointer(rebasing: b[at..<(at + sizes[c])]), as: col.encoding)
            } catch {
                throw .corruptShard(path: path, offset: at, reason: "sample \(i), column '\(col.name)': \(error.reason)")
            }
            at += sizes[c]
        }
        return out
    }
}
