import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain POSIX create-write-close of a whole file, for files nobody reads until the writer has
/// finished with them (a staging folder, a cache entry renamed into place afterwards): the
/// atomic writes Foundation does, through a temporary file and a copy into `Data`, would only
/// cost time. Errors are `CostDefenderError.io`.
enum PlainFile {
    /// Creates or truncates `path` and writes `bytes` to it.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        try write(to: path) { append in try append(bytes) }
    }

    /// Creates or truncates `path`; `content` gets a function that appends bytes to it, so a
    /// large file can be written in pieces without ever being whole in memory.
    static func write(to path: String, _ content: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CostDefenderError.io(path: path, message: "cannot create the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try content { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CostDefenderError.io(path: path, message: "cannot write the file (\(String(cString: strerror(errno)))); is the disk full?")
                }
                offset += n
            }
        }
    }
}
