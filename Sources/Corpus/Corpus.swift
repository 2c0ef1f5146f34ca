import CCompression

/// Data engineering for long-context training: readers, mixtures, packing, MDS (issue 3).
public enum Corpus {
    /// The zstd library version linked in, e.g. "1.5.4".
    public static var zstdVersion: String { String(cString: ZSTD_versionString()) }
}
