import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's size and modification time from one `stat` call. Foundation's attribute dictionary
/// would also look up the owner's and group's names (reading the user and group databases) and
/// hands the numbers back as `Any`, to be cast: a cast that depends on Foundation's bridging
/// conformances being linked in, which a statically linked binary does not guarantee.
public struct FileStatus: Equatable, Sendable {
    public let size: Int
    /// Seconds since 1970, with the nanoseconds.
    public let modified: Double

    /// The status of `path` (following symbolic links), or nil when it cannot be had.
    public init?(path: String) {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        size = Int(s.st_size)
        modified = Double(s.st_mtim.tv_sec) + Double(s.st_mtim.tv_nsec) / 1e9
    }

    /// The size of `path` in bytes, or 0 when it cannot be had.
    public static func size(of path: String) -> Int { FileStatus(path: path)?.size ?? 0 }
}
