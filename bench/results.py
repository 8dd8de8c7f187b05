"""Benchmark figures collected across processes, and the files `make bench` writes.

Every benchmark, in the bench process or in a child it starts, calls `record(...)`; the figures
go as JSON lines to the file named by `SCPVN_BENCH_RECORD` (set by `bench/__main__.py`, so
children inherit it). At the end `write_reports()` turns them into `bench/results/latest.md` and
`latest.json` (plus a copy stamped with the time), with the growth exponent of every metric
measured at two or more sizes.
"""

import datetime as dt
import json
import math
import os
from collections import defaultdict
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RECORD_ENV = "SCPVN_BENCH_RECORD"


def growth_exponent(n1: float, t1: float, n2: float, t2: float) -> float | None:
    """log(t2/t1) / log(n2/n1): 0 is flat, 1 grows linearly with the data, 2 quadratically."""
    # a page that answered nothing in its seconds costs "inf": no exponent to draw from it
    if n1 <= 0 or n2 <= 0 or n1 == n2 or not (0 < t1 < math.inf and 0 < t2 < math.inf):
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def record(
    bench: str,
    metric: str,
    *,
    size: int,
    value: float,
    unit: str,
    ratio: float | None = None,
    aim: str = "",
) -> None:
    """One figure. `value` is a cost (seconds, ms per request) so that its growth with `size`
    is the growth exponent; `ratio` is the figure against the baseline of the same run."""
    row = {
        "bench": bench,
        "metric": metric,
        "size": size,
        "value": value,
        "unit": unit,
        "ratio": ratio,
        "aim": aim,
    }
    path = os.environ.get(RECORD_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def summarize(rows: list[dict]) -> list[dict]:
    """One entry per (bench, metric) with its sizes and the exponent between the smallest
    and the largest size."""
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["bench"], row["metric"])].append(row)
    summary = []
    for (bench, metric), points in grouped.items():
        points.sort(key=lambda p: p["size"])
        first, last = points[0], points[-1]
        summary.append(
            {
                "bench": bench,
                "metric": metric,
                "unit": first["unit"],
                "aim": last["aim"],
                "points": [
                    {"size": p["size"], "value": p["value"], "ratio": p["ratio"]} for p in points
                ],
                "growth_exponent": growth_exponent(
                    first["size"], first["value"], last["size"], last["value"]
                ),
            }
        )
    return summary


def markdown(
    summary: list[dict],
    *,
    size_name: str,
    started: str,
    seconds: float,
    modules: list[dict] | None = None,
) -> str:
    lines = [
        f"# make bench — {started} UTC, BENCH_SIZE={size_name}, {seconds / 60:.1f} min",
        "",
    ]
    if modules:
        lines += [
            "| benchmark | time | finished |",
            "|---|---:|---|",
            *(
                f"| {m['module']} | {m['seconds']:.0f} s | {'yes' if m['ok'] else 'FAILED'} |"
                for m in modules
            ),
            "",
        ]
    lines += [
        "Growth exponent = log(t2/t1)/log(n2/n1) between the smallest and the largest size "
        "(0 flat, 1 linear). Ratios are against the baseline measured in the same run.",
        "",
        "| bench | metric | size | value | ratio | growth exp. | aim |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for entry in summary:
        exponent = entry["growth_exponent"]
        for i, point in enumerate(entry["points"]):
            last = i == len(entry["points"]) - 1
            ratio = "" if point["ratio"] is None else f"{point['ratio']:.3f}×"
            growth = f"{exponent:.2f}" if last and exponent is not None else ""
            lines.append(
                f"| {entry['bench']} | {entry['metric']} | {point['size']:,} "
                f"| {point['value']:.4g} {entry['unit']} | {ratio} | {growth} "
                f"| {entry['aim'] if last else ''} |"
            )
    return "\n".join(lines) + "\n"


def write_reports(
    record_path: Path,
    *,
    size_name: str,
    started: dt.datetime,
    seconds: float,
    modules: list[dict] | None = None,
) -> Path:
    """Write latest.md / latest.json and a time-stamped copy; return the Markdown path."""
    summary = summarize(load(record_path))
    stamp = started.strftime("%Y%m%dT%H%M%S")
    RESULTS_DIR.mkdir(exist_ok=True)
    text = markdown(
        summary,
        size_name=size_name,
        started=started.isoformat(timespec="seconds"),
        seconds=seconds,
        modules=modules,
    )
    data = json.dumps(
        {
            "started": started.isoformat(),
            "bench_size": size_name,
            "seconds": seconds,
            "benchmarks": modules or [],
            "results": summary,
        },
        indent=2,
        ensure_ascii=False,
    )
    for name in ("latest", f"{stamp}-{size_name}"):
        (RESULTS_DIR / f"{name}.md").write_text(text, encoding="utf-8")
        (RESULTS_DIR / f"{name}.json").write_text(data, encoding="utf-8")
    return RESULTS_DIR / "latest.md"
