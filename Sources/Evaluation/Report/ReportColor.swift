/// An opaque 8-bit colour, as plots are drawn (SVG `#rrggbb`, PNG RGB).
public struct ReportColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From channels in [0, 1], rounded half to even as matplotlib's `to_hex` rounds (Python's `round`).
    public init(unitRed: Double, green: Double, blue: Double) {
        func byte(_ value: Double) -> UInt8 { UInt8((min(max(value, 0), 1) * 255).rounded(.toNearestOrEven)) }
        self.init(red: byte(unitRed), green: byte(green), blue: byte(blue))
    }

    /// "#RRGGBB" or "#rrggbb".
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// Lower-case "#rrggbb", as matplotlib writes colours.
    public var hex: String {
        let digits = "0123456789abcdef".map { $0 }
        return "#" + [red, green, blue].map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 0xF)]) }.joined()
    }

    /// `self` drawn over `background` with opacity `alpha` in [0, 1].
    func blended(over background: ReportColor, alpha: Double) -> ReportColor {
        func mix(_ top: UInt8, _ bottom: UInt8) -> UInt8 {
            UInt8((Double(top) * alpha + Double(bottom) * (1 - alpha)).rounded())
        }
        return ReportColor(red: mix(red, background.red), green: mix(green, background.green),
                           blue: mix(blue, background.blue))
    }

    static let white = ReportColor(red: 255, green: 255, blue: 255)
    static let black = ReportColor(red: 0, green: 0, blue: 0)
    /// matplotlib's "grey" (#808080), Fu et al.'s cell border colour.
    static let grey = ReportColor(red: 128, green: 128, blue: 128)
    static let lightGrey = ReportColor(red: 221, green: 221, blue: 221)
    /// Text and axes, matplotlib's default near-black.
    static let ink = ReportColor(red: 38, green: 38, blue: 38)
}
