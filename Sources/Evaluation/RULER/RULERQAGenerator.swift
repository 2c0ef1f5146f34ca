/// QA (scripts/data/synthetic/qa.py): the question's gold documents among distractors (for SQuAD, first the other
/// paragraphs of its article, then random ones), as "Document i:\n..." blocks. Sample i asks question i of the
/// file (as RULER does, wrapping around when there are fewer); the search probes question 0. Units are documents.
struct RULERQAGenerator: RULERGenerator {
    let data: RULERQAData
    let seed: UInt64

    var unitName: String { "documents" }
    var incremental: Int { 10 }
    var minimumUnits: Int { data.questions[0].gold.count }

    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
        let q = data.questions[sampleIndex % data.questions.count]
        let total = data.documents.count
        let wanted = max(units, q.gold.count)
        var picked: [Int]
        if wanted < total {
            if wanted - q.gold.count > q.sameArticle.count {
                let taken = Set(q.gold + q.sameArticle)
                let others = (0..<total).filter { !taken.contains($0) }
                picked = q.gold + q.sameArticle + random.sample(wanted - q.gold.count - q.sameArticle.count, of: others)
            } else {
                picked = q.gold + random.sample(wanted - q.gold.count, of: q.sameArticle)
            }
        } else {
            // More documents than the file has: all of them, repeated as needed.
            picked = (0..<wanted).map { $0 % total }
        }
        // RULER shuffles with a fresh Random(seed): documents of the same count keep the same order.
        RULERRandom.fixedShuffle(&picked, seed: seed, purpose: "qa-documents")
        let context = picked.enumerated().map {
            RULERTemplates.format(RULERTemplates.qaDocument, ["i": String($0.offset + 1), "document": data.documents[$0.element]])
        }.joined(separator: "\n\n")
        let text = RULERTemplates.format(RULERTemplates.qa + RULERTemplates.qaAnswerPrefix,
                                         ["context": context, "query": q.query])
        let goldPositions = picked.indices.filter { q.gold.contains(picked[$0]) }.map { String($0 + 1) }
        return RULERPrompt(
            text: text,
            answerPrefix: RULERTemplates.answerPrefix(of: text, rawPrefix: RULERTemplates.qaAnswerPrefix),
            answers: q.answers,
            depth: goldPositions.count == 1 && picked.count > 1
                ? 100 * Double(Int(goldPositions[0])! - 1) / Double(picked.count - 1) : nil,
            fields: ["question": q.query, "gold_documents": goldPositions.joined(separator: ",")])
    }
}
