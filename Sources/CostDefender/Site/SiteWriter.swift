import CSystemShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a site into the output folder so that a reader never sees a half-written pack: the new
/// site is built in a sibling folder, then swapped in with one atomic exchange (Linux
/// renameat2), so a build killed at any moment leaves either the previous pack or the new one. If
/// anything fails before the swap, the previous output is untouched and the partial folder is
/// removed; a leftover `.building-<pid>` folder from a killed build is harmless.
public struct SiteWriter {
    public var output: String

    public init(output: String) { self.output = (output as NSString).standardizingPath }

    /// The staging folder is private until the swap, so its files are written plainly.
    static func writeFile(_ path: String, _ content: String) throws {
        var text = content
        try text.withUTF8 { try PlainFile.write(UnsafeRawBufferPointer($0), to: path) }
    }

    /// The private folder a new site is written into before the swap. Parts of the site may be
    /// written from several threads at once (each path belongs to one part); after the first
    /// failure every later `write` throws too, so the build stops and nothing is swapped in.
    public final class Staging: @unchecked Sendable {
        public let path: String
        private let lock = NSLock()
        private var failure: Error?

        init(path: String) { self.path = path }

        /// Writes every file of `part` (creating its folders) under the staging folder.
        public func write(_ part: PackRenderer.Site) throws {
            if let failure = firstFailure { throw failure }
            do {
                var made = Set<Substring>()
                for file in part.files {
                    if let slash = file.path.lastIndex(of: "/") {
                        let folder = file.path[..<slash]
                        if made.insert(folder).inserted { try makeFolders(folder) }
                    }
                    try SiteWriter.writeFile(path + "/" + file.path, file.content)
                }
            } catch {
                lock.lock(); if failure == nil { failure = error }; lock.unlock()
                throw error
            }
        }

        private var firstFailure: Error? { lock.lock(); defer { lock.unlock() }; return failure }

        /// `relative` and each of its parents under the staging folder; existing ones are fine
        /// (another thread may have made a shared parent a moment ago).
        private func makeFolders(_ relative: Substring) throws {
            var end = relative.startIndex
            while end < relative.endIndex {
                end = relative[relative.index(after: end)...].firstIndex(of: "/") ?? relative.endIndex
                let folder = path + "/" + relative[..<end]
                if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                    throw CostDefenderError.io(path: folder, message: "cannot create the folder: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// Removes `<output>.building-<pid>` and `.previous-<pid>` folders of builds that were killed
    /// (their process is gone); a running build's folders are left alone.
    func removeLeftovers(in parent: String) {
        let base = (output as NSString).lastPathComponent
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
            for marker in [".building-", ".previous-"] where name.hasPrefix(base + marker) {
                guard let pid = Int32(name.dropFirst(base.count + marker.count)), pid > 0 else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(name)) }
            }
        }
    }

    /// Writes a whole site and swaps it in (see `write(beforeSwap:content:)`).
    public func write(_ site: PackRenderer.Site, beforeSwap: (String) throws -> Void = { _ in }) throws {
        try write(beforeSwap: beforeSwap) { staging in try staging.write(site) }
    }

    /// Makes the staging folder, lets `content` write the site into it (in parts, from any
    /// threads, while they are still being made), then swaps it in. `beforeSwap` runs on the
    /// complete staging folder (its path is passed) just before the swap, to add files made from
    /// the written ones (the PDFs); when it or `content` throws, nothing is swapped and the
    /// previous output stays.
    public func write(beforeSwap: (String) throws -> Void = { _ in }, content: (Staging) throws -> Void) throws {
        let fm = FileManager.default
        let parent = (output as NSString).deletingLastPathComponent
        let parentPath = parent.isEmpty ? "." : parent
        var isDir: ObjCBool = false
        if !fm.fileExists(atPath: parentPath, isDirectory: &isDir) {
            do { try fm.createDirectory(atPath: parentPath, withIntermediateDirectories: true) } catch {
                throw CostDefenderError.io(path: parentPath, message: "cannot create the output's parent folder: \(error.localizedDescription)")
            }
        }
        if fm.fileExists(atPath: output, isDirectory: &isDir), !isDir.boolValue {
            throw CostDefenderError.io(path: output, message: "the output path is a file, not a folder; choose another --output")
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = output + ".building-\(pid)"
        let previous = output + ".previous-\(pid)"
        try? fm.removeItem(atPath: staging)
        removeLeftovers(in: parentPath)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw CostDefenderError.io(path: parentPath, message: "cannot write beside the output folder (\(error.localizedDescription)); check permissions or choose another --output")
        }
        do {
            try content(Staging(path: staging))
            try beforeSwap(staging)
            if fm.fileExists(atPath: output), costdefender_exchange_paths(staging, output) == 0 {
                // Swapped in one atomic step: the old pack is now at `staging`.
                try? fm.removeItem(atPath: staging)
            } else if fm.fileExists(atPath: output) {
                // No atomic exchange here (not Linux, or the file system lacks it): two renames.
                try fm.moveItem(atPath: output, toPath: previous)
                do { try fm.moveItem(atPath: staging, toPath: output) } catch {
                    try? fm.moveItem(atPath: previous, toPath: output)
                    throw error
                }
                try? fm.removeItem(atPath: previous)
            } else {
                try fm.moveItem(atPath: staging, toPath: output)
            }
        } catch {
            try? fm.removeItem(atPath: staging)
            if let e = error as? CostDefenderError { throw e }
            throw CostDefenderError.io(path: output, message: "writing the pack failed, the previous output is unchanged: \(error.localizedDescription)")
        }
    }
}
