import Foundation
import XCTest
@testable import Model

final class ConfigJSONTests: XCTestCase {
    func testNumbersKeepTheirLiterals() throws {
        let text = #"{"a": 8.0, "b": 100000, "c": 1e-05, "d": 0.041666666666666664, "e": -2.5E+3}"#
        let json = try ModelTestData.json(text)
        XCTAssertEqual(json["a"], .number("8.0"))
        XCTAssertEqual(json["b"], .number("100000"))
        XCTAssertTrue(json["b"]!.isIntegerLiteral)
        XCTAssertFalse(json["a"]!.isIntegerLiteral)
        XCTAssertEqual(json["c"]?.doubleValue, 1e-05)
        XCTAssertEqual(json["e"]?.doubleValue, -2500)
        XCTAssertEqual(json["a"]?.intValue, 8)
        XCTAssertNil(json["d"]?.intValue)
        XCTAssertEqual(ConfigJSONWriter.text(json), """
        {
          "a": 8.0,
          "b": 100000,
          "c": 1e-05,
          "d": 0.041666666666666664,
          "e": -2.5E+3
        }

        """)
    }

    /// Values checked against Python's `json.dumps(float)`.
    func testFloatsAreWrittenAsPythonWritesThem() {
        let cases: [(Double, String)] = [
            (8, "8.0"), (1e-05, "1e-05"), (5e-06, "5e-06"), (500_000, "500000.0"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
            (9_999_999_999_999_998, "9999999999999998.0"), (0.0001, "0.0001"), (8e6, "8000000.0"), (1.28e8, "128000000.0"),
            (0.1, "0.1"), (2.5e-7, "2.5e-07"), (1e22, "1e+22"), (-1.5, "-1.5"),
        ]
        for (value, python) in cases { XCTAssertEqual(ConfigJSON.float(value), .number(python), "\(value)") }
    }

    func testStringsObjectsAndArraysRoundTrip() throws {
        let text = "{\n  \"name\": \"caf\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00\",\n  \"empty\": {},\n  \"list\": [],\n  \"nested\": {\n    \"z\": [\n      1,\n      null,\n      true\n    ],\n    \"a\": false\n  }\n}\n"
        let json = try ModelTestData.json(text)
        XCTAssertEqual(json["name"]?.stringValue, "café \"q\" \n 😀")
        XCTAssertEqual(json["nested"]?.keys, ["z", "a"])
        XCTAssertEqual(ConfigJSONWriter.text(json), text)
    }

    func testDuplicateKeysKeepTheLastValueAsPythonDoes() throws {
        let json = try ModelTestData.json(#"{"a": 1, "b": 2, "a": 3}"#)
        XCTAssertEqual(json.keys, ["a", "b"])
        XCTAssertEqual(json["a"], .number("3"))
    }

    func testSetKeepsSortedFilesSorted() throws {
        var json = try ModelTestData.json(#"{"a": 1, "m": 2, "z": 3}"#)
        json.set("q", to: .null)
        json.set("m", to: .bool(true))
        json.set("zz", to: .null)
        XCTAssertEqual(json.keys, ["a", "m", "q", "z", "zz"])
        XCTAssertEqual(json["m"], .bool(true))
    }

    func testInvalidJSONIsATypedErrorNamingTheFile() {
        for text in ["{", #"{"a": 01}"#, #"{"a": NaN}"#, #"{"a": 1} x"#, #"{"a": "\x"}"#, "[1,]"] {
            do {
                _ = try ConfigDocument(bytes: Array(text.utf8), file: "bad.json")
                XCTFail("accepted \(text)")
            } catch let error as ConfigError {
                XCTAssertEqual(error.file, "bad.json")
                guard case .invalidJSON = error.problem else { return XCTFail("\(error)") }
            } catch {
                XCTFail("\(error)")
            }
        }
    }

    func testCodableThroughJSONDecoder() throws {
        let data = Data(#"{"x": [1, 2.5, "s", null, {"k": false}]}"#.utf8)
        let json = try JSONDecoder().decode(ConfigJSON.self, from: data)
        XCTAssertEqual(json, try ModelTestData.json(#"{"x": [1, 2.5, "s", null, {"k": false}]}"#))
        let again = try JSONDecoder().decode(ConfigJSON.self, from: try JSONEncoder().encode(json))
        XCTAssertEqual(again, json)
    }
}
