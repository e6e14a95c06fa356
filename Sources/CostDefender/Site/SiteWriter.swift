import Foundation

/// Writes a site into the output folder so that a reader never sees a half-written pack: the new
/// site is built in a sibling folder, then swapped in. If anything fails before the swap, the
/// previous output is untouched and the partial folder is removed.
public struct SiteWriter {
    public var output: String

    public init(output: String) { self.output = (output as NSString).standardizingPath }

    public func write(_ site: PackRenderer.Site) throws {
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
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw CostDefenderError.io(path: parentPath, message: "cannot write beside the output folder (\(error.localizedDescription)); check permissions or choose another --output")
        }
        do {
            for (path, content) in site.files {
                let full = (staging as NSString).appendingPathComponent(path)
                let dir = (full as NSString).deletingLastPathComponent
                if !fm.fileExists(atPath: dir) { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                guard fm.createFile(atPath: full, contents: Data(content.utf8)) else {
                    throw CostDefenderError.io(path: full, message: "cannot write the file (disk full or no permission?)")
                }
            }
            if fm.fileExists(atPath: output) {
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
