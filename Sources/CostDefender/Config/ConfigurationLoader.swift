import Foundation
import Yams

/// Reads `costdefender.yaml` into a `Configuration`. Unknown keys and wrong types are errors that
/// name the file, line and column (a misspelt key must not be silently ignored in a finance build).
public enum ConfigurationLoader {
    public static func load(path: String) throws -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CostDefenderError.io(path: path, message: "cannot read the config file; check the path given to --config")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CostDefenderError.config(path: path + firstInvalidUTF8(data), message: "the config file is not UTF-8 text; save it as UTF-8")
        }
        return try parse(text, path: path)
    }

    /// `:line:column` (1-based; columns in characters) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> String {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return ""
            case .error: return ":\(line):\(column)"
            }
        }
    }

    /// Parses YAML text; relative paths in it are resolved against the folder of `path`.
    public static func parse(_ text: String, path: String) throws -> Configuration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        }
        var config = Configuration()
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            if p.hasPrefix("/") { return p }
            return (((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(p) as NSString).standardizingPath
        }
        guard let node else { return config }
        let r = Reader(path: path)
        let top = try r.mapping(node, "the config")
        try r.allowOnly(top, ["currency", "cost_basis", "fiscal_year_start_month", "inputs", "output", "templates",
                              "allocation", "mandatory_tags", "teams", "thresholds", "volume_drivers", "forecast_history", "savings", "maturity"])
        if let v = top["currency"] {
            let c = try r.string(v, "currency").uppercased()
            guard c.count == 3, c.allSatisfy({ $0.isLetter && $0.isASCII }) else { throw r.fail(v, "currency must be a three-letter ISO 4217 code such as USD") }
            config.currency = c
        }
        if let v = top["cost_basis"] {
            guard let b = CostBasis(rawValue: try r.string(v, "cost_basis")) else { throw r.fail(v, "cost_basis must be `effective` or `billed`") }
            config.costBasis = b
        }
        if let v = top["fiscal_year_start_month"] {
            let m = try r.int(v, "fiscal_year_start_month")
            guard (1...12).contains(m) else { throw r.fail(v, "fiscal_year_start_month must be 1–12") }
            config.fiscalYearStartMonth = m
        }
        if let v = top["inputs"] {
            let m = try r.mapping(v, "inputs")
            try r.allowOnly(m, ["focus", "ledger", "metrics", "budgets", "forecasts", "fx", "notes"])
            if let f = m["focus"] {
                config.inputs.focus = try (f.sequence != nil ? r.strings(f, "inputs.focus") : [r.string(f, "inputs.focus")]).map(resolve)
            }
            config.inputs.ledger = try m["ledger"].map { resolve(try r.string($0, "inputs.ledger")) }
            config.inputs.metrics = try m["metrics"].map { resolve(try r.string($0, "inputs.metrics")) }
            config.inputs.budgets = try m["budgets"].map { resolve(try r.string($0, "inputs.budgets")) }
            config.inputs.forecasts = try m["forecasts"].map { resolve(try r.string($0, "inputs.forecasts")) }
            config.inputs.fx = try m["fx"].map { resolve(try r.string($0, "inputs.fx")) }
            config.inputs.notes = try m["notes"].map { resolve(try r.string($0, "inputs.notes")) }
        }
        if let v = top["output"] { config.output = resolve(try r.string(v, "output")) } else { config.output = resolve("Output") }
        if let v = top["templates"], !r.isNull(v) { config.templates = resolve(try r.string(v, "templates")) }
        if let v = top["mandatory_tags"] { config.mandatoryTags = try r.strings(v, "mandatory_tags") }
        if let v = top["teams"] {
            for (k, t) in try r.pairs(v, "teams") {
                let m = try r.mapping(t, "teams.\(k)")
                try r.allowOnly(m, ["owner", "contact"])
                config.teams[k] = Configuration.TeamContact(owner: try m["owner"].map { try r.string($0, "owner") },
                                                            contact: try m["contact"].map { try r.string($0, "contact") })
            }
        }
        if let v = top["thresholds"] {
            let m = try r.mapping(v, "thresholds")
            try r.allowOnly(m, ["budget_tolerance", "max_rejected_rows"])
            if let t = m["budget_tolerance"] {
                let d = try r.double(t, "budget_tolerance")
                guard d >= 0 && d < 1 else { throw r.fail(t, "budget_tolerance is a share between 0 and 1, e.g. 0.05") }
                config.thresholds.budgetTolerance = d
            }
            if let t = m["max_rejected_rows"] {
                let n = try r.int(t, "max_rejected_rows")
                guard n >= 0 else { throw r.fail(t, "max_rejected_rows cannot be negative") }
                config.thresholds.maxRejectedRows = n
            }
        }
        if let v = top["allocation"] { config.allocation = try allocation(v, r) }
        if let v = top["savings"] {
            let m = try r.mapping(v, "savings")
            try r.allowOnly(m, ["baseline_days", "settling_days", "after_days", "verified_share"])
            func days(_ key: String) throws -> Int? {
                guard let n = m[key] else { return nil }
                let d = try r.int(n, "savings.\(key)")
                guard (1...366).contains(d) || (key == "settling_days" && d == 0) else { throw r.fail(n, "savings.\(key) must be 1–366 days") }
                return d
            }
            if let d = try days("baseline_days") { config.savings.baselineDays = d }
            if let d = try days("settling_days") { config.savings.settlingDays = d }
            if let d = try days("after_days") { config.savings.afterDays = d }
            if let n = m["verified_share"] {
                let x = try r.double(n, "savings.verified_share")
                guard x > 0 && x <= 1 else { throw r.fail(n, "savings.verified_share is a share between 0 and 1, e.g. 0.8") }
                config.savings.verifiedShare = x
            }
        }
        if let v = top["maturity"] {
            let m = try r.mapping(v, "maturity")
            let shares: [String: WritableKeyPath<MaturityScorecard.Thresholds, Double>] = [
                "allocation_walk": \.allocationWalk, "allocation_run": \.allocationRun,
                "anomaly_owner_walk": \.anomalyOwnerWalk, "anomaly_owner_run": \.anomalyOwnerRun,
                "implementation_walk": \.implementationWalk, "implementation_run": \.implementationRun,
                "unexplained_walk": \.unexplainedWalk, "unexplained_run": \.unexplainedRun,
                "forecast_walk": \.forecastWalk, "forecast_run": \.forecastRun,
                "commitment_walk": \.commitmentWalk, "commitment_run": \.commitmentRun]
            let days: [String: WritableKeyPath<MaturityScorecard.Thresholds, Int>] = [
                "anomaly_delay_walk_days": \.anomalyDelayWalkDays, "anomaly_delay_run_days": \.anomalyDelayRunDays]
            try r.allowOnly(m, Set(shares.keys).union(days.keys))
            for (k, node) in m {
                let key = k.string ?? ""
                if let path = shares[key] {
                    let x = try r.double(node, "maturity.\(key)")
                    guard x >= 0 && x <= 1 else { throw r.fail(node, "maturity.\(key) is a share between 0 and 1") }
                    config.maturity[keyPath: path] = x
                } else if let path = days[key] {
                    let n = try r.int(node, "maturity.\(key)")
                    guard n >= 0 else { throw r.fail(node, "maturity.\(key) cannot be negative") }
                    config.maturity[keyPath: path] = n
                }
            }
        }
        if let v = top["forecast_history"] { config.forecastHistory = resolve(try r.string(v, "forecast_history")) }
        if let v = top["volume_drivers"] { for (k, m) in try r.pairs(v, "volume_drivers") { config.volumeDrivers[k] = try r.string(m, "volume_drivers.\(k)") } }
        return config
    }

    /// A YAML syntax error located at `path:line:column`, with the parser's words.
    static func yamlError(_ error: YamlError, path: String) -> CostDefenderError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .config(path: "\(path):\(mark.line):\(mark.column)", message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let keys, let context):
            return .config(path: "\(path):\(context.mark.line):\(context.mark.column)",
                           message: "not valid YAML: the key \(keys.map { "`\($0)`" }.joined(separator: ", ")) appears more than once in this mapping")
        default:
            return .config(path: path, message: "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }

    private static func allocation(_ node: Node, _ r: Reader) throws -> Configuration.Allocation {
        var a = Configuration.Allocation()
        let m = try r.mapping(node, "allocation")
        try r.allowOnly(m, ["team_tags", "product_tags", "team_aliases", "accounts", "rules", "pools"])
        if let v = m["team_tags"] { a.teamTags = try r.strings(v, "allocation.team_tags") }
        if let v = m["product_tags"] { a.productTags = try r.strings(v, "allocation.product_tags") }
        if let v = m["team_aliases"] { for (k, t) in try r.pairs(v, "team_aliases") { a.teamAliases[k] = try r.string(t, "team_aliases.\(k)") } }
        if let v = m["accounts"] { for (k, t) in try r.pairs(v, "accounts") { a.accounts[k] = try r.string(t, "accounts.\(k)") } }
        if let v = m["rules"] {
            guard let seq = v.sequence else { throw r.fail(v, "allocation.rules must be a list") }
            for item in seq {
                let rule = try r.mapping(item, "a rule")
                try r.allowOnly(rule, ["when", "team", "pool"])
                guard let when = rule["when"] else { throw r.fail(item, "a rule needs `when:` conditions") }
                var conditions: [RuleCondition] = []
                for (k, value) in try r.pairs(when, "when") {
                    let text = try r.string(value, "when.\(k)")
                    let values = text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                    if k == "tag" {
                        guard let eq = text.firstIndex(of: "=") else { throw r.fail(value, "a tag condition is written key=value") }
                        let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
                        let vals = text[text.index(after: eq)...].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                        conditions.append(RuleCondition(field: .tag(key.lowercased()), values: vals))
                    } else {
                        guard let field = ScopeParser.field(named: k) else { throw r.fail(value, "unknown rule condition `\(k)`; use one of \(ScopeParser.fieldNames.joined(separator: ", ")), tag") }
                        conditions.append(RuleCondition(field: field, values: values))
                    }
                }
                guard !conditions.isEmpty else { throw r.fail(item, "a rule needs at least one condition") }
                switch (rule["team"], rule["pool"]) {
                case (let t?, nil): a.rules.append(AllocationRule(conditions: conditions, target: .team(try r.string(t, "team"))))
                case (nil, let p?): a.rules.append(AllocationRule(conditions: conditions, target: .pool(try r.string(p, "pool"))))
                default: throw r.fail(item, "a rule names exactly one of `team:` or `pool:`")
                }
            }
        }
        if let v = m["pools"] {
            guard let seq = v.sequence else { throw r.fail(v, "allocation.pools must be a list") }
            for item in seq {
                let p = try r.mapping(item, "a pool")
                try r.allowOnly(p, ["name", "split", "basis", "recipients", "weights"])
                guard let nameNode = p["name"] else { throw r.fail(item, "a pool needs a `name:`") }
                let name = try r.string(nameNode, "name")
                let recipients = try p["recipients"].map { try r.strings($0, "recipients") } ?? []
                let splitName = try p["split"].map { try r.string($0, "split") } ?? "proportional"
                let split: SharedPool.Split
                switch splitName {
                case "even": split = .even
                case "fixed":
                    guard let w = p["weights"] else { throw r.fail(item, "pool \(name): a fixed split needs `weights:`") }
                    var weights: [String: Double] = [:]
                    for (k, x) in try r.pairs(w, "weights") {
                        let d = try r.double(x, "weights.\(k)")
                        guard d >= 0 else { throw r.fail(x, "pool \(name): weights cannot be negative") }
                        weights[k] = d
                    }
                    let sum = weights.values.reduce(0, +)
                    guard abs(sum - 1) < 1e-9 else { throw r.fail(w, "pool \(name): weights must sum to 1 (they sum to \(sum))") }
                    split = .fixed(weights)
                case "proportional":
                    let basis = try p["basis"].map { try r.string($0, "basis") } ?? "direct_cost"
                    if basis == "direct_cost" { split = .proportionalToDirectCost }
                    else if basis.hasPrefix("metric:"), basis.count > 7 { split = .proportionalToMetric(String(basis.dropFirst(7))) }
                    else { throw r.fail(p["basis"] ?? item, "pool \(name): basis is `direct_cost` or `metric:<name>`") }
                default: throw r.fail(p["split"] ?? item, "pool \(name): split is `even`, `fixed` or `proportional`")
                }
                a.pools.append(SharedPool(name: name, split: split, recipients: recipients))
            }
        }
        let poolNames = Set(a.pools.map(\.name))
        for rule in a.rules { if case .pool(let p) = rule.target, !poolNames.contains(p) {
            throw CostDefenderError.config(path: r.path, message: "a rule sends cost to pool `\(p)`, which allocation.pools does not define")
        } }
        return a
    }

    /// Typed access to YAML nodes with located errors.
    private struct Reader {
        let path: String

        func fail(_ node: Node, _ message: String) -> CostDefenderError {
            let at = node.mark.map { ":\($0.line):\($0.column)" } ?? ""
            return .config(path: path + at, message: message)
        }
        func isNull(_ n: Node) -> Bool { n.scalar.map { $0.string == "" || $0.string == "null" || $0.string == "~" } ?? false }
        func mapping(_ n: Node, _ what: String) throws -> Node.Mapping {
            guard let m = n.mapping else { throw fail(n, "\(what) must be a mapping of keys to values") }
            return m
        }
        func pairs(_ n: Node, _ what: String) throws -> [(String, Node)] {
            try mapping(n, what).map { (try string($0.key, what + " key"), $0.value) }
        }
        func allowOnly(_ m: Node.Mapping, _ keys: Set<String>) throws {
            for (k, _) in m {
                let name = k.string ?? ""
                if !keys.contains(name) {
                    throw fail(k, "unknown key `\(name)`; allowed here: \(keys.sorted().joined(separator: ", "))")
                }
            }
        }
        func string(_ n: Node, _ what: String) throws -> String {
            guard let s = n.scalar else { throw fail(n, "\(what) must be a single value, not a list or mapping") }
            return s.string
        }
        func strings(_ n: Node, _ what: String) throws -> [String] {
            guard let seq = n.sequence else { throw fail(n, "\(what) must be a list, e.g. [a, b]") }
            return try seq.map { try string($0, what) }
        }
        func int(_ n: Node, _ what: String) throws -> Int {
            guard let s = n.scalar, let i = Int(s.string) else { throw fail(n, "\(what) must be a whole number") }
            return i
        }
        func double(_ n: Node, _ what: String) throws -> Double {
            guard let s = n.scalar, let d = Double(s.string), d.isFinite else { throw fail(n, "\(what) must be a number") }
            return d
        }
    }
}
