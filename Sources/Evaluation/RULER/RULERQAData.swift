import Formats
import Tokenization

/// A QA file read as RULER's qa.py reads it: every distinct document once, sorted (by code point, as Python
/// sorts), and the questions in file order with their gold documents (and, for SQuAD, the other paragraphs of
/// the same article, used first as distractors).
struct RULERQAData: Sendable {
    struct Question: Sendable {
        var query: String
        var answers: [String]
        var gold: [Int]
        var sameArticle: [Int]
    }

    var documents: [String]
    var questions: [Question]

    init(path: String, dataset: RULERTask.QADataset) throws {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch { throw EvalTaskError(error.description) }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes, source: path) } catch { throw EvalTaskError(error.description) }
        switch dataset {
        case .squad: try self.init(squad: json, path: path)
        case .hotpotqa: try self.init(hotpot: json, path: path)
        }
        guard !questions.isEmpty else { throw EvalTaskError("\(path): no answerable questions") }
    }

    /// SQuAD v2: `data[].paragraphs[].{context, qas[].{question, answers[].text, is_impossible}}`. Questions marked
    /// impossible are skipped; a missing `is_impossible` (SQuAD v1) counts as answerable.
    private init(squad json: JSONValue, path: String) throws {
        guard let articles = json["data"]?.array else { throw EvalTaskError("\(path): no \"data\" list (not SQuAD json)") }
        var contexts: [String] = []
        for (a, article) in articles.enumerated() {
            for (p, paragraph) in (article["paragraphs"]?.array ?? []).enumerated() {
                guard let context = paragraph["context"]?.string else {
                    throw EvalTaskError("\(path): data[\(a)].paragraphs[\(p)] has no \"context\" string")
                }
                contexts.append(context)
            }
        }
        let (documents, index) = Self.sortedUnique(contexts)
        var questions: [Question] = []
        for (a, article) in articles.enumerated() {
            let paragraphs = article["paragraphs"]?.array ?? []
            let articleDocs = paragraphs.compactMap { $0["context"]?.string }.map { index[$0]! }
            for (p, paragraph) in paragraphs.enumerated() {
                let doc = index[paragraph["context"]!.string!]!
                for (q, qa) in (paragraph["qas"]?.array ?? []).enumerated() {
                    let at = "data[\(a)].paragraphs[\(p)].qas[\(q)]"
                    if qa["is_impossible"]?.bool == true { continue }
                    guard let question = qa["question"]?.string else {
                        throw EvalTaskError("\(path): \(at) has no \"question\" string")
                    }
                    let answers = (qa["answers"]?.array ?? []).compactMap { $0["text"]?.string }
                    guard !answers.isEmpty else { throw EvalTaskError("\(path): \(at) is answerable but has no answers[].text") }
                    questions.append(Question(query: question, answers: answers, gold: [doc],
                                              sameArticle: articleDocs.filter { $0 != doc }))
                }
            }
        }
        self.documents = documents
        self.questions = questions
    }

    /// HotpotQA dev: a list of `{question, answer, context: [[title, [sentence, ...]], ...]}`; a document is
    /// "title\n" + the sentences joined with nothing, as qa.py writes it.
    private init(hotpot json: JSONValue, path: String) throws {
        guard let items = json.array else { throw EvalTaskError("\(path): expected a list of questions (HotpotQA json)") }
        var perItem: [[String]] = []
        for (i, item) in items.enumerated() {
            guard let context = item["context"]?.array else { throw EvalTaskError("\(path): [\(i)] has no \"context\" list") }
            var docs: [String] = []
            for (c, entry) in context.enumerated() {
                guard let pair = entry.array, pair.count == 2, let title = pair[0].string,
                      let sentences = pair[1].array?.compactMap({ $0.string }) else {
                    throw EvalTaskError("\(path): [\(i)].context[\(c)] is not [title, [sentences]]")
                }
                docs.append(title + "\n" + sentences.joined())
            }
            perItem.append(docs)
        }
        let (documents, index) = Self.sortedUnique(perItem.flatMap { $0 })
        var questions: [Question] = []
        for (i, item) in items.enumerated() {
            guard let question = item["question"]?.string, let answer = item["answer"]?.string else {
                throw EvalTaskError("\(path): [\(i)] needs \"question\" and \"answer\" strings")
            }
            questions.append(Question(query: question, answers: [answer], gold: perItem[i].map { index[$0]! }, sameArticle: []))
        }
        self.documents = documents
        self.questions = questions
    }

    /// `sorted(set(docs))` with Python's code-point order, and each document's position.
    private static func sortedUnique(_ docs: [String]) -> ([String], [String: Int]) {
        let unique = Array(Set(docs)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        var index: [String: Int] = [:]
        for (i, d) in unique.enumerated() { index[d] = i }
        return (unique, index)
    }
}
