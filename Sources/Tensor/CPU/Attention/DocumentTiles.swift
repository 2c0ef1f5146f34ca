/// Documents cut into tiles of `size` tokens, aligned to each document's first token, so causal masking touches only
/// the diagonal tiles and no tile straddles a document boundary.
struct DocumentTiles {
    static let size = 64

    let documents: [Document]
    /// Global index of each document's first tile (tiles of all documents numbered consecutively).
    let firstTile: [Int]
    let count: Int

    init(_ documents: [Document]) {
        self.documents = documents
        var first: [Int] = []
        var total = 0
        for document in documents {
            first.append(total)
            total += Self.tileCount(length: document.length)
        }
        firstTile = first
        count = total
    }

    static func tileCount(length: Int) -> Int { (length + size - 1) / size }

    func tileCount(document: Int) -> Int { Self.tileCount(length: documents[document].length) }

    /// First token (absolute) and token count of tile `tile` of document `document`.
    func tokens(document: Int, tile: Int) -> (start: Int, count: Int) {
        let doc = documents[document]
        let offset = tile * Self.size
        return (doc.start + offset, min(Self.size, doc.length - offset))
    }
}
