import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints each period's `report.html` to `report.pdf` beside it with headless Chromium (Debian's
/// `chromium` package, or any Chromium or Chrome). The page layout is the report's print
/// stylesheet: landscape pages, a page break before each section, tables and charts kept whole,
/// and the period and "Page n of m" in the top margin (CSS `@page` margin boxes, so the browser's
/// own header and footer are turned off).
///
/// The build prints from the staging folder before the atomic swap, so a failed print leaves the
/// previous output exactly as it was. The PDF's creation and modification dates are set to the
/// build date, so two builds of the same inputs still give byte-identical files.
public struct PDFPrinter: Sendable {
    /// The browser executable.
    public var chromium: String
    /// The longest one page may take to print before the browser is stopped.
    public var timeout: TimeInterval = 180

    public static let environmentVariable = "COSTDEFENDER_CHROMIUM"
    /// Executable names looked for on PATH, in order.
    public static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"]

    public init(chromium: String) { self.chromium = chromium }

    /// Finds the browser: `COSTDEFENDER_CHROMIUM` when set (a path, or a name on PATH), else the
    /// first of `candidates` on PATH. Throws a message saying how to install it when there is none.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PDFPrinter {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let configured = environment[environmentVariable], !configured.isEmpty {
            guard let found = executable(configured, path: path) else {
                throw CostDefenderError.tool(name: "--pdf", message: "\(environmentVariable) is `\(configured)`, which is not an executable file; point it at Chromium (for example /usr/bin/chromium) or unset it")
            }
            return PDFPrinter(chromium: found)
        }
        for name in candidates {
            if let found = executable(name, path: path) { return PDFPrinter(chromium: found) }
        }
        throw CostDefenderError.tool(name: "--pdf", message: """
            writing report.pdf needs headless Chromium, and none was found (looked for \(candidates.joined(separator: ", ")) on PATH). \
            Install it (Debian or Ubuntu: `sudo apt-get install chromium`) or set \(environmentVariable) to the browser's path; \
            or build without --pdf
            """)
    }

    /// `name` itself when it contains a slash, else the first `dir/name` on `path`; nil unless it is
    /// an executable file.
    static func executable(_ name: String, path: String) -> String? {
        let fm = FileManager.default
        func usable(_ p: String) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &isDir) && !isDir.boolValue && fm.isExecutableFile(atPath: p)
        }
        if name.contains("/") { return usable(name) ? name : nil }
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let p = "\(dir)/\(name)"
            if usable(p) { return p }
        }
        return nil
    }

    /// Prints `<site>/<period>/report.html` to `report.pdf` for each period folder, in order.
    public func printReports(site: String, periods: [String], date: Day, progress: (String) -> Void = { _ in }) throws {
        for (i, period) in periods.enumerated() {
            let folder = (site as NSString).appendingPathComponent(period)
            progress("[pdf \(i + 1)/\(periods.count)] \(period)/report.pdf")
            try print(html: folder + "/report.html", to: folder + "/report.pdf", date: date)
        }
    }

    /// Prints one HTML file to a PDF file. The browser prints a copy beside it whose links to other
    /// files of the site are plain text (see `printable(_:)`), then the copy is removed.
    public func print(html: String, to pdf: String, date: Day) throws {
        let fm = FileManager.default
        guard let source = fm.contents(atPath: html) else { throw CostDefenderError.io(path: html, message: "no such page to print") }
        let copy = (html as NSString).deletingLastPathComponent + "/.print-\(ProcessInfo.processInfo.processIdentifier)-" + (html as NSString).lastPathComponent
        do { try Data(Self.printable(String(decoding: source, as: UTF8.self)).utf8).write(to: URL(fileURLWithPath: copy)) } catch {
            throw CostDefenderError.io(path: copy, message: "cannot write the page to print: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(atPath: copy) }
        // A profile of its own, so a browser the user has open (or a parallel build) does not interfere.
        let profile = NSTemporaryDirectory() + "costdefender-chromium-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        defer { try? fm.removeItem(atPath: profile) }
        try? fm.removeItem(atPath: pdf)
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--disable-sync", "--mute-audio", "--user-data-dir=\(profile)",
                         "--no-pdf-header-footer", "--print-to-pdf=\(pdf)"]
        // Chromium refuses to start as root with its sandbox; the page printed is our own static file.
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append(URL(fileURLWithPath: copy).absoluteString)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = arguments
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CostDefenderError.tool(name: chromium, message: "cannot start the browser to print \(html): \(error.localizedDescription)")
        }
        let timedOut = TimeoutFlag()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { timedOut.set(); process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n")
        if timedOut.value {
            throw CostDefenderError.tool(name: chromium, message: "printing \(html) took longer than \(Int(timeout)) s and was stopped")
        }
        guard process.terminationStatus == 0, let data = fm.contents(atPath: pdf), data.starts(with: Array("%PDF-".utf8)) else {
            throw CostDefenderError.tool(name: chromium, message: "printing \(html) to PDF failed (exit status \(process.terminationStatus)):\n\(tail)")
        }
        let stamped = Self.stampDates(data, date: date)
        if stamped != data {
            do { try stamped.write(to: URL(fileURLWithPath: pdf)) } catch {
                throw CostDefenderError.io(path: pdf, message: "cannot write the PDF: \(error.localizedDescription)")
            }
        }
    }

    /// The page with its links to other files of the site (`href` without a scheme and not `#…`)
    /// turned into plain text: in a PDF the browser would make them absolute `file://` links into
    /// the build machine's folders, which work nowhere else and would make the file depend on
    /// where it was built. Links within the page and to the web stay links.
    static func printable(_ html: String) -> String {
        html.replacingOccurrences(of: #"<a href="(?![A-Za-z][A-Za-z0-9+.\-]*:|#)[^"]*""#, with: "<a", options: .regularExpression)
    }

    /// Replaces the digits of the `/CreationDate (D:YYYYMMDDHHMMSS…)` and `/ModDate` entries
    /// with the build date at midnight UTC. Same length, so the cross-reference offsets stay valid;
    /// entries in any other form are left as they are.
    static func stampDates(_ data: Data, date: Day) -> Data {
        let c = date.civil
        let digits = Data(String(format: "%04d%02d%02d000000", c.year, c.month, c.day).utf8)
        var out = data
        for key in ["/CreationDate (D:", "/ModDate (D:"] {
            guard let found = out.range(of: Data(key.utf8)), found.upperBound + digits.count <= out.endIndex else { continue }
            let field = found.upperBound..<(found.upperBound + digits.count)
            if out[field].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { out.replaceSubrange(field, with: digits) }
        }
        return out
    }
}

/// Set once by the watchdog, read after the browser exited.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    func set() { lock.lock(); fired = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return fired }
}
