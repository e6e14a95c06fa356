/// Whether a fact is run-rate spend or a one-time / irregular charge, from FOCUS `ChargeClass`,
/// `ChargeCategory` and `ChargeFrequency`. Corrections first (a corrected usage row is still a
/// correction), then the category, then the frequency.
enum ChargeKind: Hashable {
    case runRate
    case oneTime(DriverKind)

    static func of(_ key: CubeKey, in cube: CostCube) -> ChargeKind {
        if cube.value(.chargeClass, of: key) == "Correction" { return .oneTime(.corrections) }
        switch cube.value(.chargeCategory, of: key) {
        case "Purchase": return .oneTime(.purchases)
        case "Credit": return .oneTime(.credits)
        case "Adjustment": return .oneTime(.refunds)
        default: break
        }
        if cube.value(.chargeFrequency, of: key) == "One-Time" { return .oneTime(.purchases) }
        return .runRate
    }
}
