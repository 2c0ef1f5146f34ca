#!/usr/bin/env python3
"""Confirm the committed tokenizer goldens are current.

Re-derives every Tests/Fixtures/tokenizers/golden/<name>.json from the committed tokenizer
files and the assets (scripts/setup-assets.sh) with the reference libraries, and diffs the
result against the committed file. Nothing is written.

    .venv-ref/bin/python scripts/check_tokenizer_reference.py            # all goldens
    .venv-ref/bin/python scripts/check_tokenizer_reference.py --only deepseek
    .venv-ref/bin/python scripts/check_tokenizer_reference.py --retrain  # also retrain our
                                                # small tokenizers in a temp dir and compare

A golden whose input file or reference library is missing is SKIPPED (FAILED with
--strict). A reference version different from the one recorded in the golden is reported;
the ids are still compared. Exit status 0 when nothing failed.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_tokenizer_fixtures as M  # noqa: E402

REFERENCE_MODULE = {"tokenizer.json": "tokenizers", "tiktoken": "tiktoken", "gguf": "llama_cpp"}


def short(v, n=160) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "…"


def diff_lists(label: str, want: list, got: list, key_fields, out: list[str], limit=8) -> None:
    if len(want) != len(got):
        out.append(f"  {label}: {len(want)} committed vs {len(got)} re-derived")
    shown = 0
    for i, (w, g) in enumerate(zip(want, got)):
        if w == g:
            continue
        fields = [k for k in sorted(set(w) | set(g)) if w.get(k) != g.get(k)]
        head = ", ".join(f"{k}={short(w.get(k), 60)}" for k in key_fields if k in w)
        out.append(f"  {label}[{i}] ({head}) differs in {fields}")
        for k in fields:
            out.append(f"      committed {k}: {short(w.get(k))}")
            out.append(f"      now       {k}: {short(g.get(k))}")
        shown += 1
        if shown >= limit:
            rest = sum(1 for a, b in zip(want[i + 1 :], got[i + 1 :]) if a != b)
            if rest:
                out.append(f"  … and {rest} more differing {label}")
            break


def check_one(name: str, strict: bool) -> tuple[str, list[str]]:
    defn = M.GOLDENS[name]
    gpath = M.golden_path(name)
    if not gpath.exists():
        return "FAIL", [f"  {gpath} is missing (run make_tokenizer_fixtures.py --goldens)"]
    abspath, _ = M.resolve(defn["path"])
    if not abspath.exists():
        return ("FAIL" if strict else "SKIP"), [f"  input {abspath} missing (scripts/setup-assets.sh?)"]
    mod = REFERENCE_MODULE[defn["kind"]]
    try:
        importlib.import_module(mod)
    except Exception as e:  # noqa: BLE001
        return ("FAIL" if strict else "SKIP"), [f"  reference library {mod} unavailable: {e}"]
    committed = json.loads(gpath.read_text(encoding="utf-8"))
    now = json.loads(M.golden_to_text(M.build_golden(name)))
    out: list[str] = []
    if committed.get("reference") != now.get("reference"):
        out.append(f"  note: reference {committed.get('reference')!r} committed, {now.get('reference')!r} installed")
    for k in sorted(set(committed) | set(now)):
        if k in ("cases", "decode_cases", "long_cases", "reference"):
            continue
        if committed.get(k) != now.get(k):
            out.append(f"  field {k!r}: committed {short(committed.get(k))} now {short(now.get(k))}")
    diff_lists("cases", committed.get("cases", []), now["cases"], ["text"], out)
    diff_lists("decode_cases", committed.get("decode_cases", []), now["decode_cases"], ["note"], out)
    diff_lists("long_cases", committed.get("long_cases", []), now["long_cases"], ["recipe"], out)
    failed = any(not line.startswith("  note:") for line in out)
    return ("FAIL" if failed else "ok"), out


def check_retrain(only: list[str]) -> tuple[str, list[str]]:
    """Retrain our tokenizers into a temp dir and compare byte for byte."""
    committed_dir = M.TOKDIR
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        M.TOKDIR = Path(tmp)
        try:
            for name, fn in M.TRAINERS.items():
                if only and name not in only:
                    continue
                fn()
        finally:
            M.TOKDIR = committed_dir
        for f in sorted(Path(tmp).rglob("*")):
            if not f.is_file():
                continue
            rel = f.relative_to(tmp)
            c = committed_dir / rel
            if not c.exists():
                out.append(f"  {rel}: not committed")
            elif not filecmp.cmp(f, c, shallow=False):
                out.append(f"  {rel}: retrained file differs from the committed one")
    return ("FAIL" if out else "ok"), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[], help="check only these goldens")
    ap.add_argument("--strict", action="store_true", help="missing inputs/references fail instead of skip")
    ap.add_argument("--retrain", action="store_true", help="also retrain our tokenizers and compare")
    args = ap.parse_args(argv)
    unknown = [n for n in args.only if n not in M.GOLDENS and n not in M.TRAINERS]
    if unknown:
        ap.error(f"unknown names {unknown}; known: {sorted(M.GOLDENS)}")
    counts = {"ok": 0, "FAIL": 0, "SKIP": 0}
    if args.retrain:
        status, lines = check_retrain(args.only)
        counts[status] += 1
        print(f"{status:4} retrain", flush=True)
        for line in lines:
            print(line)
    for name in M.GOLDENS:
        if args.only and name not in args.only:
            continue
        try:
            status, lines = check_one(name, args.strict)
        except Exception as e:  # noqa: BLE001
            status, lines = "FAIL", [f"  error: {type(e).__name__}: {e}"]
        counts[status] += 1
        print(f"{status:4} {name}", flush=True)
        for line in lines:
            print(line)
    print(f"{counts['ok']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
