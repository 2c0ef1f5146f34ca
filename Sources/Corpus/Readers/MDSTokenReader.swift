/// Already-tokenized MDS datasets in ProLong's layout (`input_ids`, optional `indices`, `domain`,
/// `length`), e.g. its released data, as input to a new mixture. A sample with `indices` yields one
/// document per (start, end) span so the documents can be re-packed; without, the whole sample is
/// one document. Token ids travel in `Document.tokens`; `text` stays empty.
public final class MDSTokenReader: DocumentSource {
    public let directory: String
    public private(set) var skipped: [SkipRecord] = []
    private var dataset: MDSDataset?
    private var sampleIndex = 0
    private var queue: [Document] = []
    private var queueIndex = 0

    public init(directory: String) {
        self.directory = directory
    }

    public func next() throws -> Document? {
        while queueIndex >= queue.count {
            let dataset = try openDataset()
            guard sampleIndex < dataset.count else { return nil }
            defer { sampleIndex += 1 }
            queue = try documents(of: dataset.sample(at: sampleIndex), number: sampleIndex)
            queueIndex = 0
        }
        defer { queueIndex += 1 }
        return queue[queueIndex]
    }

    private func openDataset() throws -> MDSDataset {
        if let dataset { return dataset }
        let opened = try MDSDataset(directory: directory)
        guard opened.columns.contains(where: { $0.name == "input_ids" }) else {
            throw MDSError.badIndex(path: directory + "/index.json", reason: "no input_ids column: not a tokenized dataset")
        }
        dataset = opened
        return opened
    }

    private func documents(of sample: [String: MDSValue], number: Int) throws -> [Document] {
        let location = "\(directory):sample \(number)"
        guard let array = sample["input_ids"]?.arrayValue, let ids = array.int64Values,
              ids.allSatisfy({ $0 >= 0 && $0 <= Int64(UInt32.max) }) else {
            skipped.append(SkipRecord(file: directory, line: nil, reason: "sample \(number): input_ids is not an array of token ids"))
            return []
        }
        let tokens = ids.map { UInt32($0) }
        var metadata: [String: String] = [:]
        if let domain = sample["domain"]?.stringValue { metadata["domain"] = domain }
        guard let indices = sample["indices"] else {
            if tokens.isEmpty {
                skipped.append(SkipRecord(file: directory, line: nil, reason: "sample \(number): empty"))
                return []
            }
            return [Document(text: "", source: directory, location: location, metadata: metadata, tokens: tokens)]
        }
        guard let bounds = indices.arrayValue?.int64Values, bounds.count % 2 == 0 else {
            skipped.append(SkipRecord(file: directory, line: nil, reason: "sample \(number): indices is not a list of (start, end) pairs"))
            return []
        }
        var out: [Document] = []
        for k in 0..<(bounds.count / 2) {
            let start = Int(bounds[2 * k]), end = Int(bounds[2 * k + 1])
            guard 0 <= start, start <= end, end <= tokens.count else {
                skipped.append(SkipRecord(file: directory, line: nil, reason: "sample \(number) span \(k): (\(start), \(end)) outside 0..<\(tokens.count)"))
                continue
            }
            if start == end {
                skipped.append(SkipRecord(file: directory, line: nil, reason: "sample \(number) span \(k): empty"))
                continue
            }
            out.append(Document(text: "", source: directory, location: "\(location) span \(k)", metadata: metadata,
                                tokens: Array(tokens[start..<end])))
        }
        return out
    }
}
