import Corpus
import Foundation
import XCTest

enum TrainingTestSupport {
    static var llamaFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama").path
    }

    static var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/training").path
    }

    static func tempDirectory(_ name: String = #function) throws -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "longctx-training-\(clean)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An MDS dataset in ProLong's columns: sample k holds `lengths[k]` tokens (value 1000*k + t)
    /// split into documents of `documentLength` tokens.
    static func writeDataset(at path: String, domain: String, lengths: [Int], documentLength: Int,
                             mask: Bool = false, vocabulary: Int? = nil) throws {
        var columns = PackedSequence.mdsColumns
        if mask { columns.append(("mask", "ndarray:uint8")) }
        let writer = try MDSWriter(directory: path, columns: columns, sizeLimit: 1 << 14)
        for (k, length) in lengths.enumerated() {
            // With a vocabulary: a learnable pattern (each token follows from the previous one).
            let tokens = (0..<length).map { t in vocabulary.map { UInt32((k * 7 + t * 3) % $0) } ?? UInt32(1000 * k + t) }
            var spans: [UInt32] = []
            var start = 0
            while start < length {
                spans += [UInt32(start), UInt32(min(length, start + documentLength))]
                start += documentLength
            }
            var sample = PackedSequence(tokens: tokens, spans: spans).sample(domain: domain)
            if mask { sample["mask"] = .array(MDSArray(.uint8((0..<length).map { UInt8($0 % 2) }), shape: [length])) }
            try writer.write(sample: sample)
        }
        try writer.finish()
    }
}
