"""Decode every image of the QR corpus with zxing-cpp, the reference decoder of the scanning benchmark.

Writes one JSON object a line, in the format of the Rust example `corpus_bench`:
{"pipeline", "set", "path", "ms", "texts"}. Each timing covers decoding the encoded file to grey
pixels with Pillow and then zxing-cpp's read_barcodes (QR codes only, other options at their defaults).
Reading the file from disk is not timed.

Usage: python zxing_reference.py CORPUS_DIR OUT.jsonl
"""

import io
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

import zxingcpp
from PIL import Image


def read_corpus(corpus: Path) -> list[dict]:
    """Read the manifest and every image it lists into memory."""
    entries = []
    manifest = corpus / "manifest.jsonl"
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        if not isinstance(entry.get("set"), str) or not isinstance(entry.get("path"), str):
            sys.exit(f"line {number} of {manifest} has no `set` or `path` string")
        entries.append({"set": entry["set"], "path": entry["path"], "bytes": (corpus / entry["path"]).read_bytes()})
    if not entries:
        sys.exit(f"{manifest} lists no images")
    return entries


def decode(encoded: bytes) -> list[str]:
    picture = Image.open(io.BytesIO(encoded)).convert("L")
    return [barcode.text for barcode in zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)]


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: zxing_reference.py CORPUS_DIR OUT.jsonl (CORPUS_DIR contains manifest.jsonl)")
    corpus, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    entries = read_corpus(corpus)

    pipeline = f"zxing-cpp {version('zxing-cpp')}"

    # One untimed call first, so one-off set-up is not charged to an image.
    decode(entries[0]["bytes"])

    with out_path.open("w", encoding="utf-8") as out:
        for entry in entries:
            start = time.perf_counter()
            texts = decode(entry["bytes"])
            ms = (time.perf_counter() - start) * 1000.0

            record = {"pipeline": pipeline, "set": entry["set"], "path": entry["path"], "ms": ms, "texts": texts}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"zxing_reference: zxing-cpp done on {len(entries)} images", file=sys.stderr)


if __name__ == "__main__":
    main()
