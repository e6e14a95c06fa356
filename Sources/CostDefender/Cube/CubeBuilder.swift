/// The half of a reader that fills a cube, shared by the FOCUS line-item reader and the rollup
/// reader so both build exactly the same cube: interners whose ids are the cube's table indices
/// (seeded from the cube, so ids agree across files), tag profiles, the tracked resources, and
/// the first name seen for each account id.
struct CubeBuilder {
    var cube: CostCube
    var interners: [ByteInterner]
    /// Resource ids kept on daily cells; filled through the byte path (`lookup` reads only it).
    var tracked = ByteInterner()
    /// Whether each tag profile (by index) carries a team tag.
    var teamTagged: [Bool]
    private var profileIndex: [TagProfile: Int32] = [:]
    private var named: [[Bool]] = [[], []]   // sub-accounts, billing accounts
    private let teamTagKeys: Set<String>
    /// Cells summed since the builder started; in `cube` only after `finish()`.
    private var daily = CubeCells()
    private var untagged = CubeCells()

    init(cube: CostCube, teamTagKeys: Set<String>, trackedResources: Set<String>) {
        self.cube = cube
        self.teamTagKeys = teamTagKeys
        interners = Dimension.allCases.map { ByteInterner(canonical: FOCUSColumns.canonicaliser(for: $0)) }
        for d in Dimension.allCases where d != .tagProfile {
            for s in cube.tables[d.rawValue] { _ = interners[d.rawValue].id(of: s) }
        }
        for (i, p) in cube.tagProfiles.enumerated() { profileIndex[p] = Int32(i) }
        teamTagged = cube.tagProfiles.map { p in p.tags.keys.contains { teamTagKeys.contains($0) } }
        for r in trackedResources.sorted() { var t = tracked; _ = Array(r.utf8).withUnsafeBytes { t.id(of: $0) }; tracked = t }
    }

    mutating func internProfile(_ p: TagProfile) -> Int32 {
        if let i = profileIndex[p] { return i }
        let i = Int32(cube.tagProfiles.count)
        cube.tagProfiles.append(p)
        profileIndex[p] = i
        teamTagged.append(p.tags.keys.contains { teamTagKeys.contains($0) })
        return i
    }

    /// True the first time an account id is seen (then never again): only then is its name read,
    /// so a name costs one String per account, not per row.
    mutating func firstSight(of d: Dimension, id: Int32) -> Bool {
        guard id != 0 else { return false }
        let which = d == .subAccount ? 0 : 1
        if Int(id) < named[which].count && named[which][Int(id)] { return false }
        while named[which].count <= Int(id) { named[which].append(false) }
        named[which][Int(id)] = true
        return true
    }

    /// Records the first name of an account id.
    mutating func name(_ d: Dimension, id: Int32, _ name: String) {
        let idText = interners[d.rawValue].strings[Int(id)]
        if cube.accountNames[idText] == nil { cube.accountNames[idText] = name }
    }

    /// Adds one line item's (or rollup row's) measures to its daily cell.
    @inline(__always)
    mutating func add(daily key: CubeKey, _ m: CostMeasures) { daily.add(key, m) }

    /// Adds to the month × resource cell of untagged cost.
    @inline(__always)
    mutating func add(untagged key: CubeKey, _ m: CostMeasures) { untagged.add(key, m) }

    /// Adds the summed cells to the cube, copies interned strings into its tables (indices
    /// already agree) and hands the complete cube over, moved out (not copied): the builder is
    /// spent after this.
    mutating func finish() -> CostCube {
        cube.daily.add(daily)
        cube.untaggedResources.add(untagged)
        daily = CubeCells()
        untagged = CubeCells()
        for d in Dimension.allCases where d != .tagProfile {
            cube.tables[d.rawValue] = interners[d.rawValue].strings
        }
        defer { cube = CostCube() }
        return cube
    }
}
