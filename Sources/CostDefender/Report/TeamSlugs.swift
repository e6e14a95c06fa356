/// File names for team pages: lower-case letters, digits and `-`, unique (a clash gets `-2`,
/// `-3`…), never empty, so any team name — even hostile text — gives a safe relative path.
public enum TeamSlugs {
    public static func assign(_ teams: [String]) -> [(team: String, slug: String)] {
        var used = Set<String>()
        return teams.map { team in
            var base = ""
            for ch in team.lowercased().unicodeScalars {
                if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) { base.unicodeScalars.append(ch) }
                else if !base.hasSuffix("-") && !base.isEmpty { base.append("-") }
            }
            while base.hasSuffix("-") { base.removeLast() }
            if base.isEmpty { base = "team" }
            base = String(base.prefix(60))
            var slug = base
            var n = 2
            while used.contains(slug) { slug = "\(base)-\(n)"; n += 1 }
            used.insert(slug)
            return (team, slug)
        }
    }
}
