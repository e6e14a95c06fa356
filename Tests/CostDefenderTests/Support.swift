import Foundation
@testable import CostDefender

/// Test helpers: temporary folders and the repository's paths.
enum TestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let awsSample = repository + "/../shared/samples/focus/focus-1.0_sample_aws.csv"
    static let committedAWSSample = repository + "/Samples/aws/focus-1.0_sample_aws.csv"

    static func tempDir(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "costdefender-tests-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @discardableResult
    static func write(_ text: String, to path: String) -> String {
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A minimal FOCUS header and a row builder for hand-made inputs.
    static let focusHeader = "BilledCost,EffectiveCost,ListCost,ContractedCost,ChargePeriodStart,BillingCurrency,ProviderName,SubAccountId,SubAccountName,ServiceName,ChargeCategory,ResourceId,Tags"

    static func focusRow(billed: String, effective: String? = nil, day: String = "2025-01-15T00:00:00Z", account: String = "111", service: String = "Amazon EC2",
                         category: String = "Usage", resource: String = "i-1", tags: String = "NULL") -> String {
        let e = effective ?? billed
        return "\(billed),\(e),\(billed),\(e),\(day),USD,AWS,\"\(account)\",\"Account \(account)\",\"\(service)\",\(category),\"\(resource)\",\(tags)"
    }

    static func readRecords(_ text: String, bufferSize: Int = 16) throws -> [(Int, [String])] {
        let path = write(text, to: tempDir() + "/in.csv")
        let reader = CSVReader(source: try ByteSources.open(path), initialBufferSize: bufferSize)
        var out: [(Int, [String])] = []
        try reader.forEachRecord { out.append(($0.line, $0.strings)) }
        return out
    }
}
