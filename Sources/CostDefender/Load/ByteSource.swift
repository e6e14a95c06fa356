import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes: a plain file, or a gzip file inflated on the fly.
/// Memory use is a fixed buffer whatever the file size.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip), for progress.
    var bytesConsumed: Int { get }
}

public enum ByteSources {
    /// Opens `path`, inflating it when it starts with the gzip magic bytes.
    public static func open(_ path: String) throws -> ByteSource {
        let file = try FileByteSource(path: path)
        var magic = [UInt8](repeating: 0, count: 2)
        let n = try magic.withUnsafeMutableBytes { try file.pread(into: $0, at: 0) }
        if n == 2 && magic[0] == 0x1f && magic[1] == 0x8b { return try GzipByteSource(file: file) }
        return file
    }
}

/// Reads a file with POSIX `read(2)`.
public final class FileByteSource: ByteSource {
    let fd: Int32
    let path: String
    public private(set) var bytesConsumed = 0

    /// Opens `path` positioned at byte `offset`.
    public init(path: String, offset: Int = 0) throws {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw CostDefenderError.io(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 {
            close(fd)
            throw CostDefenderError.io(path: path, message: "cannot seek: \(String(cString: strerror(errno)))")
        }
    }

    /// The file's size in bytes.
    public var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { bytesConsumed += n; return n }
            if errno == EINTR { continue }
            throw CostDefenderError.io(path: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    func pread(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
        if n < 0 { throw CostDefenderError.io(path: path, message: "read failed: \(String(cString: strerror(errno)))") }
        return n
    }
}

/// Inflates a gzip file (one or several concatenated members) with zlib.
public final class GzipByteSource: ByteSource {
    private let file: FileByteSource
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var finished = false
    public var bytesConsumed: Int { file.bytesConsumed }

    init(file: FileByteSource) throws {
        self.file = file
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        // 15 + 32: a window of 2^15 and automatic gzip/zlib header detection.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK { throw CostDefenderError.io(path: file.path, message: "cannot start gzip decoder (zlib \(status))") }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let n = try file.read(into: input)
                if n == 0 {
                    if stream.total_in > 0 && stream.avail_out == uInt(buffer.count) && !finished {
                        // Input ended: either cleanly after a member, or truncated mid-member.
                    }
                    finished = true
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                // Another gzip member may follow (concatenated .gz files are valid gzip).
                if inflateReset(&stream) != Z_OK { finished = true; break }
                continue
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 { continue }
            if status != Z_OK {
                throw CostDefenderError.io(path: file.path, message: "corrupt gzip data (zlib \(status)); re-download or re-export the file")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}
