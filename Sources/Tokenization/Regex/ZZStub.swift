// TEMPORARY stub until the real engine lands.
public struct PatternError: Error, CustomStringConvertible, Sendable {
    public let pattern: String; public let offset: Int; public let message: String
    public var description: String { message }
}
public struct PretokenPattern: @unchecked Sendable {
    public let source: String
    let regex: Regex<AnyRegexOutput>
    public init(_ pattern: String) throws {
        source = pattern
        regex = try Regex(pattern.replacingAll("++", with: "+").replacingAll("?+", with: "?").replacingAll("*+", with: "*").replacingAll("3}+", with: "3}"))
    }
    public func forEachMatch(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let s = String(decoding: utf8, as: UTF8.self)
        for m in s.matches(of: regex.matchingSemantics(.unicodeScalar)) {
            let a = s.utf8.distance(from: s.startIndex, to: m.range.lowerBound)
            let b = s.utf8.distance(from: s.startIndex, to: m.range.upperBound)
            body(a..<b)
        }
    }
    public func matches(in text: String) -> [Range<Int>] {
        var t = text; var r: [Range<Int>] = []
        t.withUTF8 { forEachMatch(in: $0) { r.append($0) } }
        return r
    }
}
