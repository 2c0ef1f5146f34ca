import Formats
import Glibc

/// A deterministic recursive file listing: regular files under `root`, as paths relative to it,
/// sorted by UTF-8 bytes so every machine sees the same order. Symlinks are followed, except a
/// directory link pointing at one of its own ancestors (a loop, listed in `loops`); a directory
/// already visited (same device and inode) is not entered twice.
struct DirectoryWalk {
    struct Entry: Equatable {
        var relativePath: String
        var size: Int
    }

    let root: String
    /// Called for directory names; return false to prune (e.g. ".git").
    var descendInto: (String) -> Bool = { _ in true }
    /// Directories not entered, with why: a symlink loop, or a directory already read by
    /// another path (so no file is emitted twice).
    private(set) var skippedDirectories: [(path: String, reason: String)] = []

    init(root: String, descendInto: @escaping (String) -> Bool = { _ in true }) {
        self.root = root
        self.descendInto = descendInto
    }

    mutating func files() throws -> [Entry] {
        var seen = Set<FileID>()
        var out: [Entry] = []
        guard let id = fileID(root), id.isDirectory else {
            throw ReaderError.cannotOpen(path: root, reason: "not a directory")
        }
        seen.insert(id)
        try walk(relative: "", into: &out, seen: &seen)
        return out.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
    }

    private mutating func walk(relative: String, into out: inout [Entry], seen: inout Set<FileID>) throws {
        let directory = relative.isEmpty ? root : root + "/" + relative
        // Sorted here too, so which of two paths to the same directory wins is deterministic.
        for name in try listDirectory(directory).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard let id = fileID(root + "/" + rel) else { continue }  // dangling symlink
            if id.isDirectory {
                guard descendInto(name) else { continue }
                if isLoop(directory: directory, name: name) {
                    skippedDirectories.append((rel, "symlink loop"))
                    continue
                }
                guard seen.insert(id).inserted else {
                    skippedDirectories.append((rel, "directory already read via another path"))
                    continue
                }
                try walk(relative: rel, into: &out, seen: &seen)
            } else if id.isRegular {
                out.append(Entry(relativePath: rel, size: id.size))
            }
        }
    }
}

/// A symlink whose target contains the directory holding it would recurse forever.
private func isLoop(directory: String, name: String) -> Bool {
    var info = stat()
    guard lstat(directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
          let target = realPath(directory + "/" + name), let here = realPath(directory) else { return false }
    return here == target || here.hasPrefix(target.hasSuffix("/") ? target : target + "/")
}

func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Identity of a file after following symlinks.
struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64
    var mode: UInt32
    var size: Int
    var isDirectory: Bool { mode & S_IFMT == S_IFDIR }
    var isRegular: Bool { mode & S_IFMT == S_IFREG }
    static func == (a: FileID, b: FileID) -> Bool { a.device == b.device && a.inode == b.inode }
    func hash(into h: inout Hasher) { h.combine(device); h.combine(inode) }
}

func fileID(_ path: String) -> FileID? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mode: UInt32(info.st_mode), size: Int(info.st_size))
}

/// Entry names of one directory, without "." and "..", in no particular order (Formats' listing,
/// with the readers' error type).
func listDirectory(_ path: String) throws -> [String] {
    do { return try Formats.listDirectory(path) } catch { throw ReaderError.cannotOpen(path: path, reason: error.message) }
}
