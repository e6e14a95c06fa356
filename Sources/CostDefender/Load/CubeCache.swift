import Foundation

/// The cube of each FOCUS file, cached beside the output so that a monthly rebuild reads only the
/// files that changed.
///
/// Invariants: an entry is keyed by the file's content (`ContentHash`, 64 bits, and its size) and by a
/// fingerprint of everything that shapes a cube or its key — the tool version, the content hash's
/// definition (`ContentHash.scheme`), the tag keys kept, the team tag keys and the tracked
/// resources — so a changed file, a new version or a changed allocation config never reuses a
/// stale cube. To avoid reading unchanged files at all, the index remembers each path's size and
/// modification time with its content hash (and the hash's definition); when both still match,
/// the hash is taken from the index. A file that no entry has the size of cannot match one, so it
/// is not hashed before it is read but while it is read (`Plan.whileReading`). A cache that cannot
/// be read is ignored, never trusted.
public struct CubeCache: Sendable {
    public let folder: String
    public let fingerprint: String

    public struct Entry: Codable, Sendable {
        public var summary: FOCUSFileSummary
        public var diagnostics: [Diagnostic]
        public var suppressed: [String: Int]
    }

    /// `scheme` is `ContentHash.scheme` when the hash was made; an index written before it was
    /// recorded does not decode, and is ignored.
    struct IndexEntry: Codable { var size: Int; var modified: Double; var hash: String; var scheme = ContentHash.scheme }

    public init(folder: String, reader: FOCUSReader) {
        self.folder = folder
        let parts = ["v\(Pipeline.version)", "h\(ContentHash.scheme)", reader.relevantTagKeys.sorted().joined(separator: ","),
                     reader.teamTagKeys.sorted().joined(separator: ","), reader.trackedResources.sorted().joined(separator: ",")]
        fingerprint = Self.hex(Self.hash(Array(parts.joined(separator: "\u{1}").utf8)))
    }

    var indexPath: String { folder + "/index.json" }

    func loadIndex() -> [String: IndexEntry] {
        guard let data = FileManager.default.contents(atPath: indexPath),
              let index = try? JSONDecoder().decode([String: IndexEntry].self, from: data) else { return [:] }
        return index.filter { $0.value.scheme == ContentHash.scheme }
    }

    func saveIndex(_ index: [String: IndexEntry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(index) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: indexPath, contents: data)
    }

    /// How a file's content hash is had.
    enum Plan {
        /// Before reading: from the index, or hashed now because an entry of the same size exists.
        case hashed(String)
        /// While reading, because no entry has the file's size, so none can match.
        case whileReading(ContentHash.Collector, modified: Double)

        var hashing: ContentHash.Collector? {
            if case .whileReading(let c, _) = self { return c }
            return nil
        }
    }

    /// The sizes of the files this fingerprint's entries were made from: their stems end in
    /// `-<size>`. Listed once a build; sizes stored during the build are added by the caller.
    func entrySizes() -> Set<Int> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var sizes: Set<Int> = []
        for name in names where name.hasPrefix(fingerprint + "-") && name.hasSuffix(".cube") {
            let key = name.dropFirst(fingerprint.count + 1).dropLast(".cube".count)
            // Not a `.tmp-<pid>` file left by a build that stopped while storing.
            if !key.contains("."), let size = Self.size(ofKey: key) { sizes.insert(size) }
        }
        return sizes
    }

    /// The hash of `path` from the index, or made now when an entry of its size exists (a hit is
    /// possible), or else to be made while the file is read.
    func plan(_ path: String, index: inout [String: IndexEntry], entrySizes: Set<Int>) throws -> Plan {
        let (size, modified) = try Self.attributes(path)
        if let e = index[path], e.size == size, e.modified == modified { return .hashed(e.hash) }
        guard entrySizes.contains(size) else { return .whileReading(ContentHash.Collector(path: path, size: size), modified: modified) }
        let hash = Self.key(try ContentHash.of(path: path), size: size)
        index[path] = IndexEntry(size: size, modified: modified, hash: hash)
        return .hashed(hash)
    }

    /// The content hash once the file has been read: `plan`'s, or the one made while reading,
    /// which goes into the index. Nil when the file changed while it was read (its size or
    /// modification time): the cube may then be of neither version, so it is not stored.
    func contentHash(after plan: Plan, _ path: String, index: inout [String: IndexEntry]) throws -> String? {
        switch plan {
        case .hashed(let hash):
            return hash
        case .whileReading(let collector, let modified):
            let h = try collector.finish()
            guard let (size, now) = try? Self.attributes(path), size == collector.size, now == modified else { return nil }
            let hash = Self.key(h, size: size)
            index[path] = IndexEntry(size: size, modified: modified, hash: hash)
            return hash
        }
    }

    static func attributes(_ path: String) throws -> (size: Int, modified: Double) {
        guard let status = FileStatus(path: path) else { throw CostDefenderError.io(path: path, message: "cannot read the file's size and modification time") }
        return (status.size, status.modified)
    }

    /// An entry's content key: the hash and the size, so that stems end in `-<size>`.
    static func key(_ hash: UInt64, size: Int) -> String { hex(hash) + "-" + String(size) }
    static func size(ofKey key: some StringProtocol) -> Int? { key.split(separator: "-").last.flatMap { Int($0) } }

    func stem(_ contentHash: String) -> String { folder + "/" + fingerprint + "-" + contentHash }

    public func load(contentHash: String) -> (CostCube, Entry)? {
        let s = stem(contentHash)
        guard let cubeData = FileManager.default.contents(atPath: s + ".cube"),
              let metaData = FileManager.default.contents(atPath: s + ".json"),
              let entry = try? JSONDecoder().decode(Entry.self, from: metaData),
              let cube = CubeCodec.decode([UInt8](cubeData)) else { return nil }
        return (cube, entry)
    }

    /// Best effort: a cache that cannot be written only costs time on the next build.
    public func store(contentHash: String, cube: CostCube, entry: Entry) {
        let s = stem(contentHash)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let meta = try? JSONEncoder().encode(entry) else { return }
        // Write beside, then rename: a reader never sees half an entry.
        let tmp = s + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        // The encoded cube is ~170 bytes a cell: streamed to the file, never whole in memory.
        // A write that fails part-way (a full disk) leaves no half-written file behind.
        guard (try? PlainFile.write(to: tmp + ".cube") { append in try CubeCodec.encode(cube, to: append) }) != nil,
              FileManager.default.createFile(atPath: tmp + ".json", contents: meta) else {
            for part in [tmp + ".cube", tmp + ".json"] { try? FileManager.default.removeItem(atPath: part) }
            return
        }
        _ = rename(tmp + ".cube", s + ".cube")
        _ = rename(tmp + ".json", s + ".json")
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { ByteInterner.hash($0) } }
    static func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
}
