/// Reads Parquet files (FineWeb, DCLM, The Stack...) one row at a time: each row's text column
/// becomes a document, chosen columns become metadata. Only the footer and, one row group at a
/// time, the needed column chunks are read, so memory is bounded by a row group's selected
/// columns. Rows without usable text become `SkipRecord`s; unreadable files throw `ReaderError`.
public final class ParquetReader: DocumentSource {
    public struct Options: Sendable {
        /// The string column holding the document text.
        public var textField: String
        /// Flat columns copied into `Document.metadata`: strings as is, integers in decimal,
        /// booleans as true/false, floating point as Swift prints it; nulls and absent columns omitted.
        public var metadataFields: [String]

        public init(textField: String = "text", metadataFields: [String] = []) {
            self.textField = textField
            self.metadataFields = metadataFields
        }
    }

    public let paths: [String]
    public let options: Options
    public private(set) var skipped: [SkipRecord] = []
    /// Called for each skip as it happens (for logging), in addition to `skipped`.
    public var onSkip: ((SkipRecord) -> Void)?
    /// Row groups decoded so far, across files (lets tests check that decoding is lazy).
    private(set) var rowGroupsDecoded = 0

    private var fileIndex = 0
    private var file: ParquetFile?
    private var rowGroupIndex = 0
    /// 1-based number of the current row group's first row within its file.
    private var firstRow = 1
    private var text: [ParquetCell] = []
    private var metadata: [[ParquetCell]] = []
    private var row = 0

    public init(paths: [String], options: Options = Options()) {
        self.paths = paths
        self.options = options
    }

    public convenience init(path: String, options: Options = Options()) {
        self.init(paths: [path], options: options)
    }

    public func next() throws -> Document? {
        while true {
            while row < text.count {
                defer { row += 1 }
                if let document = makeDocument(row) { return document }
            }
            guard let file else {
                guard fileIndex < paths.count else { return nil }
                file = try ParquetFile(path: paths[fileIndex], textField: options.textField, metadataFields: options.metadataFields)
                fileIndex += 1
                rowGroupIndex = 0
                firstRow = 1
                (text, metadata, row) = ([], [], 0)
                continue
            }
            guard rowGroupIndex < file.rowGroupCount else {
                self.file = nil
                continue
            }
            firstRow += text.count
            (text, metadata) = try file.readRowGroup(rowGroupIndex)
            rowGroupIndex += 1
            rowGroupsDecoded += 1
            row = 0
        }
    }

    /// The row as a document, or nil after recording why it was skipped.
    private func makeDocument(_ index: Int) -> Document? {
        guard let file else { return nil }
        let number = firstRow + index
        func skip(_ reason: String) -> Document? {
            let record = SkipRecord(file: file.path, line: number, reason: reason)
            skipped.append(record)
            onSkip?(record)
            return nil
        }
        let body: String
        switch text[index] {
        case .null: return skip("text is null")
        case .invalidUTF8: return skip("invalid UTF-8")
        case .string(let value): body = value
        }
        if body.utf8.allSatisfy(isBlankTextByte) { return skip("empty") }
        var fields: [String: String] = [:]
        for (column, cells) in zip(file.metadataColumns, metadata) {
            switch cells[index] {
            case .null: break
            case .string(let value), .invalidUTF8(let value): fields[column.name] = value
            }
        }
        return Document(text: body, source: file.path, location: "\(file.path):\(number)", metadata: fields)
    }
}

