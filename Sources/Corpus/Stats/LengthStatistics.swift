/// Document lengths in tokens for one source: a histogram in power-of-two buckets and the share of
/// tokens that sit in documents of at least 4K ... 512K tokens (the shape of ProLong's Tables 3 and 14,
/// and of Fu et al.'s argument that long data is scarce and must be upsampled).
public struct LengthStatistics: Sendable, Equatable {
    /// Lower bounds of the histogram buckets: 0, 1K, 2K, 4K, ... 1M (the last bucket is open-ended).
    public static let bucketBounds: [Int] = [0] + (10...20).map { 1 << $0 }
    /// Thresholds for "share of tokens in documents of at least N tokens".
    public static let thresholds: [Int] = [4, 8, 16, 32, 64, 128, 512].map { $0 * 1024 }

    public private(set) var documents = 0
    public private(set) var tokens = 0
    public private(set) var longestDocument = 0
    public private(set) var bucketDocuments = [Int](repeating: 0, count: bucketBounds.count)
    public private(set) var bucketTokens = [Int](repeating: 0, count: bucketBounds.count)
    /// Tokens in documents of at least `thresholds[i]` tokens.
    public private(set) var tokensAtLeast = [Int](repeating: 0, count: thresholds.count)

    public init() {}

    public mutating func add(documentLength length: Int) {
        documents += 1
        tokens += length
        longestDocument = max(longestDocument, length)
        let bucket = Self.bucketBounds.lastIndex { $0 <= length } ?? 0
        bucketDocuments[bucket] += 1
        bucketTokens[bucket] += length
        for (i, threshold) in Self.thresholds.enumerated() where length >= threshold { tokensAtLeast[i] += length }
    }

    /// Share (0...1) of this source's tokens in documents of at least `thresholds[i]` tokens.
    public func shareAtLeast(_ i: Int) -> Double { tokens == 0 ? 0 : Double(tokensAtLeast[i]) / Double(tokens) }

    public static func label(_ tokens: Int) -> String {
        tokens >= 1 << 20 ? "\(tokens >> 20)M" : tokens >= 1024 ? "\(tokens >> 10)K" : "\(tokens)"
    }
}
