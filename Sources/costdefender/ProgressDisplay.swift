import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Build progress on stderr. On a terminal: the stage lines, and while FOCUS files stream in a
/// live line with bytes and rows read, the rate and the time left. Otherwise: one summary line
/// for the ingest. Nothing with `--quiet`. With `timings`, every stage line, prefixed by the
/// seconds since the start, terminal or not.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let quiet: Bool
    private let totalBytes: Int
    private let timings: Bool
    private let start = Date()
    private var rows = 0
    private var bytes = 0
    private var lastDraw = Date.distantPast
    private var drewLive = false
    /// FOCUS files taken from the cube cache (their rows are not read again).
    private var cachedFiles = 0

    /// - Parameter totalBytes: the size of every FOCUS input, for the time left.
    init(quiet: Bool, totalBytes: Int, timings: Bool = false) {
        self.quiet = quiet
        self.totalBytes = totalBytes
        self.timings = timings
    }

    func stage(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        if timings {
            write((drewLive ? "\r\u{1B}[K" : "") + String(format: "%8.3f s  ", Date().timeIntervalSince(start)) + line + "\n")
            drewLive = false
            return
        }
        if line.hasPrefix("[cached") { cachedFiles += 1 }
        guard !quiet else { return }
        if line.hasPrefix("[convert]") { finishIngest() }
        if line == "[done]" { return }
        if isTerminal { write((drewLive ? "\r\u{1B}[K" : "") + line + "\n"); drewLive = false }
    }

    func ingest(rows newRows: Int, bytes newBytes: Int) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        rows += newRows
        bytes += newBytes
        guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let seconds = max(0.001, Date().timeIntervalSince(start))
        let rate = Double(bytes) / seconds
        let left = totalBytes > bytes && rate > 0 ? Double(totalBytes - bytes) / rate : 0
        write("\r\u{1B}[K  \(mb(bytes)) of \(mb(totalBytes)), \(rows) rows, \(mb(Int(rate)))/s, \(Int(left.rounded())) s left")
        drewLive = true
    }

    private var ingestDone = false
    private func finishIngest() {
        guard !ingestDone else { return }
        ingestDone = true
        let seconds = max(0.001, Date().timeIntervalSince(start))
        let cached = cachedFiles == 0 ? "" : "; \(cachedFiles) FOCUS file\(cachedFiles == 1 ? "" : "s") unchanged, taken from the cube cache"
        let summary = "read \(rows) rows (\(mb(bytes))) in \(String(format: "%.2f", seconds)) s: \(Int(Double(rows) / seconds)) rows/s" + cached
        write((drewLive ? "\r\u{1B}[K" : "") + summary + "\n")
        drewLive = false
    }

    private func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1e6) }
    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
