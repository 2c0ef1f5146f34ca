import XCTest

final class TensorPlaceholderTests: XCTestCase {}
