import Foundation

/// An output directory built under a temporary name beside it (`OUTPUT.tmp-XXXXXX`) and renamed into
/// place only when complete, so a reader never sees a half-written model and a failed run leaves
/// the old one as it was. An existing OUTPUT is refused unless `replacing`; then it is moved
/// aside, the new one renamed in, and the old one removed.
final class StagingDirectory {
    let destination: String
    let path: String
    private var committed = false

    init(for destination: String, replacing: Bool) throws {
        let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        self.destination = trimmed
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: trimmed, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ModelDirectoryError(path: trimmed, reason: .io("exists and is not a directory"))
            }
            guard replacing else { throw ModelDirectoryError(path: trimmed, reason: .outputExists) }
        }
        path = try Self.makeTemporary("\(trimmed).tmp-")
        // mkdtemp makes it private (0700); a model directory is as readable as any other output.
        chmod(path, 0o755)
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: path) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Renames the finished directory to the destination, replacing an old one.
    func commit() throws {
        let manager = FileManager.default
        var aside: String?
        if manager.fileExists(atPath: destination) {
            // rename(2) cannot replace a non-empty directory: move the old one out of the way first.
            let old = try Self.makeTemporary("\(destination).old-")
            try? manager.removeItem(atPath: old)
            try rename(destination, to: old)
            aside = old
        }
        do {
            try rename(path, to: destination)
        } catch {
            if let aside { try? rename(aside, to: destination) }
            throw error
        }
        committed = true
        if let aside { try? manager.removeItem(atPath: aside) }
    }

    private func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else {
            throw ModelDirectoryError(path: to, reason: .io("cannot rename \(from) to it: \(String(cString: strerror(errno)))"))
        }
    }

    /// A new, empty directory named `prefix` + six random characters (mkdtemp).
    private static func makeTemporary(_ prefix: String) throws -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ModelDirectoryError(path: prefix + "XXXXXX", reason: .io("cannot create directory: \(String(cString: strerror(errno)))"))
        }
        return String(cString: made)
    }
}
