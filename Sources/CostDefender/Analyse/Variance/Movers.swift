/// The largest changes by team, service, account and team × service, each a sum of bridge
/// contributions (so its driver split adds up to its change), with the notes that match it.
public struct Movers: Sendable {
    public struct Mover: Sendable {
        public var team: String?
        public var service: String?
        public var account: String?
        public var prior: Amount
        public var current: Amount
        public var drivers: [DriverKind: Amount]
        public var notes: [Note]
        public var change: Amount { current - prior }

        public var name: String {
            [team, service, account].compactMap { $0 }.map { $0.isEmpty ? "(none)" : $0 }.joined(separator: " · ")
        }
    }

    public enum Grouping: String, CaseIterable, Sendable { case team, service, account, teamService = "team-service" }

    public var groups: [Grouping: [Mover]]
    public var totalChange: Amount

    public init(_ contributions: [BridgeContribution], notes: [Note], windows: [ClosedRange<Day>]) {
        var groups: [Grouping: [Mover]] = [:]
        let relevantNotes = notes.filter { n in windows.contains { $0.overlaps(n.days) } }
        for g in Grouping.allCases {
            struct Key: Hashable { var team: String?; var service: String?; var account: String? }
            // Movers in order of first sight, summed in place.
            var index: [Key: Int] = [:]
            var movers: [Mover] = []
            for c in contributions {
                let key: Key
                switch g {
                case .team: key = Key(team: c.team)
                case .service: key = Key(service: c.service)
                case .account: key = Key(account: c.account)
                case .teamService: key = Key(team: c.team, service: c.service)
                }
                let i: Int
                if let known = index[key] { i = known } else {
                    i = movers.count
                    index[key] = i
                    movers.append(Mover(team: key.team, service: key.service, account: key.account, prior: .zero, current: .zero, drivers: [:], notes: []))
                }
                movers[i].prior += c.prior
                movers[i].current += c.current
                for (k, a) in c.drivers { movers[i].drivers[k, default: .zero] += a }
            }
            // Sorted by |change|, then name (each name built once).
            let kept = movers.filter { !$0.change.isZero || !$0.current.isZero }.map { m -> (mover: Mover, magnitude: Amount, name: String) in
                var m = m
                m.notes = relevantNotes.filter { Self.matches($0, m) }
                return (m, m.change.magnitude, m.name)
            }
            groups[g] = kept.sorted { $0.magnitude != $1.magnitude ? $0.magnitude > $1.magnitude : $0.name < $1.name }.map(\.mover)
        }
        self.groups = groups
        totalChange = contributions.reduce(.zero) { $0 + $1.current - $1.prior }
    }

    /// A note matches a mover when every part of its scope that the mover has (team, service,
    /// account) agrees; a note about the whole organisation (`*`) matches no single mover.
    static func matches(_ note: Note, _ m: Mover) -> Bool {
        var checked = false
        if !note.teams.isEmpty {
            guard let team = m.team else { return false }
            if !note.teams.contains(team) { return false }
            checked = true
        }
        for c in note.conditions {
            switch c.field {
            case .service:
                guard let s = m.service else { continue }
                if !c.values.contains(where: { $0.lowercased() == s.lowercased() }) { return false }
                checked = true
            case .account:
                guard let a = m.account else { continue }
                if !c.values.contains(a) { return false }
                checked = true
            default:
                continue
            }
        }
        return checked
    }
}
