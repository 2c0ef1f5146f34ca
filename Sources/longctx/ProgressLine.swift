#if canImport(Glibc)
import Glibc
#endif

/// Progress for long work on stderr: a line redrawn in place on a terminal, a plain line every
/// few seconds otherwise (logs, CI).
final class ProgressLine {
    private let isTerminal = isatty(2) != 0
    private var last = 0.0
    private var drawn = false

    /// `text` is only built when a line is due: callers may call this for every document.
    func update(_ text: @autoclosure () -> String) {
        let t = now()
        guard t - last >= (isTerminal ? 0.2 : 5) else { return }
        last = t
        let text = text()
        if isTerminal {
            writeStandardError("\r\u{1B}[K" + text)
            drawn = true
        } else {
            writeStandardError(text + "\n")
        }
    }

    func finish() {
        if drawn { writeStandardError("\n") }
    }
}
