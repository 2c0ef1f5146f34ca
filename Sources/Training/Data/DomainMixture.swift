import Corpus

/// Sequences drawn from several MDS datasets in fixed proportions, as ProLong mixes its domains.
/// Each draw goes to the stream furthest behind its share (so any prefix of the draws follows the
/// proportions within one sequence per stream); inside a stream, samples come in a seeded random
/// order, reshuffled every epoch. Everything follows from the draw counts, so the cursor is just
/// those counts: a resumed run draws exactly what an uninterrupted one would.
public final class DomainMixture {
    public struct Stream: Sendable, Equatable {
        public var name: String
        public var path: String
        public var proportion: Double
        public init(name: String, path: String, proportion: Double) {
            self.name = name
            self.path = path
            self.proportion = proportion
        }
    }

    /// Draws so far per stream, in the order of `streams`.
    public struct Cursor: Codable, Sendable, Equatable {
        public var drawn: [Int]
        public init(drawn: [Int]) { self.drawn = drawn }
    }

    public let streams: [Stream]
    public private(set) var cursor: Cursor
    private let datasets: [MDSDataset]
    private let seed: UInt64
    private let shuffle: Bool
    private let documentMasking: Bool
    private let maxLength: Int
    /// The current epoch's sample order of each stream (built when an epoch starts).
    private var orders: [(epoch: Int, order: [Int32])?]

    public init(streams: [Stream], seed: UInt64, shuffle: Bool = true, documentMasking: Bool, maxLength: Int,
                cursor: Cursor? = nil) throws {
        guard !streams.isEmpty else { throw TrainingError.badDataset(path: "", reason: "no data streams") }
        self.streams = streams
        self.seed = seed
        self.shuffle = shuffle
        self.documentMasking = documentMasking
        self.maxLength = maxLength
        datasets = try streams.map { stream in
            let dataset: MDSDataset
            do { dataset = try MDSDataset(directory: stream.path) } catch {
                throw TrainingError.badDataset(path: stream.path, reason: "\(error)")
            }
            guard dataset.count > 0 else { throw TrainingError.badDataset(path: stream.path, reason: "no samples") }
            guard dataset.count <= Int(Int32.max) else { throw TrainingError.badDataset(path: stream.path, reason: "more than 2^31 samples") }
            return dataset
        }
        if let cursor, cursor.drawn.count != streams.count {
            throw TrainingError.badCheckpoint(path: "", reason: "data cursor has \(cursor.drawn.count) streams, the recipe \(streams.count)")
        }
        self.cursor = cursor ?? Cursor(drawn: Array(repeating: 0, count: streams.count))
        orders = Array(repeating: nil, count: streams.count)
    }

    /// Samples per stream.
    public var counts: [Int] { datasets.map(\.count) }

    /// Completed passes over each stream.
    public var epochs: [Int] { zip(cursor.drawn, datasets).map { $0 / $1.count } }

    /// The next sequence of the mixture.
    public func next() throws -> TrainingSequence {
        let s = nextStream()
        let dataset = datasets[s]
        let drawn = cursor.drawn[s]
        let epoch = drawn / dataset.count, position = drawn % dataset.count
        let index = shuffle ? Int(order(stream: s, epoch: epoch)[position]) : position
        let sample: [String: MDSValue]
        do { sample = try dataset.sample(at: index) } catch {
            throw TrainingError.badSample(location: "\(streams[s].path): sample \(index)", reason: "\(error)")
        }
        let sequence = try TrainingSequence(sample: sample, location: "\(streams[s].path): sample \(index)",
                                            documentMasking: documentMasking, maxLength: maxLength,
                                            defaultDomain: streams[s].name)
        cursor.drawn[s] += 1
        return sequence
    }

    /// The stream furthest behind its proportion of all draws (ties: the first).
    private func nextStream() -> Int {
        let total = Double(cursor.drawn.reduce(0, +) + 1)
        var best = 0, bestDeficit = -Double.infinity
        for (s, stream) in streams.enumerated() where stream.proportion > 0 {
            let deficit = stream.proportion * total - Double(cursor.drawn[s])
            if deficit > bestDeficit { best = s; bestDeficit = deficit }
        }
        return best
    }

    private func order(stream s: Int, epoch: Int) -> [Int32] {
        if let cached = orders[s], cached.epoch == epoch { return cached.order }
        var order = (0..<Int32(datasets[s].count)).map { $0 }
        var random = SplitMix64(seed: seed ^ stableHash(streams[s].name) ^ (UInt64(epoch) &* 0xD1B5_4A32_D192_ED03))
        seededShuffle(&order, using: &random)
        orders[s] = (epoch, order)
        return order
    }
}
