// Benchmark: generates N rows of FOCUS with the sample generator, then times whole
// `costdefender build` runs on them (a child process each), printing wall time, rows per second
// and peak memory (the child's max RSS from wait4). Not a test: run it on a quiet machine.
//
//   swift build -c release && .build/release/costdefender-bench [--rows 1000000] [--runs 3] [--dir DIR] [--output DIR]
import CostDefender
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var rows = [1_000_000]
    var runs = 3
    var dir = NSTemporaryDirectory() + "costdefender-bench"
    /// Where the packs are written: tmpfs when there is one, so that the figure measures the
    /// tool and not the disk (file creation on this machine's disk costs 0.5–0.8 ms a file).
    var output = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/costdefender-bench-output" : NSTemporaryDirectory() + "costdefender-bench-output"
    var keep = false
    /// Also measure an incremental rebuild: 13 monthly files, one of them new.
    var incremental = false

    init(_ args: [String]) {
        var i = 1
        while i < args.count {
            let a = args[i]
            let next = i + 1 < args.count ? args[i + 1] : ""
            switch a {
            case "--rows": rows = next.split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }; i += 1
            case "--runs": runs = Int(next) ?? runs; i += 1
            case "--dir": dir = next; i += 1
            case "--output": output = next; i += 1
            case "--keep": keep = true
            case "--incremental": incremental = true
            default:
                print("usage: costdefender-bench [--rows N[,N…]] [--runs K] [--dir DIR] [--output DIR] [--keep]")
                exit(2)
            }
            i += 1
        }
    }
}

/// Runs a command; returns wall seconds and the child's peak RSS in bytes.
func measure(_ path: String, _ arguments: [String]) -> (seconds: Double, maxRSS: Int, status: Int32) {
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, path, nil, nil, argv, environ) == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds, Int(usage.ru_maxrss) * 1024, status)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

nonisolated(unsafe) let options = Options(CommandLine.arguments)
nonisolated(unsafe) let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("costdefender").path
guard FileManager.default.isExecutableFile(atPath: binary) else {
    print("costdefender not found beside the benchmark (\(binary)); run `swift build -c release` first")
    exit(1)
}
try? FileManager.default.createDirectory(atPath: options.dir, withIntermediateDirectories: true)
print("costdefender \(Pipeline.version) build benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.runs) runs each")
print("rows        file MB   median s   min s   rows/s (median)   peak RSS MB (max)")
for rows in options.rows {
    let file = options.dir + "/focus-\(rows).csv"
    // A file found in the folder (another run's, or the engine comparison's) is reused and kept;
    // only one generated here is removed afterwards, unless --keep.
    let generated = !FileManager.default.fileExists(atPath: file)
    if generated {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try SampleGenerator(seed: 7).writeFOCUS(rows: rows, to: file)
        let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        FileHandle.standardError.write(Data("generated \(rows) rows in \(String(format: "%.1f", t)) s\n".utf8))
    }
    let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    var times: [Double] = []
    var peak = 0
    for _ in 0..<options.runs {
        let r = measure(binary, ["build", "--quiet", "--no-cache", "--focus", file, "--output", options.output, "--as-of", "2026-12-31"])
        if r.status != 0 { print("build failed with status \(r.status)"); exit(1) }
        times.append(r.seconds)
        peak = max(peak, r.maxRSS)
    }
    let m = median(times)
    let files = (FileManager.default.enumerator(atPath: options.output)?.allObjects.count) ?? 0
    print(String(format: "%-10d  %7.1f   %8.3f   %5.3f   %15.0f   %17.1f   (%d files and folders written to %@)", rows, Double(size) / 1e6, m, times.min()!, Double(rows) / m, Double(peak) / 1e6, files, options.output))
    if options.incremental { try incremental(file: file, rows: rows) }
    if generated && !options.keep { try? FileManager.default.removeItem(atPath: file) }
}

/// Splits the generated file into monthly partitions (by BillingPeriodStart, the 7th column; the
/// generator writes no line breaks inside fields), keeps the first 13 months, and compares a
/// full build of the 13 files with a rebuild in which 12 come from the cube cache.
func incremental(file: String, rows: Int) throws {
    let folder = options.dir + "/monthly-\(rows)"
    let all = folder + "/all"
    if !FileManager.default.fileExists(atPath: all) {
        try FileManager.default.createDirectory(atPath: all, withIntermediateDirectories: true)
        guard let input = FileHandle(forReadingAtPath: file) else { return }
        var handles: [String: FileHandle] = [:]
        var header = Data()
        var pending = Data()
        func emit(_ line: Data) {
            if header.isEmpty { header = line; return }
            // The 7th field: skip six commas (no commas inside these quoted fields).
            var commas = 0, i = line.startIndex
            while i < line.endIndex && commas < 6 { if line[i] == UInt8(ascii: ",") { commas += 1 }; i += 1 }
            let month = String(decoding: line[(i + 1)..<min(i + 8, line.endIndex)], as: UTF8.self)
            if handles[month] == nil {
                let path = all + "/\(month).csv"
                FileManager.default.createFile(atPath: path, contents: header)
                handles[month] = FileHandle(forWritingAtPath: path)
                handles[month]!.seekToEndOfFile()
            }
            handles[month]!.write(line)
        }
        while case let chunk = input.readData(ofLength: 1 << 22), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let nl = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                emit(pending[start...nl])
                start = nl + 1
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { emit(pending) }
        for h in handles.values { h.closeFile() }
    }
    let months = try FileManager.default.contentsOfDirectory(atPath: all).filter { $0.hasSuffix(".csv") }.sorted().prefix(13)
    guard months.count == 13 else { print("incremental: fewer than 13 months in the data"); return }
    // The monthly workflow: one export folder that gains a file each month. `thirteen` is the
    // reference (every file read, no cache); `current` holds twelve months, is built (filling the
    // cube cache, as last month's build did), then gains the thirteenth and is rebuilt.
    let thirteen = folder + "/thirteen", current = folder + "/current"
    func link(_ months: ArraySlice<String>, into dir: String) throws {
        for m in months { try FileManager.default.createSymbolicLink(atPath: dir + "/" + m, withDestinationPath: all + "/" + m) }
    }
    let out = options.output + "-incremental"
    var full: [Double] = [], rebuild: [Double] = []
    for _ in 0..<options.runs {
        for dir in [thirteen, current] {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        try link(months, into: thirteen)
        try link(months.prefix(12), into: current)
        try? FileManager.default.removeItem(atPath: out + ".cache")
        full.append(measure(binary, ["build", "--quiet", "--no-cache", "--focus", thirteen, "--output", out, "--as-of", "2026-12-31"]).seconds)
        // Last month's build fills the cache with the twelve months …
        _ = measure(binary, ["build", "--quiet", "--focus", current, "--output", out, "--as-of", "2026-12-31"])
        // … and this month's build, after the new file arrived, reads only it.
        try link(months.suffix(1), into: current)
        rebuild.append(measure(binary, ["build", "--quiet", "--focus", current, "--output", out, "--as-of", "2026-12-31"]).seconds)
    }
    let f = median(full), r = median(rebuild)
    // Rows counted in 4 MiB reads, not by loading each file: this process's own peak memory is
    // carried into every child it spawns afterwards (Linux keeps ru_maxrss across exec).
    func lines(_ path: String) -> Int {
        guard let h = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { h.closeFile() }
        var n = 0
        while case let chunk = h.readData(ofLength: 1 << 22), !chunk.isEmpty { n += chunk.count { $0 == UInt8(ascii: "\n") } }
        return n
    }
    let kept = months.reduce(0) { n, m in n + lines(all + "/" + m) - 1 }
    print(String(format: "incremental: 13 monthly files (%d rows of the %d-row file): full build %.3f s, rebuild with one new month %.3f s (medians of %d): %.0f %% of the full build",
                 kept, rows, f, r, options.runs, 100 * r / f))
}
