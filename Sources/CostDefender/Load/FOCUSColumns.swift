/// The FOCUS columns CostDefender reads, and how a file's header maps to them.
struct FOCUSColumns {
    /// Column positions in the file, -1 when absent.
    var billedCost = -1, effectiveCost = -1, listCost = -1, contractedCost = -1
    var consumedQuantity = -1, pricingQuantity = -1
    var chargePeriodStart = -1, billingCurrency = -1
    var resourceId = -1, tags = -1
    var billingAccountName = -1, subAccountName = -1
    /// Position of each string dimension (by `Dimension.rawValue`), -1 when absent.
    var dimensions = [Int](repeating: -1, count: Dimension.allCases.count)
    var names: [String] = []
    var count = 0
    /// The dimensions interned from their own column on every row (all but the resource, which
    /// is kept only on some cells, and the tag profile), with the column; absent ones left out.
    private(set) var internedDimensions: [(dimension: Dimension, column: Int)] = []

    /// Required for a usable file (FOCUS 1.0 mandatory and what the pack cannot do without).
    static let required = ["BilledCost", "EffectiveCost", "ChargePeriodStart", "BillingCurrency"]

    init(header: [String]) {
        names = header
        count = header.count
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if index[key] == nil { index[key] = i }
        }
        func at(_ n: String) -> Int { index[n.lowercased()] ?? -1 }
        billedCost = at("BilledCost"); effectiveCost = at("EffectiveCost"); listCost = at("ListCost"); contractedCost = at("ContractedCost")
        consumedQuantity = at("ConsumedQuantity"); pricingQuantity = at("PricingQuantity")
        chargePeriodStart = at("ChargePeriodStart"); billingCurrency = at("BillingCurrency")
        resourceId = at("ResourceId"); tags = at("Tags")
        billingAccountName = at("BillingAccountName"); subAccountName = at("SubAccountName")
        // FOCUS 1.3 renames ProviderName to ServiceProviderName.
        dimensions[Dimension.provider.rawValue] = at("ServiceProviderName") >= 0 ? at("ServiceProviderName") : at("ProviderName")
        dimensions[Dimension.billingAccount.rawValue] = at("BillingAccountId")
        dimensions[Dimension.subAccount.rawValue] = at("SubAccountId")
        dimensions[Dimension.service.rawValue] = at("ServiceName")
        dimensions[Dimension.serviceCategory.rawValue] = at("ServiceCategory")
        dimensions[Dimension.region.rawValue] = at("RegionId")
        dimensions[Dimension.chargeCategory.rawValue] = at("ChargeCategory")
        dimensions[Dimension.chargeClass.rawValue] = at("ChargeClass")
        dimensions[Dimension.chargeFrequency.rawValue] = at("ChargeFrequency")
        dimensions[Dimension.pricingCategory.rawValue] = at("PricingCategory")
        dimensions[Dimension.commitmentDiscount.rawValue] = at("CommitmentDiscountId")
        dimensions[Dimension.commitmentStatus.rawValue] = at("CommitmentDiscountStatus")
        dimensions[Dimension.currency.rawValue] = billingCurrency
        internedDimensions = Dimension.allCases.compactMap { d in
            d == .resource || d == .tagProfile || dimensions[d.rawValue] < 0 ? nil : (d, dimensions[d.rawValue])
        }
    }

    func missingRequired() -> [String] {
        [("BilledCost", billedCost), ("EffectiveCost", effectiveCost), ("ChargePeriodStart", chargePeriodStart), ("BillingCurrency", billingCurrency)]
            .filter { $0.1 < 0 }.map(\.0)
    }

    /// FOCUS enum values whose case drifts between providers and versions, in their spec spelling.
    static let canonicalValues: [Dimension: [String]] = [
        .chargeCategory: ["Usage", "Purchase", "Tax", "Credit", "Adjustment"],
        .chargeClass: ["Correction"],
        .chargeFrequency: ["One-Time", "Recurring", "Usage-Based"],
        .pricingCategory: ["Standard", "Dynamic", "Committed", "Other"],
        .commitmentStatus: ["Used", "Unused"],
    ]

    /// A function folding case drift (`Usage-based` → `Usage-Based`) for enum dimensions.
    static func canonicaliser(for d: Dimension) -> (@Sendable (String) -> String)? {
        if d == .currency { return { $0.uppercased() } }
        guard let values = canonicalValues[d] else { return nil }
        let byLower = Dictionary(uniqueKeysWithValues: values.map { ($0.lowercased(), $0) })
        return { byLower[$0.lowercased()] ?? $0 }
    }
}

import Foundation
