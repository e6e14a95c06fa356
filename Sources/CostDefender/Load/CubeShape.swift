/// What shapes a cube besides the line items: the tag keys kept in tag profiles, the keys that
/// name a team, and the resources kept on daily cells. The same for the FOCUS reader, the rollup
/// reader and the rollup SQL, so that all three build the same cells.
public struct CubeShape: Sendable, Equatable {
    /// Lowercased: team_tags ∪ product_tags ∪ mandatory_tags ∪ tag keys of rules, ledger and notes scopes.
    public var relevantTagKeys: Set<String>
    /// Lowercased team_tags.
    public var teamTagKeys: Set<String>
    /// Resource ids named by ledger scopes.
    public var trackedResources: Set<String>

    public init(relevantTagKeys: Set<String>, teamTagKeys: Set<String>, trackedResources: Set<String> = []) {
        self.relevantTagKeys = relevantTagKeys
        self.teamTagKeys = teamTagKeys
        self.trackedResources = trackedResources
    }

    public init(configuration config: Configuration, business: BusinessInputs) {
        var relevant = Set((config.allocation.teamTags + config.allocation.productTags + config.mandatoryTags).map { $0.lowercased() })
        for rule in config.allocation.rules { for c in rule.conditions { if case .tag(let k) = c.field { relevant.insert(k) } } }
        for e in business.ledger { for c in e.scope { if case .tag(let k) = c.field { relevant.insert(k) } } }
        for n in business.notes { for c in n.conditions { if case .tag(let k) = c.field { relevant.insert(k) } } }
        relevantTagKeys = relevant
        teamTagKeys = Set(config.allocation.teamTags.map { $0.lowercased() })
        trackedResources = Set(business.ledger.flatMap { e in e.scope.filter { $0.field == .resource }.flatMap(\.values) })
    }

    /// The shape a FOCUS reader was configured with.
    public init(_ reader: FOCUSReader) {
        self.init(relevantTagKeys: reader.relevantTagKeys, teamTagKeys: reader.teamTagKeys, trackedResources: reader.trackedResources)
    }
}

extension FOCUSReader {
    /// A FOCUS reader that builds cubes of this shape.
    public init(shape: CubeShape) {
        self.init(relevantTagKeys: shape.relevantTagKeys, teamTagKeys: shape.teamTagKeys)
        trackedResources = shape.trackedResources
    }
}
