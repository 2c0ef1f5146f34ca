/// Splits a byte stream into server-sent events as the bytes arrive (the HTML living standard's rules, reduced to
/// what completion streams use): lines end in \n, \r\n or \r; `data:` lines of one event join with \n; a blank
/// line ends the event; lines starting with ':' are comments. Bytes are kept until a line is complete, so a UTF-8
/// character split between two network reads is decoded whole.
public struct ServerSentEventParser: Sendable {
    public struct Event: Sendable, Equatable {
        /// The `event:` field, "message" when none was given. llama.cpp's server names failures "error".
        public var name: String
        public var data: String
    }

    private var pending: [UInt8] = []
    private var dataLines: [String] = []
    private var eventName: String?
    /// A \r was the last byte seen: a \n right after it belongs to the same line end.
    private var afterCarriageReturn = false

    public init() {}

    /// Feeds bytes; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                lineEnded(&events)
            case UInt8(ascii: "\r"):
                afterCarriageReturn = true
                lineEnded(&events)
            default:
                pending.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: an event whose closing blank line never came is still delivered (servers that close the
    /// connection right after the last `data:` line).
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        if !pending.isEmpty { lineEnded(&events) }
        dispatch(&events)
        return events
    }

    private mutating func lineEnded(_ events: inout [Event]) {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        if line.isEmpty {
            dispatch(&events)
            return
        }
        if line.hasPrefix(":") { return }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": eventName = String(value)
        // llama.cpp's server has written failures as an `error:` line of their own.
        case "error":
            eventName = "error"
            dataLines.append(String(value))
        default: break  // id, retry and unknown fields do not matter to completions
        }
    }

    private mutating func dispatch(_ events: inout [Event]) {
        defer { eventName = nil }
        guard !dataLines.isEmpty else { return }
        events.append(Event(name: eventName ?? "message", data: dataLines.joined(separator: "\n")))
        dataLines.removeAll()
    }
}
