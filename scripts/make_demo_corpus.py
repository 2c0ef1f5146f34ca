#!/usr/bin/env python3
"""Assembles the built-in demo corpus from text every CPython ships, so `recipes/demo.yaml` runs
on any machine with no download:
  code/   ~25 standard-library packages, each a directory = one code repository (symlinks)
  docs/   the reference-manual topics of pydoc_data, one jsonl line each (short documents), zstd-compressed
  books/  one "book" per standard-library package: its module docstrings as chapters (text tree, grouped)
Usage: make_demo_corpus.py OUT_DIR"""
import ast, json, os, sys, sysconfig, subprocess

PACKAGES = ["asyncio", "email", "json", "http", "unittest", "logging", "xml", "importlib", "concurrent",
            "multiprocessing", "sqlite3", "urllib", "ctypes", "curses", "dbm", "html", "tomllib", "wsgiref",
            "zoneinfo", "collections", "re", "encodings", "lib2to3", "pydoc_data", "idlelib"]

def main(out):
    stdlib = sysconfig.get_paths()["stdlib"]
    os.makedirs(f"{out}/code", exist_ok=True)
    for name in PACKAGES:
        src, dst = os.path.join(stdlib, name), os.path.join(out, "code", name)
        if os.path.isdir(src) and not os.path.lexists(dst):
            os.symlink(src, dst)
    from pydoc_data.topics import topics
    os.makedirs(f"{out}/docs", exist_ok=True)
    lines = [json.dumps({"text": topics[k], "topic": k}) for k in sorted(topics)]
    raw = ("\n".join(lines) + "\n").encode()
    with open(f"{out}/docs/topics.jsonl.zst", "wb") as f:
        f.write(subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE, check=True).stdout)
    for name in PACKAGES:
        root = os.path.join(stdlib, name)
        if not os.path.isdir(root):
            continue
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                if not file.endswith(".py"):
                    continue
                try:
                    doc = ast.get_docstring(ast.parse(open(os.path.join(dirpath, file), encoding="utf-8").read()))
                except (SyntaxError, UnicodeDecodeError, ValueError):
                    continue
                if doc and len(doc) > 200:
                    chapter = os.path.join(out, "books", name, os.path.relpath(os.path.join(dirpath, file), root) + ".txt")
                    os.makedirs(os.path.dirname(chapter), exist_ok=True)
                    open(chapter, "w", encoding="utf-8").write(doc + "\n")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".demo/corpus")
