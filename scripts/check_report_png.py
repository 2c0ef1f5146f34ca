"""Checks a PNG written by the Swift report code, independently of it, and prints what it read as JSON.

Usage: python scripts/check_report_png.py IMAGE.png [X,Y ...]

Checks the signature, every chunk's CRC-32 (zlib.crc32), IHDR (8-bit RGB or RGBA, no interlace), that the zlib
stream of the IDAT chunks inflates to exactly height * (1 + width * channels) bytes, and undoes the scanline
filters itself. When Pillow is installed it also decodes the file with Pillow and requires the same pixels.
Prints {"decoder": ..., "width": ..., "height": ..., "channels": ..., "pixels": [[r, g, b], ...]} for the
requested X,Y points; exits non-zero with a message on the first problem.
"""
import json
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fail(message):
    sys.exit(f"check_report_png: {message}")


def read_chunks(data):
    if not data.startswith(SIGNATURE):
        fail("bad PNG signature")
    offset, chunks = len(SIGNATURE), []
    while offset < len(data):
        if offset + 12 > len(data):
            fail(f"truncated chunk header at byte {offset}")
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        (stored,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != stored:
            fail(f"CRC mismatch in chunk {kind!r} at byte {offset}")
        chunks.append((kind, body))
        offset += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        fail("chunks must start with IHDR and end with IEND")
    return chunks


def unfilter(raw, width, height, channels):
    stride = width * channels
    out = bytearray(height * stride)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)]
        base = row * stride
        for i in range(stride):
            left = out[base + i - channels] if i >= channels else 0
            up = out[base - stride + i] if row > 0 else 0
            up_left = out[base - stride + i - channels] if row > 0 and i >= channels else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = left
            elif kind == 2:
                pred = up
            elif kind == 3:
                pred = (left + up) // 2
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
            else:
                fail(f"row {row}: unknown filter type {kind}")
            out[base + i] = (line[i] + pred) & 0xFF
    return bytes(out)


def main():
    if len(sys.argv) < 2:
        fail("usage: check_report_png.py IMAGE.png [X,Y ...]")
    path = sys.argv[1]
    points = [tuple(int(v) for v in arg.split(",")) for arg in sys.argv[2:]]
    with open(path, "rb") as handle:
        data = handle.read()
    chunks = read_chunks(data)
    width, height, depth, color_type, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or color_type not in (2, 6) or compression or filtering or interlace:
        fail(f"unexpected IHDR {width}x{height} depth {depth} colour type {color_type} interlace {interlace}")
    channels = 3 if color_type == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    if len(raw) != height * (1 + width * channels):
        fail(f"IDAT inflates to {len(raw)} bytes, expected {height * (1 + width * channels)}")
    pixels = unfilter(raw, width, height, channels)

    def own(x, y):
        offset = (y * width + x) * channels
        return list(pixels[offset:offset + 3])

    decoder = "zlib"
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image = image.convert("RGB")
            if image.size != (width, height):
                fail(f"Pillow reads size {image.size}, IHDR says {(width, height)}")
            if list(image.tobytes()) != [b for i, b in enumerate(pixels) if channels == 3 or i % 4 != 3]:
                fail("Pillow decodes different pixels")
        decoder = "pillow+zlib"
    for x, y in points:
        if not (0 <= x < width and 0 <= y < height):
            fail(f"point {x},{y} outside {width}x{height}")
    print(json.dumps({"decoder": decoder, "width": width, "height": height, "channels": channels,
                      "pixels": [own(x, y) for x, y in points]}))


if __name__ == "__main__":
    main()
