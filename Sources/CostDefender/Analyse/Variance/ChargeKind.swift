/// Whether a fact is run-rate spend or a one-time / irregular charge, from FOCUS `ChargeClass`,
/// `ChargeCategory` and `ChargeFrequency`. Corrections first (a corrected usage row is still a
/// correction), then the category, then the frequency.
enum ChargeKind: Hashable {
    case runRate
    case oneTime(DriverKind)

    static func of(_ key: CubeKey, in cube: CostCube) -> ChargeKind {
        of(correction: isCorrection(cube.value(.chargeClass, of: key)), category: oneTimeKind(category: cube.value(.chargeCategory, of: key)),
           oneTimeFrequency: isOneTime(frequency: cube.value(.chargeFrequency, of: key)))
    }

    /// The kind, from what each of the three columns says on its own.
    @inline(__always)
    static func of(correction: Bool, category: DriverKind?, oneTimeFrequency: Bool) -> ChargeKind {
        if correction { return .oneTime(.corrections) }
        if let category { return .oneTime(category) }
        if oneTimeFrequency { return .oneTime(.purchases) }
        return .runRate
    }

    static func isCorrection(_ chargeClass: String) -> Bool { chargeClass == "Correction" }

    static func oneTimeKind(category: String) -> DriverKind? {
        switch category {
        case "Purchase": return .purchases
        case "Credit": return .credits
        case "Adjustment": return .refunds
        default: return nil
        }
    }

    static func isOneTime(frequency: String) -> Bool { frequency == "One-Time" }

    var isOneTime: Bool { if case .oneTime = self { return true } else { return false } }
}

/// `ChargeKind.of` for the cells of one cube at the cost of three array reads: each of the three
/// columns it reads is judged once per value of its table.
struct ChargeKinds: Sendable {
    private let correction: [Bool]
    private let category: [DriverKind?]
    private let oneTimeFrequency: [Bool]

    init(_ cube: CostCube) {
        correction = cube.tables[Dimension.chargeClass.rawValue].map(ChargeKind.isCorrection)
        category = cube.tables[Dimension.chargeCategory.rawValue].map { ChargeKind.oneTimeKind(category: $0) }
        oneTimeFrequency = cube.tables[Dimension.chargeFrequency.rawValue].map { ChargeKind.isOneTime(frequency: $0) }
    }

    /// Equal to `ChargeKind.of(key, in: cube)`.
    @inline(__always)
    func of(_ key: CubeKey) -> ChargeKind {
        ChargeKind.of(correction: correction[Int(key[.chargeClass])], category: category[Int(key[.chargeCategory])],
                      oneTimeFrequency: oneTimeFrequency[Int(key[.chargeFrequency])])
    }
}
