/// Loads a Hugging Face `tokenizer.json` (BPE models: byte-level and SentencePiece-style).
extension Tokenizer {
    public convenience init(tokenizerJSON bytes: [UInt8], source: String, config: TokenizerConfig? = nil) throws {
        let root = try JSONParser.parse(bytes, source: source)
        let r = JSONReader(file: source)
        _ = try r.object(root, "$")

        let preTokenizer = try root["pre_tokenizer"].flatMap { $0.isNull ? nil : try parsePreTokenizer($0, "pre_tokenizer", r) }
        let decoder = try root["decoder"].flatMap { $0.isNull ? nil : try parseDecoder($0, "decoder", r) }
        let normalizer = try root["normalizer"].flatMap { $0.isNull ? nil : try parseNormalizer($0, "normalizer", r) }

        let modelJSON = root["model"]
        _ = try r.object(modelJSON, "model")  // a clear error when "model" is missing or not an object
        let modelType = try r.optionalString(modelJSON?["type"], "model.type") ?? "BPE"
        guard modelType == "BPE" else {
            throw r.fail("model.type", "model '\(modelType)' is not supported (only BPE: GPT-2, Llama, Qwen2, Mistral families)")
        }
        for unsupported in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = modelJSON?[unsupported], !v.isNull, v.string != "" {
                throw r.fail("model.\(unsupported)", "is not supported")
            }
        }
        var vocab: [(String, TokenID)] = []
        let vocabObject = try r.object(modelJSON?["vocab"], "model.vocab")
        vocab.reserveCapacity(vocabObject.count)
        for (key, value) in vocabObject { vocab.append((key, try r.tokenID(value, "model.vocab[\"\(key)\"]"))) }
        var merges: [MergeSpelling] = []
        let mergesArray = try r.array(modelJSON?["merges"] ?? .array([]), "model.merges")
        merges.reserveCapacity(mergesArray.count)
        for (i, merge) in mergesArray.enumerated() {
            if let s = merge.string {
                guard let merge = MergeSpelling(joined: s) else {
                    throw r.fail("model.merges[\(i)]", "'\(s)' is not two tokens separated by one space")
                }
                merges.append(merge)
            } else if let pair = merge.array, pair.count == 2, let a = pair[0].string, let b = pair[1].string {
                merges.append(MergeSpelling(left: a, right: b))
            } else {
                throw r.fail("model.merges[\(i)]", "expected \"a b\" or [\"a\", \"b\"]")
            }
        }
        let byteLevel = preTokenizer?.containsByteLevel ?? false || decoder?.containsByteLevel ?? false
        let model = try BPEModel(
            file: source, alphabet: byteLevel ? .bytes : .scalars, vocab: vocab, merges: merges,
            unknownToken: try r.optionalString(modelJSON?["unk_token"], "model.unk_token"),
            fuseUnknown: try r.bool(modelJSON?["fuse_unk"], "model.fuse_unk", default: false),
            byteFallback: try r.bool(modelJSON?["byte_fallback"], "model.byte_fallback", default: false),
            ignoreMerges: try r.bool(modelJSON?["ignore_merges"], "model.ignore_merges", default: false))

        var added: [AddedToken] = []
        for (i, item) in try r.array(root["added_tokens"] ?? .array([]), "added_tokens").enumerated() {
            let p = "added_tokens[\(i)]"
            added.append(AddedToken(
                id: try r.tokenID(item["id"], p + ".id"), content: try r.string(item["content"], p + ".content"),
                special: try r.bool(item["special"], p + ".special", default: false),
                singleWord: try r.bool(item["single_word"], p + ".single_word", default: false),
                lstrip: try r.bool(item["lstrip"], p + ".lstrip", default: false),
                rstrip: try r.bool(item["rstrip"], p + ".rstrip", default: false),
                normalized: try r.bool(item["normalized"], p + ".normalized", default: false)))
        }
        // Added tokens before the vocabulary, the last of repeated ones (no 128K-entry dictionary for a few lookups).
        let idOf = { (text: String) in added.last { $0.content == text }?.id ?? model.id(ofSpelling: text) }
        let post = try root["post_processor"].flatMap { $0.isNull ? nil : try parsePostProcessor($0, "post_processor", r, idOf) }
            ?? PostProcessor.none
        let bos = config?.bosToken.flatMap(idOf) ?? post.prefixToken
        let eos = config?.eosToken.flatMap(idOf)
        self.init(source: source, model: model, normalizer: normalizer, preTokenizer: preTokenizer,
                  postProcessor: post, decoder: decoder, addedTokens: added, bosTokenID: bos, eosTokenID: eos)
    }
}

extension PreTokenizer {
    var containsByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .sequence(let steps): return steps.contains { $0.containsByteLevel }
        default: return false
        }
    }
}

extension Decoder {
    var containsByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .sequence(let steps): return steps.contains { $0.containsByteLevel }
        default: return false
        }
    }
}

extension PostProcessor {
    var prefixToken: TokenID? {
        switch self {
        case .template(let prefix, _): return prefix.first
        case .sequence(let steps): return steps.lazy.compactMap(\.prefixToken).first
        case .none: return nil
        }
    }
}

/// Metaspace's `prepend_scheme`, or the older `add_prefix_space` flag it replaced.
private func prependScheme(_ value: JSONValue, _ path: String, _ r: JSONReader) throws -> PreTokenizer.PrependScheme {
    if let name = value["prepend_scheme"]?.string {
        guard let scheme = PreTokenizer.PrependScheme(rawValue: name), scheme != .unconditional else {
            throw r.fail(path + ".prepend_scheme", "unknown '\(name)'")
        }
        return scheme
    }
    if let addPrefix = value["add_prefix_space"]?.bool { return addPrefix ? .always : .never }
    return .always
}

private func parsePattern(_ value: JSONValue?, _ path: String, _ r: JSONReader) throws -> SplitPattern {
    if let regex = value?["Regex"]?.string {
        do { return .regex(try PretokenPattern(regex)) } catch { throw r.fail(path + ".Regex", "\(error)") }
    }
    if let literal = value?["String"]?.string { return .literal(Array(literal.utf8)) }
    throw r.fail(path, "expected {\"Regex\": ...} or {\"String\": ...}")
}

/// Character-class pre-tokenizers expressed as the equivalent regex split.
private func classSplit(_ regex: String, _ behavior: SplitBehavior, invert: Bool = false) -> PreTokenizer {
    .split(.regex(try! PretokenPattern(regex)), behavior, invert: invert)
}

private func parsePreTokenizer(_ value: JSONValue, _ path: String, _ r: JSONReader) throws -> PreTokenizer {
    switch try r.type(value, path) {
    case "Sequence":
        return .sequence(try r.array(value["pretokenizers"], path + ".pretokenizers").enumerated().map {
            try parsePreTokenizer($1, "\(path).pretokenizers[\($0)]", r)
        })
    case "Split":
        let behaviorName = try r.string(value["behavior"], path + ".behavior")
        guard let behavior = SplitBehavior(rawValue: behaviorName) else {
            throw r.fail(path + ".behavior", "unknown behavior '\(behaviorName)'")
        }
        return .split(try parsePattern(value["pattern"], path + ".pattern", r), behavior,
                      invert: try r.bool(value["invert"], path + ".invert", default: false))
    case "ByteLevel":
        return .byteLevel(addPrefixSpace: try r.bool(value["add_prefix_space"], path + ".add_prefix_space", default: true),
                          useRegex: try r.bool(value["use_regex"], path + ".use_regex", default: true))
    case "Metaspace":
        let replacement = try r.string(value["replacement"] ?? .string("▁"), path + ".replacement")
        let scheme = try prependScheme(value, path, r)
        return .metaspace(replacement: Array(replacement.utf8), prependScheme: scheme,
                          split: try r.bool(value["split"], path + ".split", default: true))
    case "Digits":
        let individual = try r.bool(value["individual_digits"], path + ".individual_digits", default: false)
        return classSplit(#"\p{N}"#, individual ? .isolated : .contiguous)
    case "Whitespace":
        return classSplit(#"\w+|[^\w\s]+"#, .removed, invert: true)
    case "WhitespaceSplit":
        return classSplit(#"\s+"#, .removed)
    case "Punctuation":
        let name = try r.optionalString(value["behavior"], path + ".behavior") ?? "Isolated"
        guard let behavior = SplitBehavior(rawValue: name) else { throw r.fail(path + ".behavior", "unknown behavior '\(name)'") }
        return classSplit(#"[\p{P}$+<=>^`|~]"#, behavior)
    case "BertPreTokenizer":
        return .sequence([classSplit(#"\s+"#, .removed), classSplit(#"[\p{P}$+<=>^`|~]"#, .isolated)])
    case "CharDelimiterSplit":
        let delimiter = try r.string(value["delimiter"], path + ".delimiter")
        return .split(.literal(Array(delimiter.utf8)), .removed, invert: false)
    case let other:
        throw r.fail(path + ".type", "pre-tokenizer '\(other)' is not supported")
    }
}

private func parseNormalizer(_ value: JSONValue, _ path: String, _ r: JSONReader) throws -> Normalizer {
    switch try r.type(value, path) {
    case "Sequence":
        return .sequence(try r.array(value["normalizers"], path + ".normalizers").enumerated().map {
            try parseNormalizer($1, "\(path).normalizers[\($0)]", r)
        })
    case "NFC": return .nfc
    case "NFD": return .nfd
    case "NFKC": return .nfkc
    case "NFKD": return .nfkd
    case "Lowercase": return .lowercase
    case "StripAccents": return .stripAccents
    case "Strip":
        return .strip(left: try r.bool(value["strip_left"], path + ".strip_left", default: true),
                      right: try r.bool(value["strip_right"], path + ".strip_right", default: true))
    case "Replace":
        return .replace(try parsePattern(value["pattern"], path + ".pattern", r),
                        with: Array(try r.string(value["content"], path + ".content").utf8))
    case "Prepend":
        return .prepend(try r.string(value["prepend"], path + ".prepend"))
    case "BertNormalizer":
        let lowercase = try r.bool(value["lowercase"], path + ".lowercase", default: true)
        return .bert(cleanText: try r.bool(value["clean_text"], path + ".clean_text", default: true),
                     handleChineseChars: try r.bool(value["handle_chinese_chars"], path + ".handle_chinese_chars", default: true),
                     stripAccents: try r.bool(value["strip_accents"], path + ".strip_accents", default: lowercase),
                     lowercase: lowercase)
    case let other:
        throw r.fail(path + ".type", "normalizer '\(other)' is not supported")
    }
}

private func parseDecoder(_ value: JSONValue, _ path: String, _ r: JSONReader) throws -> Decoder {
    switch try r.type(value, path) {
    case "Sequence":
        return .sequence(try r.array(value["decoders"], path + ".decoders").enumerated().map {
            try parseDecoder($1, "\(path).decoders[\($0)]", r)
        })
    case "ByteLevel": return .byteLevel
    case "ByteFallback": return .byteFallback
    case "Fuse": return .fuse
    case "Metaspace":
        let replacement = try r.string(value["replacement"] ?? .string("▁"), path + ".replacement")
        guard replacement.unicodeScalars.count == 1, let c = replacement.unicodeScalars.first else {
            throw r.fail(path + ".replacement", "expected one character")
        }
        let scheme = try prependScheme(value, path, r)
        return .metaspace(replacement: c, prependScheme: scheme)
    case "Replace":
        return .replace(try parsePattern(value["pattern"], path + ".pattern", r), with: try r.string(value["content"], path + ".content"))
    case "Strip":
        let content = try r.string(value["content"], path + ".content")
        guard content.unicodeScalars.count == 1, let c = content.unicodeScalars.first else {
            throw r.fail(path + ".content", "expected one character")
        }
        return .strip(content: c, start: try r.int(value["start"], path + ".start"), stop: try r.int(value["stop"], path + ".stop"))
    case "WordPiece":
        return .wordPiece(prefix: try r.optionalString(value["prefix"], path + ".prefix") ?? "##",
                          cleanup: try r.bool(value["cleanup"], path + ".cleanup", default: true))
    case "BPEDecoder":
        return .bpe(suffix: try r.optionalString(value["suffix"], path + ".suffix") ?? "</w>")
    case let other:
        throw r.fail(path + ".type", "decoder '\(other)' is not supported")
    }
}

private func parsePostProcessor(_ value: JSONValue, _ path: String, _ r: JSONReader,
                                _ ids: (String) -> TokenID?) throws -> PostProcessor {
    func idOf(_ token: String, _ p: String) throws -> TokenID {
        guard let id = ids(token) else { throw r.fail(p, "token '\(token)' is not in the vocabulary") }
        return id
    }
    switch try r.type(value, path) {
    case "Sequence":
        return .sequence(try r.array(value["processors"], path + ".processors").enumerated().map {
            try parsePostProcessor($1, "\(path).processors[\($0)]", r, ids)
        })
    case "ByteLevel":
        return .none  // only adjusts offsets
    case "TemplateProcessing":
        var prefix: [TokenID] = [], suffix: [TokenID] = []
        var seenSequence = false
        let specials = value["special_tokens"]
        for (i, item) in try r.array(value["single"], path + ".single").enumerated() {
            let p = "\(path).single[\(i)]"
            if item["Sequence"] != nil {
                seenSequence = true
            } else if let special = item["SpecialToken"] {
                let name = try r.string(special["id"], p + ".SpecialToken.id")
                let tokenIDs: [TokenID]
                if let entry = specials?[name] {
                    tokenIDs = try r.array(entry["ids"], "\(path).special_tokens[\"\(name)\"].ids").map {
                        try r.tokenID($0, "\(path).special_tokens[\"\(name)\"].ids")
                    }
                } else {
                    tokenIDs = [try idOf(name, p)]
                }
                if seenSequence { suffix += tokenIDs } else { prefix += tokenIDs }
            } else {
                throw r.fail(p, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}")
            }
        }
        return .template(prefix: prefix, suffix: suffix)
    case "RobertaProcessing", "BertProcessing":
        let cls = try r.array(value["cls"], path + ".cls"), sep = try r.array(value["sep"], path + ".sep")
        guard cls.count == 2, sep.count == 2 else { throw r.fail(path, "cls and sep must be [token, id] pairs") }
        return .template(prefix: [try r.tokenID(cls[1], path + ".cls[1]")], suffix: [try r.tokenID(sep[1], path + ".sep[1]")])
    case let other:
        throw r.fail(path + ".type", "post-processor '\(other)' is not supported")
    }
}
