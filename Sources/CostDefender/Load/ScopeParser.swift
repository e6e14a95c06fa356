/// The scope syntax of the ledger and notes: `;`-separated `key=value` conditions, `|` between
/// alternatives, e.g. `service=Amazon EC2; account=1234|5678; tag:environment=prod`.
public enum ScopeParser {
    public static let fieldNames = ["provider", "billing_account", "account", "service", "service_category", "region", "charge_category", "resource"]

    static func field(named name: String) -> RuleCondition.Field? {
        switch name.lowercased() {
        case "provider": return .provider
        case "billing_account": return .billingAccount
        case "account", "sub_account": return .account
        case "service": return .service
        case "service_category": return .serviceCategory
        case "region": return .region
        case "charge_category": return .chargeCategory
        case "resource": return .resource
        default:
            return nil
        }
    }

    /// Parses a scope. `team=NAME` is returned separately (it is not a cost dimension but the
    /// allocation result). `*` or empty text is the whole organisation.
    public static func parse(_ text: String) -> Result<(conditions: [RuleCondition], teams: [String]), ScopeError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "*" { return .success(([], [])) }
        var conditions: [RuleCondition] = []
        var teams: [String] = []
        for part in trimmed.split(separator: ";") {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            guard let eq = p.firstIndex(of: "=") else { return .failure(ScopeError(message: "`\(p)` is not key=value")) }
            let key = p[..<eq].trimmingCharacters(in: .whitespaces)
            let values = p[p.index(after: eq)...].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { return .failure(ScopeError(message: "`\(key)=` has no value")) }
            if key.lowercased() == "team" { teams.append(contentsOf: values); continue }
            if key.lowercased().hasPrefix("tag:") {
                let tagKey = String(key.dropFirst(4)).lowercased()
                guard !tagKey.isEmpty else { return .failure(ScopeError(message: "`tag:` needs a key, e.g. tag:environment=prod")) }
                conditions.append(RuleCondition(field: .tag(tagKey), values: values))
                continue
            }
            guard let field = field(named: key) else {
                return .failure(ScopeError(message: "unknown scope key `\(key)`; use \(fieldNames.joined(separator: ", ")), team or tag:KEY"))
            }
            conditions.append(RuleCondition(field: field, values: values))
        }
        return .success((conditions, teams))
    }

    public struct ScopeError: Error, Sendable { public var message: String }
}

import Foundation
