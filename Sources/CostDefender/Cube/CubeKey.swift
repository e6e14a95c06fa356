/// The dimensions a cube cell is keyed by, packed in one SIMD vector so hashing and equality are
/// cheap on the ingest hot path. Each dimension slot is an index into the cube's table for that
/// dimension (`CostCube.values(of:)`), where index 0 is always null/empty. `time` is a `Day.index`
/// for daily cells and a month ordinal for resource cells.
public struct CubeKey: Hashable, Sendable {
    public var storage = SIMD16<Int32>(repeating: 0)

    public init(time: Int32) { storage[15] = time }

    @inline(__always)
    public subscript(_ d: Dimension) -> Int32 {
        get { storage[d.rawValue] }
        set { storage[d.rawValue] = newValue }
    }

    public var time: Int32 {
        get { storage[15] }
        set { storage[15] = newValue }
    }

    /// The 64 bytes folded into one well-mixed word (a fixed function of the key).
    @inline(__always)
    public var folded: UInt64 { words.folded }

    /// Eight word compares folded into one test; the synthesised `==` compares the sixteen lanes
    /// one at a time through memory (about 290 instructions a call in callgrind, against ~20).
    @inline(__always)
    public static func == (a: CubeKey, b: CubeKey) -> Bool { a.words.sameWords(b.words) }

    /// One `combine` of the folded key instead of sixteen; `Hasher` stays seeded, so dictionary
    /// order is still not guessable.
    @inline(__always)
    public func hash(into hasher: inout Hasher) { hasher.combine(folded) }
}

/// The dimensions of the cost cube, in key order.
public enum Dimension: Int, CaseIterable, Sendable, Codable {
    case provider, billingAccount, subAccount, service, serviceCategory, region
    case chargeCategory, chargeClass, chargeFrequency, pricingCategory
    case commitmentDiscount, commitmentStatus, currency
    /// `ResourceId`: set on resource cells (untagged cost by month) and, on daily cells, only for
    /// the resources a ledger scope names (`FOCUSReader.trackedResources`); 0 otherwise.
    case resource
    /// Index into `CostCube.tagProfiles` rather than a string table.
    case tagProfile
}

/// The tags of a line item that matter to allocation, compliance and scopes: the configured tag
/// keys (lowercased) with their values, sorted by key. Other tags are not kept.
public struct TagProfile: Hashable, Sendable {
    public var tags: [String: String]
    /// Whether the Tags cell could not be read as a JSON object.
    public var malformed: Bool

    public init(tags: [String: String] = [:], malformed: Bool = false) {
        self.tags = tags; self.malformed = malformed
    }

    public static let empty = TagProfile()
}
