"""Write the Parquet fixtures under Tests/Fixtures/parquet with pyarrow (the reference).

Each NAME.parquet (but the error cases nested and lz4_unsupported) comes with NAME.jsonl, one
object per row as pyarrow's own reader returns it:
  {"row": 1-based row, "text": str | null, "invalid_utf8": true (only for undecodable binary text),
   "text_bytes" and "text_fnv1a" (hex) in place of "text" for texts over 4 KiB,
   "metadata": {column: value rendered the way ParquetReader renders it; nulls omitted}}

Run with a venv holding pyarrow:
  python3 -m venv .venv && .venv/bin/pip install pyarrow
  .venv/bin/python scripts/make_parquet_fixtures.py
"""
import json
import os
import struct

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "parquet")

WORDS = ("the quick brown fox jumps over a lazy dog while parquet pages stream past "
         "row groups and dictionary indices").split()
UNICODE = [
    "日本語のテキストと中文文本",
    "emoji 🙂👩‍👩‍👧‍👦🚀 mixed",
    "combining e\u0301 a\u0308 n\u0303 and Z\u0351\u0358\u0347",
    "Ελληνικά, русский, עברית, العربية",
]


def sentence(i, n):
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def texts(count):
    out = []
    for i in range(count):
        if i % 11 == 3:
            out.append(None)
        elif i % 13 == 5:
            out.append("")
        elif i % 17 == 6:
            out.append("  \n\t ")
        elif i % 5 == 2:
            out.append(UNICODE[i % len(UNICODE)] + f" #{i}")
        else:
            out.append(f"doc {i}: " + sentence(i, 5 + i % 40))
    return out


def metadata_table(count, nullable=True):
    def maybe(i, value):
        return None if nullable and i % 7 == 4 else value

    return {
        "name": pa.array([maybe(i, f"name-{i % 5}") for i in range(count)], pa.string()),
        "id64": pa.array([maybe(i, (i - 20) * 1_000_000_007) for i in range(count)], pa.int64()),
        "id32": pa.array([maybe(i, (i * 37) % 1000 - 500) for i in range(count)], pa.int32()),
        "small": pa.array([maybe(i, i % 100 - 50) for i in range(count)], pa.int8()),
        "u32": pa.array([maybe(i, 4_000_000_000 + i) for i in range(count)], pa.uint32()),
        "u64": pa.array([maybe(i, 2**63 + i * 3) for i in range(count)], pa.uint64()),
        "flag": pa.array([maybe(i, i % 3 == 0) for i in range(count)], pa.bool_()),
        "score": pa.array([maybe(i, round(i * 0.731 - 3, 4)) for i in range(count)], pa.float64()),
        "ratio": pa.array([maybe(i, (i % 16) * 0.25 - 1) for i in range(count)], pa.float32()),
    }


def basic_table(count, nullable=True):
    columns = {"text": pa.array(texts(count), pa.string())}
    columns.update(metadata_table(count, nullable))
    if not nullable:
        columns["text"] = pa.array([t or "filler" for t in texts(count)], pa.string())
        schema = pa.schema([pa.field(k, v.type, nullable=False) for k, v in columns.items()])
        return pa.table(columns, schema=schema)
    return pa.table(columns)


LONG = 4096


def fnv1a(data):
    """FNV-1a 64 over bytes (the same as Corpus.stableHash over UTF-8)."""
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def render(value, arrow_type):
    """A metadata value as ParquetReader renders it (Swift's description for numbers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if pa.types.is_float32(arrow_type):
            # Only values whose shortest float32 and float64 spellings agree (checked here).
            assert struct.unpack("<f", struct.pack("<f", value))[0] == value and len(repr(value)) < 8
        assert value == 0 or 1e-4 <= abs(value) < 1e15, "keep doubles where Python and Swift print alike"
        return repr(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def write_expected(path, text_field="text"):
    table = pq.read_table(path)
    rows = table.to_pylist()
    with open(path[: -len(".parquet")] + ".jsonl", "w", encoding="utf-8") as out:
        for number, row in enumerate(rows, start=1):
            record = {"row": number, "text": None, "metadata": {}}
            text = row[text_field]
            if isinstance(text, bytes):
                try:
                    record["text"] = text.decode("utf-8")
                except UnicodeDecodeError:
                    record["invalid_utf8"] = True
            else:
                record["text"] = text
            if record["text"] is not None and len(record["text"].encode()) > LONG:
                # Long texts are checked by length and FNV-1a hash to keep the fixture small.
                data = record.pop("text").encode()
                record["text_bytes"], record["text_fnv1a"] = len(data), f"{fnv1a(data):016x}"
            for field in table.schema:
                if field.name != text_field and row[field.name] is not None:
                    record["metadata"][field.name] = render(row[field.name], field.type)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write(name, table, expected=True, **options):
    path = os.path.join(ROOT, name + ".parquet")
    pq.write_table(table, path, **options)
    if expected:
        write_expected(path)
    print(f"{name}: {os.path.getsize(path)} bytes, {table.num_rows} rows, "
          f"{pq.ParquetFile(path).metadata.num_row_groups} row groups")


def fineweb_like(count, seed_words=WORDS):
    dumps = ["CC-MAIN-2024-10", "CC-MAIN-2023-50", "CC-MAIN-2013-20"]
    rows = {
        "text": [f"{sentence(i, 30 + i % 120)}. " * (1 + i % 2) for i in range(count)],
        "id": [f"<urn:uuid:{i:08x}-0000-4000-8000-{i * 7919:012x}>" for i in range(count)],
        "dump": [dumps[i % 3] for i in range(count)],
        "url": [f"https://example{i % 17}.com/page/{i}" for i in range(count)],
        "date": [f"2024-0{1 + i % 9}-1{i % 10}T0{i % 10}:12:34Z" for i in range(count)],
        "file_path": [f"s3://commoncrawl/crawl-data/{dumps[i % 3]}/segments/{i // 50}/warc.gz" for i in range(count)],
        "language": ["en"] * count,
        "language_score": [round(0.65 + (i % 35) / 100, 6) for i in range(count)],
        "token_count": [40 + (i * 131) % 900 for i in range(count)],
    }
    types = {"language_score": pa.float64(), "token_count": pa.int64()}
    return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in rows.items()})


def main():
    os.makedirs(ROOT, exist_ok=True)
    small = dict(row_group_size=20, data_page_size=256, write_batch_size=8)
    write("snappy_dict_v1", basic_table(70), compression="snappy", use_dictionary=True, **small)
    write("zstd_plain_v2", basic_table(70), compression="zstd", use_dictionary=False,
          data_page_version="2.0", **small)
    write("gzip_dict_v2", basic_table(70), compression="gzip", use_dictionary=True,
          data_page_version="2.0", **small)
    write("none_plain_v1_required", basic_table(50, nullable=False), compression="none",
          use_dictionary=False, **small)
    # A tiny dictionary limit makes the writer fall back to plain pages within one column chunk.
    write("snappy_dict_fallback", basic_table(120), compression="snappy", use_dictionary=True,
          dictionary_pagesize_limit=128, row_group_size=60, data_page_size=256, write_batch_size=8)
    write("delta_v2", basic_table(70), compression="snappy", use_dictionary=False, data_page_version="2.0",
          column_encoding={"text": "DELTA_LENGTH_BYTE_ARRAY", "name": "DELTA_BYTE_ARRAY",
                           "id64": "DELTA_BINARY_PACKED", "id32": "DELTA_BINARY_PACKED",
                           "u32": "DELTA_BINARY_PACKED", "u64": "DELTA_BINARY_PACKED"}, **small)
    write("delta_v1_zstd", basic_table(70), compression="zstd", use_dictionary=False,
          column_encoding={"text": "DELTA_BYTE_ARRAY", "id64": "DELTA_BINARY_PACKED"}, **small)

    long_text = "".join(f"Paragraph {i}: {sentence(i, 60)}.\n" for i in range(600))[:200_000]
    write("long_text_snappy", pa.table({"text": [long_text, "short one", long_text[::-1]]}),
          compression="snappy")

    binary = [b"valid bytes", b"", b"   ", None, b"bad \xff\xfe utf8", b"\xc3\x28", "ok \u00e9".encode(),
              b"truncated \xe2\x82", b"last"]
    write("binary_text", pa.table({"text": pa.array(binary, pa.binary()),
                                   "n": pa.array(range(len(binary)), pa.int64())}),
          compression="snappy", row_group_size=4)

    nested = pa.table({
        "text": ["a", "b", "c"],
        "tags": pa.array([["x"], [], None], pa.list_(pa.string())),
        "info": pa.array([{"k": 1}, {"k": 2}, None], pa.struct([("k", pa.int64())])),
        "count": pa.array([1, 2, 3], pa.int64()),
        "digest": pa.array([b"0123", b"4567", b"89ab"], pa.binary(4)),
    })
    # Error cases only (no expected rows): nested, repeated and fixed-length columns; an LZ4 codec.
    write("nested", nested, expected=False, compression="snappy")
    write("lz4_unsupported", pa.table({"text": ["lz4 is not decoded"]}), expected=False, compression="lz4")
    write("fineweb_like", fineweb_like(120), compression="snappy", use_dictionary=True, row_group_size=50)


if __name__ == "__main__":
    main()
