"""Score the decoders' results against the corpus manifest and print the Markdown tables of the
scanning benchmark.

An image counts as decoded when one of the pipeline's texts equals one of its expected texts. A
wrong text is a decoded text that is not an expected one (counted per text, not per image).
Percentiles use the nearest-rank method, so p99 of a set of fewer than 100 images is its slowest.

Usage: python table.py CORPUS_DIR RESULTS.jsonl [RESULTS.jsonl ...]
"""

import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def group_of(image_set: str) -> str:
    """Name the source of a set: `zxing/qrcode-3` belongs to `zxing`."""
    return image_set.split("/", 1)[0]


def percentile(sorted_values: list[float], fraction: float) -> float:
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def score(records: list[dict], expected: dict[str, set[str]]) -> dict:
    times = sorted(record["ms"] for record in records)
    decoded = sum(1 for record in records if any(text in expected[record["path"]] for text in record["texts"]))
    wrong = sum(1 for record in records for text in record["texts"] if text not in expected[record["path"]])
    return {
        "decoded": decoded,
        "total": len(records),
        "wrong": wrong,
        "mean": statistics.fmean(times),
        "median": statistics.median(times),
        "p99": percentile(times, 0.99),
    }


def check_complete(results: dict[str, list[dict]], expected: dict[str, set[str]]) -> None:
    """Stop when a pipeline skipped or repeated an image, since its totals would not compare."""
    for pipeline, records in results.items():
        paths = [record["path"] for record in records]
        if sorted(paths) != sorted(expected):
            sys.exit(f"{pipeline}: results cover {len(set(paths))} distinct of {len(expected)} manifest images "
                     f"({len(paths)} records); rerun scripts/bench-scan.sh")


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("usage: table.py CORPUS_DIR RESULTS.jsonl [RESULTS.jsonl ...]")
    manifest = read_jsonl(Path(sys.argv[1]) / "manifest.jsonl")
    expected = {entry["path"]: set(entry["expected"]) for entry in manifest}

    results: dict[str, list[dict]] = defaultdict(list)
    for path in sys.argv[2:]:
        for record in read_jsonl(Path(path)):
            results[record["pipeline"]].append(record)
    check_complete(results, expected)

    groups = sorted({group_of(entry["set"]) for entry in manifest})
    sets = sorted({entry["set"] for entry in manifest})
    pipelines = list(results)

    print("| images | pipeline | decoded | wrong texts | mean ms | median ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for group in groups + ["all"]:
        count = sum(1 for entry in manifest if group in ("all", group_of(entry["set"])))
        for pipeline in pipelines:
            chosen = [r for r in results[pipeline] if group in ("all", group_of(r["set"]))]
            s = score(chosen, expected)
            label = f"**all {count}**" if group == "all" else f"{group} ({count})"
            share = f"{s['decoded']} / {s['total']} ({100 * s['decoded'] / s['total']:.0f} %)"
            print(f"| {label} | {pipeline} | {share} | {s['wrong']} | {s['mean']:.1f} | {s['median']:.1f} | {s['p99']:.1f} |")

    print()
    print("| set | images | " + " | ".join(pipelines) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in pipelines) + " |")
    for image_set in sets:
        cells = []
        for pipeline in pipelines:
            s = score([r for r in results[pipeline] if r["set"] == image_set], expected)
            cells.append(f"{s['decoded']}" + (f" ({s['wrong']} wrong)" if s["wrong"] else ""))
        total = sum(1 for entry in manifest if entry["set"] == image_set)
        print(f"| {image_set} | {total} | " + " | ".join(cells) + " |")

    print()
    print("Wrong texts (decoded, not expected; the first 40 characters):")
    for pipeline in pipelines:
        for record in results[pipeline]:
            for text in record["texts"]:
                if text not in expected[record["path"]]:
                    print(f"- {pipeline}: {record['path']}: {text[:40]!r}")


if __name__ == "__main__":
    main()
