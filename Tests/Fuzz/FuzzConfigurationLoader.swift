// libFuzzer target for `ConfigurationLoader` (built by run-fuzzers.sh, never by `swift build`).
//
// The input bytes are `costdefender.yaml`, loaded as the command does it: written to a file in
// /dev/shm (per process) and read with `load(path:)`, so that bytes that are not UTF-8 take the
// loader's own error path; YAML text takes `parse`. Invariants checked, each a `fatalError` that
// libFuzzer reports as a crash:
// - the only error is `CostDefenderError.config`, naming the config file (a YAML error from Yams
//   or anything else escaping the loader would reach the user without a location);
// - bytes that are not UTF-8 are refused with the line and column of the first bad one;
// - a configuration that loads has the values the loader promises to check.
import CostDefender
#if canImport(Glibc)
import Glibc
#endif

let configPath = "/dev/shm/costdefender-fuzz-\(getpid()).yaml"

func write(_ data: UnsafePointer<UInt8>, _ size: Int, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if fd < 0 { fatalError("cannot write \(path)") }
    var done = 0
    while done < size {
        let n = Glibc.write(fd, data + done, size - done)
        if n <= 0 { fatalError("cannot write \(path)") }
        done += n
    }
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigurationLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    write(data, size, to: configPath)
    let isUTF8 = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) != nil
    do {
        let config = try ConfigurationLoader.load(path: configPath)
        if !isUTF8 { fatalError("bytes that are not UTF-8 were loaded") }
        if config.currency.count != 3 { fatalError("currency \(config.currency)") }
        if !(1...12).contains(config.fiscalYearStartMonth) { fatalError("fiscal_year_start_month \(config.fiscalYearStartMonth)") }
        if !(config.thresholds.budgetTolerance >= 0 && config.thresholds.budgetTolerance < 1) { fatalError("budget_tolerance \(config.thresholds.budgetTolerance)") }
        if config.thresholds.maxRejectedRows < 0 { fatalError("max_rejected_rows \(config.thresholds.maxRejectedRows)") }
        if !(config.savings.verifiedShare > 0 && config.savings.verifiedShare <= 1) { fatalError("verified_share \(config.savings.verifiedShare)") }
        for pool in config.allocation.pools { _ = pool.name }
        _ = String(describing: config)
    } catch let error as CostDefenderError {
        guard case .config(let path, let message) = error else { fatalError("not a config error: \(error)") }
        if !path.hasPrefix(configPath) || message.isEmpty { fatalError("error without the file: \(error)") }
        if !isUTF8 && path == configPath { fatalError("bytes that are not UTF-8 refused without the place of the first bad one: \(error)") }
    } catch {
        fatalError("an error that is not a CostDefenderError escaped the loader: \(type(of: error)) \(error)")
    }
    return 0
}
