import Foundation

/// How numbers and names appear in tables, plots and file names, so every output agrees.
enum ReportFormatting {
    /// Scores with three decimals, like Fu et al.'s "Overall score %.3f".
    static func score(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.3f", value)
    }

    /// A depth percent as a label: "50" for whole numbers, else up to two decimals ("33.33").
    static func depth(_ depth: Double) -> String {
        if depth == depth.rounded(), abs(depth) < 1e15 { return String(Int(depth)) }
        var text = String(format: "%.2f", depth)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A table cell: pipes and newlines would break the Markdown table.
    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A Markdown table; columns are right-aligned (numbers) except the first, unless `rightAligned` says.
    static func markdownTable(header: [String], rows: [[String]], rightAligned: Set<Int>? = nil) -> String {
        let right = rightAligned ?? Set(header.indices.dropFirst())
        var lines = ["| " + header.map(markdownCell).joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { right.contains($0) ? " ---: |" : " --- |" }.joined())
        for row in rows { lines.append("| " + row.map(markdownCell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A file-name-safe form of a label: letters, digits, '-' and '_' kept, runs of anything else become '-'.
    static func slug(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("-") {
                result += "-"
            }
        }
        let trimmed = result.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "run" : String(trimmed.prefix(60))
    }

    /// Writes text atomically (a reader never sees half a report).
    static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EvalReportError("\(path): cannot write: \(error.localizedDescription)")
        }
    }
}
