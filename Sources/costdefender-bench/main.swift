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

let options = Options(CommandLine.arguments)
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("costdefender").path
guard FileManager.default.isExecutableFile(atPath: binary) else {
    print("costdefender not found beside the benchmark (\(binary)); run `swift build -c release` first")
    exit(1)
}
try? FileManager.default.createDirectory(atPath: options.dir, withIntermediateDirectories: true)
print("costdefender \(Pipeline.version) build benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.runs) runs each")
print("rows        file MB   median s   min s   rows/s (median)   peak RSS MB (max)")
for rows in options.rows {
    let file = options.dir + "/focus-\(rows).csv"
    if !FileManager.default.fileExists(atPath: file) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try SampleGenerator(seed: 7).writeFOCUS(rows: rows, to: file)
        let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        FileHandle.standardError.write(Data("generated \(rows) rows in \(String(format: "%.1f", t)) s\n".utf8))
    }
    let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    var times: [Double] = []
    var peak = 0
    for _ in 0..<options.runs {
        let r = measure(binary, ["build", "--quiet", "--focus", file, "--output", options.output, "--as-of", "2026-12-31"])
        if r.status != 0 { print("build failed with status \(r.status)"); exit(1) }
        times.append(r.seconds)
        peak = max(peak, r.maxRSS)
    }
    let m = median(times)
    let files = (FileManager.default.enumerator(atPath: options.output)?.allObjects.count) ?? 0
    print(String(format: "%-10d  %7.1f   %8.3f   %5.3f   %15.0f   %17.1f   (%d files and folders written to %@)", rows, Double(size) / 1e6, m, times.min()!, Double(rows) / m, Double(peak) / 1e6, files, options.output))
    if !options.keep { try? FileManager.default.removeItem(atPath: file) }
}
