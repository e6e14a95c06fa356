/// Decides whether a cube cell satisfies a list of conditions (rules, ledger scopes, notes).
/// Values compare exactly, except enum-like FOCUS columns, which compare case-insensitively.
public struct ScopeMatcher: Sendable {
    public let cube: CostCube
    public init(cube: CostCube) { self.cube = cube }

    public func matches(_ key: CubeKey, _ conditions: [RuleCondition]) -> Bool {
        conditions.allSatisfy { matches(key, $0) }
    }

    public func matches(_ key: CubeKey, _ c: RuleCondition) -> Bool {
        switch c.field {
        case .provider: return any(cube.value(.provider, of: key), c.values, caseInsensitive: true)
        case .billingAccount: return any(cube.value(.billingAccount, of: key), c.values)
        case .account: return any(cube.value(.subAccount, of: key), c.values)
        case .service: return any(cube.value(.service, of: key), c.values, caseInsensitive: true)
        case .serviceCategory: return any(cube.value(.serviceCategory, of: key), c.values, caseInsensitive: true)
        case .region: return any(cube.value(.region, of: key), c.values, caseInsensitive: true)
        case .chargeCategory: return any(cube.value(.chargeCategory, of: key), c.values, caseInsensitive: true)
        case .resource: return any(cube.value(.resource, of: key), c.values)
        case .tag(let k):
            guard let v = cube.tags(of: key).tags[k] else { return false }
            return any(v, c.values)
        }
    }

    private func any(_ v: String, _ values: [String], caseInsensitive: Bool = false) -> Bool {
        if caseInsensitive { let l = v.lowercased(); return values.contains { $0.lowercased() == l } }
        return values.contains(v)
    }
}
