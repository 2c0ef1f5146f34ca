import XCTest
@testable import Tokenization

final class JSONParserTests: XCTestCase {
    func testValues() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude80\n", "c": {}}"#)
        XCTAssertEqual(v["a"], .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        XCTAssertEqual(v["b"]?.string, "x\"é🚀\n")
        XCTAssertEqual(v["c"], .object([]))
        XCTAssertEqual(v.object?.map(\.key), ["a", "b", "c"], "keys keep file order")
    }

    func testErrorsNameTheByteOffset() {
        let cases: [(String, Int)] = [
            (#"{"a": }"#, 6), (#"[1, 2"#, 5), (#"{"a" 1}"#, 5), (#""\ud800""#, 1), (#"[01]"#, 1),
            ("[1] x", 4), (#""abc"#, 0), ("", 0),
        ]
        for (text, offset) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text, source: "t.json"), text) { error in
                let e = error as! JSONParseError
                XCTAssertEqual(e.offset, offset, "\(text): \(e)")
                XCTAssert(e.description.hasPrefix("t.json: invalid JSON at byte \(offset)"), e.description)
            }
        }
    }

    func testInvalidUTF8InStringIsAnError() {
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22]))
    }
}
