/// Reads the files of a git repository's HEAD (bare or not) with the git CLI: `ls-tree` for the
/// listing and one long-lived `cat-file --batch` for contents, so no checkout is needed.
final class GitRepository {
    struct Blob {
        var path: String
        var object: String
        var size: Int
        /// "100644", "100755", "120000" (symlink), ...
        var mode: String
    }

    let gitDir: String
    private var batch: Subprocess?
    private var batchOutput: PipeReader?

    init(gitDir: String) { self.gitDir = gitDir }

    /// Every blob reachable from HEAD, with its size (`-l`), in git's order.
    func blobs() throws -> [Blob] {
        let process = try Subprocess(["git", "--git-dir=" + gitDir, "ls-tree", "-r", "-z", "-l", "--full-tree", "HEAD"])
        process.closeInput()
        let reader = PipeReader(fd: process.stdoutFD)
        var out: [Blob] = []
        while let record = try reader.read(until: 0) {
            // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
            guard let tab = record.firstIndex(of: 9) else { continue }
            let fields = record[..<tab].split(separator: 32)
            guard fields.count == 4, String(decoding: fields[1], as: UTF8.self) == "blob" else { continue }
            out.append(Blob(path: String(decoding: record[(tab + 1)...], as: UTF8.self),
                            object: String(decoding: fields[2], as: UTF8.self),
                            size: Int(String(decoding: fields[3], as: UTF8.self)) ?? 0,
                            mode: String(decoding: fields[0], as: UTF8.self)))
        }
        let status = try process.wait()
        guard status == 0 else { throw ReaderError.git(repo: gitDir, message: "ls-tree HEAD exited with status \(status)") }
        return out
    }

    /// The bytes of one object via the shared `cat-file --batch` process.
    func contents(of object: String) throws -> [UInt8] {
        if batch == nil {
            let process = try Subprocess(["git", "--git-dir=" + gitDir, "cat-file", "--batch"])
            batch = process
            batchOutput = PipeReader(fd: process.stdoutFD)
        }
        guard let batch, let batchOutput, batch.write(Array((object + "\n").utf8)) else {
            throw ReaderError.git(repo: gitDir, message: "cat-file --batch is not accepting input")
        }
        // Reply: "<object> <type> <size>\n<bytes>\n" or "<object> missing\n".
        guard let header = try batchOutput.read(until: 10) else {
            throw ReaderError.git(repo: gitDir, message: "cat-file --batch ended early")
        }
        let fields = header.split(separator: 32)
        guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)),
              let body = try batchOutput.read(count: size + 1) else {
            throw ReaderError.git(repo: gitDir, message: "cat-file: \(String(decoding: header, as: UTF8.self))")
        }
        return Array(body.dropLast())
    }

    deinit {
        batch?.closeInput()
    }

    /// A bare repository (or a .git directory) has HEAD and objects/ at its top level.
    static func isGitDirectory(_ path: String) -> Bool {
        fileID(path + "/HEAD")?.isRegular == true && fileID(path + "/objects")?.isDirectory == true
    }
}
