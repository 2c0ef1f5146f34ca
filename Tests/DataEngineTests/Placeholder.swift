import XCTest
@testable import DataEngine
final class PlaceholderTests: XCTestCase { func testNothing() {} }
