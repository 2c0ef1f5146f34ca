import Corpus
import Training
import XCTest

final class DomainMixtureTests: XCTestCase {
    private func streams(_ root: String) throws -> [DomainMixture.Stream] {
        try TrainingTestSupport.writeDataset(at: root + "/code", domain: "code", lengths: Array(repeating: 16, count: 7), documentLength: 8)
        try TrainingTestSupport.writeDataset(at: root + "/books", domain: "books", lengths: Array(repeating: 16, count: 5), documentLength: 16)
        try TrainingTestSupport.writeDataset(at: root + "/web", domain: "web", lengths: Array(repeating: 12, count: 11), documentLength: 3)
        return [.init(name: "code", path: root + "/code", proportion: 0.3), .init(name: "books", path: root + "/books", proportion: 0.3),
                .init(name: "web", path: root + "/web", proportion: 0.4)]
    }

    func testEveryPrefixFollowsTheProportions() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let mixture = try DomainMixture(streams: try streams(root), seed: 3, documentMasking: true, maxLength: 16)
        var counts: [String: Int] = [:]
        for n in 1...200 {
            counts[try mixture.next().domain, default: 0] += 1
            for (domain, share) in [("code", 0.3), ("books", 0.3), ("web", 0.4)] {
                XCTAssertLessThanOrEqual(abs(Double(counts[domain] ?? 0) - share * Double(n)), 1.0, "after \(n) draws, \(domain)")
            }
        }
        XCTAssertEqual(mixture.cursor.drawn, [60, 60, 80])
        XCTAssertEqual(mixture.epochs, [60 / 7, 60 / 5, 80 / 11])
    }

    func testEachEpochVisitsEverySampleOnceInANewOrder() throws {
        let root = try TrainingTestSupport.tempDirectory()
        try TrainingTestSupport.writeDataset(at: root + "/a", domain: "a", lengths: Array(repeating: 4, count: 50), documentLength: 4)
        let mixture = try DomainMixture(streams: [.init(name: "a", path: root + "/a", proportion: 1)], seed: 1,
                                        documentMasking: true, maxLength: 4)
        let first = try (0..<50).map { _ in try mixture.next().tokens[0] / 1000 }
        let second = try (0..<50).map { _ in try mixture.next().tokens[0] / 1000 }
        XCTAssertEqual(Set(first).count, 50)
        XCTAssertEqual(Set(second).count, 50)
        XCTAssertNotEqual(first, second)
        XCTAssertNotEqual(first, (0..<50).map { UInt32($0) })
    }

    func testResumingFromACursorDrawsTheSameSequences() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let s = try streams(root)
        let whole = try DomainMixture(streams: s, seed: 9, documentMasking: true, maxLength: 16)
        let expected = try (0..<40).map { _ in try whole.next() }
        let first = try DomainMixture(streams: s, seed: 9, documentMasking: true, maxLength: 16)
        let head = try (0..<17).map { _ in try first.next() }
        let resumed = try DomainMixture(streams: s, seed: 9, documentMasking: true, maxLength: 16, cursor: first.cursor)
        let tail = try (0..<23).map { _ in try resumed.next() }
        XCTAssertEqual(head + tail, expected)
        let otherSeed = try DomainMixture(streams: s, seed: 10, documentMasking: true, maxLength: 16)
        XCTAssertNotEqual(try (0..<40).map { _ in try otherSeed.next() }, expected)
    }

    func testMissingDatasetAndBadCursorAreRefused() throws {
        let root = try TrainingTestSupport.tempDirectory()
        XCTAssertThrowsError(try DomainMixture(streams: [.init(name: "x", path: root + "/none", proportion: 1)], seed: 0,
                                               documentMasking: true, maxLength: 4)) { error in
            XCTAssertTrue("\(error)".hasPrefix(root + "/none: "), "\(error)")
        }
        XCTAssertThrowsError(try DomainMixture(streams: try streams(root), seed: 0, documentMasking: true, maxLength: 16,
                                               cursor: .init(drawn: [1, 2])))
    }
}
