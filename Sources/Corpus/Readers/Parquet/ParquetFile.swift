import Glibc

/// One open Parquet file: its footer, the selected columns, and positioned reads of exactly the
/// column chunks a row group needs.
final class ParquetFile {
    let path: String
    let metadata: ParquetFileMetaData
    let text: ParquetColumn
    /// Metadata columns the file has; requested names it lacks are left out of documents.
    let metadataColumns: [ParquetColumn]
    private let handle: ParquetFileHandle
    /// End of the column data: the footer starts here.
    private let dataEnd: Int

    init(path: String, textField: String, metadataFields: [String]) throws {
        self.path = path
        handle = try ParquetFileHandle(path: path)
        let size = handle.size

        // Layout: "PAR1" column data... footer (FileMetaData), 4-byte footer length, "PAR1".
        let magic: [UInt8] = Array("PAR1".utf8)
        guard size >= 4, try handle.read(offset: 0, count: 4) == magic else {
            throw ReaderError.corrupt(path: path, format: "parquet", offset: 0, message: "not a Parquet file (no PAR1 magic at the start)")
        }
        guard size >= 12 else { throw ReaderError.truncated(path: path, format: "parquet", offset: size) }
        let tail = try handle.read(offset: size - 8, count: 8)
        guard Array(tail[4...]) != Array("PARE".utf8) else {
            throw ReaderError.corrupt(path: path, format: "parquet", offset: size - 4, message: "encrypted footer (PARE) is not supported")
        }
        guard Array(tail[4...]) == magic else {
            // A file cut short loses its trailing magic first.
            throw ReaderError.truncated(path: path, format: "parquet", offset: size)
        }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength <= size - 12 else {
            throw ReaderError.corrupt(path: path, format: "parquet", offset: size - 8,
                                      message: "footer length \(footerLength) exceeds the file")
        }
        dataEnd = size - 8 - footerLength
        let footer = try handle.read(offset: dataEnd, count: footerLength)
        do {
            let metadata = try footer.withUnsafeBytes { try ParquetFileMetaData.read($0) }
            guard let text = try ParquetSchema.column(named: textField, in: metadata.schema) else {
                throw ParquetError(offset: 0, message: "no column \"\(textField)\" for the document text")
            }
            guard text.type == .byteArray else {
                throw ParquetError(offset: 0, message: "text column \"\(textField)\" is \(text.type), not a string column")
            }
            self.metadata = metadata
            self.text = text
            metadataColumns = try metadataFields.compactMap { try ParquetSchema.column(named: $0, in: metadata.schema) }
        } catch let error as ParquetError {
            throw ReaderError.corrupt(path: path, format: "parquet", offset: size - 8 - footerLength + error.offset, message: error.message)
        }
    }

    var rowGroupCount: Int { metadata.rowGroups.count }

    /// Reads and decodes the text and metadata columns of one row group.
    func readRowGroup(_ index: Int) throws -> (text: [ParquetCell], metadata: [[ParquetCell]]) {
        let group = metadata.rowGroups[index]
        guard group.rowCount >= 0, group.rowCount <= Int32.max else {
            throw corrupt(at: dataEnd, "row group \(index) has \(group.rowCount) rows")
        }
        let rows = Int(group.rowCount)
        let text = try readColumn(text, in: group, rows: rows)
        let metadata = try metadataColumns.map { try readColumn($0, in: group, rows: rows) }
        return (text, metadata)
    }

    private func readColumn(_ column: ParquetColumn, in group: ParquetRowGroup, rows: Int) throws -> [ParquetCell] {
        guard column.index < group.columns.count else { throw corrupt(at: dataEnd, "row group lacks column \"\(column.name)\"") }
        let chunk = group.columns[column.index]
        guard chunk.externalPath == nil else { throw corrupt(at: dataEnd, "column \"\(column.name)\" lives in another file") }
        guard chunk.type == column.type else { throw corrupt(at: dataEnd, "column \"\(column.name)\" chunk type differs from the schema") }
        guard chunk.valueCount == rows else {
            throw corrupt(at: dataEnd, "column \"\(column.name)\" has \(chunk.valueCount) values for \(rows) rows")
        }
        let start = Int(chunk.startOffset), length = Int(chunk.compressedSize)
        guard start >= 4, length >= 0, start <= dataEnd, length <= dataEnd - start else {
            throw corrupt(at: dataEnd, "column \"\(column.name)\" chunk at \(start) (+\(length)) lies outside the data")
        }
        let bytes = try handle.read(offset: start, count: length)
        do {
            return try bytes.withUnsafeBytes { try ParquetColumnDecoder.decode($0, column: column, codec: chunk.codec, rows: rows) }
        } catch let error as ParquetError {
            throw corrupt(at: start + error.offset, error.message)
        }
    }

    private func corrupt(at offset: Int, _ message: String) -> ReaderError {
        .corrupt(path: path, format: "parquet", offset: offset, message: message)
    }
}

/// A read-only descriptor for positioned reads; closing in deinit covers every early throw.
private final class ParquetFileHandle {
    let path: String
    let size: Int
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReaderError.cannotOpen(path: path, reason: errnoText()) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            let reason = info.st_mode & S_IFMT == S_IFDIR ? "is a directory" : "not a regular file"
            close(fd)
            throw ReaderError.cannotOpen(path: path, reason: reason)
        }
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            while filled < count {
                let n = pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
                if n > 0 { filled += n; continue }
                if n < 0 && errno == EINTR { continue }
                throw ReaderError.readFailed(path: path, reason: n == 0 ? "file shrank while reading" : errnoText())
            }
        }
    }
}
