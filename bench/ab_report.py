#!/usr/bin/env python3
"""The table of bench/ab.sh: per phase and operation, each side's median req/s, p50 and p99 over
the rounds, and the median and range of B/A, each ratio taken within one round. Where the rounds
ran a health phase, each other phase's req/s is also given as a share of /health on the same
server (the form of the engine targets)."""
import argparse
import json
import statistics
from pathlib import Path


def figures(run, phase, op):
    p = run["phases"][phase]
    o = p["ops"][op]
    rate = o["count"] / p["measured_s"] if p["measured_s"] else 0.0
    return {"rate": rate, "p50": o.get("p50_ms", 0.0), "p99": o.get("p99_ms", 0.0)}


def health_rate(run):
    p = run["phases"].get("health")
    return figures(run, "health", "Health")["rate"] if p and "Health" in p["ops"] else None


def ratio_cell(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def median(values):
    return statistics.median(values) if values else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("work", type=Path)
    args = ap.parse_args()
    runs = {side: [json.loads((args.work / f"{side}-{r}.json").read_text()) for r in range(1, args.rounds + 1)]
            for side in ("a", "b")}

    rows = []
    for phase, body in runs["a"][0]["phases"].items():
        for op in body["ops"]:
            a = [figures(run, phase, op) for run in runs["a"]]
            b = [figures(run, phase, op) for run in runs["b"]]
            if not any(x["rate"] for x in a + b):
                continue
            share = {}
            for side, figs in (("a", a), ("b", b)):
                shares = [f["rate"] / h for f, run in zip(figs, runs[side]) if (h := health_rate(run))]
                share[side] = f" ({median(shares):.3f})" if shares and phase != "health" else ""

            def ratio(key):
                return ratio_cell([y[key] / x[key] if x[key] else None for x, y in zip(a, b)])

            rows.append(
                f"| {phase} | {op} | {median([x['rate'] for x in a]):,.0f}{share['a']}"
                f" | {median([x['rate'] for x in b]):,.0f}{share['b']} | {ratio('rate')}"
                f" | {median([x['p50'] for x in a]):.2f} | {median([x['p50'] for x in b]):.2f} | {ratio('p50')}"
                f" | {median([x['p99'] for x in a]):.2f} | {median([x['p99'] for x in b]):.2f} | {ratio('p99')} |")
    print("| phase | operation | A req/s (of /health) | B req/s (of /health) | B/A req/s"
          " | A p50 ms | B p50 ms | B/A p50 | A p99 ms | B p99 ms | B/A p99 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print("Medians over the rounds; B/A is the median (and range) of the rounds' own ratios.")


if __name__ == "__main__":
    main()
