#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystemShims

/// Literal search and replace over UTF-8 bytes, for the renderer's passes over whole pages
/// (Foundation's `replacingOccurrences` goes through UTF-16 and was a seventh of a build's
/// instructions). Patterns are literal byte strings that start with an ASCII byte, so a match
/// never begins inside a multi-byte character and the result is valid UTF-8 whenever the input
/// and the replacements are.
public enum UTF8Replace {
    /// A span of the text to replace: `[start, end)` in bytes and its replacement.
    public struct Edit {
        public var start: Int
        public var end: Int
        public var replacement: String
    }

    /// The first offset ≥ `from` where `pattern` occurs in `bytes`, or nil.
    public static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !pattern.isEmpty, from <= bytes.count, bytes.count - from >= pattern.count else { return nil }
        // memmem, not memchr on the first byte: patterns often start with a space or `<`, which
        // a page is full of, and each such byte cost a call to memcmp.
        let base = bytes.baseAddress!
        guard let hit = pattern.withUnsafeBytes({ costdefender_find_bytes(base + from, bytes.count - from, $0.baseAddress!, pattern.count) }) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// `text` with every occurrence of each pattern replaced, scanning left to right; where two
    /// patterns match at the same offset the first listed wins.
    public static func replacingAll(in text: String, _ pairs: [(pattern: String, replacement: String)]) -> String {
        var text = text
        return text.withUTF8 { replacingAll(in: $0, pairs) }
    }

    /// `replacingAll` over UTF-8 bytes (valid UTF-8, e.g. a C library's output), read once.
    public static func replacingAll(in text: UnsafeBufferPointer<UInt8>, _ pairs: [(pattern: String, replacement: String)]) -> String {
        let patterns = pairs.map { Array($0.pattern.utf8) }
        return apply(to: text) { bytes in
            var edits: [Edit] = []
            var next = Array(repeating: Int?.none, count: patterns.count)
            for (k, p) in patterns.enumerated() { next[k] = find(p, in: bytes, from: 0) }
            while true {
                // The leftmost pending match.
                var best: Int?
                for k in patterns.indices { if let at = next[k], best.map({ at < next[$0]! }) ?? true { best = k } }
                guard let k = best, let at = next[k] else { return edits }
                let end = at + patterns[k].count
                edits.append(Edit(start: at, end: end, replacement: pairs[k].replacement))
                for j in patterns.indices where next[j].map({ $0 < end }) ?? false { next[j] = find(patterns[j], in: bytes, from: end) }
            }
        }
    }

    /// `text` with the non-overlapping spans that `edits` returns (in increasing order) replaced.
    public static func apply(to text: String, edits: (UnsafeBufferPointer<UInt8>) -> [Edit]) -> String {
        var text = text
        return text.withUTF8 { apply(to: $0, edits: edits) }
    }

    /// `apply` over UTF-8 bytes.
    public static func apply(to bytes: UnsafeBufferPointer<UInt8>, edits: (UnsafeBufferPointer<UInt8>) -> [Edit]) -> String {
        let list = edits(bytes)
        if list.isEmpty { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + list.reduce(0) { $0 + $1.replacement.utf8.count })
        var at = 0
        for e in list {
            precondition(e.start >= at && e.end >= e.start, "edits overlap or are out of order")
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<e.start]))
            out.append(contentsOf: e.replacement.utf8)
            at = e.end
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at...]))
        return String(decoding: out, as: UTF8.self)
    }
}
