#!/usr/bin/env python3
"""Turns what bench/suite.sh measured into markdown: the populations, every measured operation,
the server's memory, and each engine target with its measured value and whether it is met.

    bench/suite_report.py RUNS.ndjson [--load-before L] [--duration S] [--warmup S]

RUNS.ndjson has one JSON object per line, as suite.sh's `note` writes them: {"scenario":
"populate"|"minimal"|"engine"|"trigger", "population", "durability", "connections", "result" (the
path of a `cogsync_bench --json` report), "memory" ({"vm_rss_kb", "vm_hwm_kb"}), ...}.
"""
import argparse
import json
import os

# The engine targets (bench/README.md "Targets"). Ratios divide by /health req/s of the same
# server run and connection count; the HTTP ceiling is the minimal server's /health.
HEALTH_VS_MINIMAL = 0.8
LIST_VS_HEALTH = 0.5
LIST_P99_MS = 5.0
WRITE_VS_HEALTH = 0.2
WRITE_P99_MS = 10.0
P99_AT_CONNECTIONS = 32
SCALING = 1.3
TRIGGER_P50_MS = 50.0

OPS = ["ListRecords", "UpdateRecords", "SyncCycle", "Health", "TriggerList", "TriggerUpdate"]


def load_runs(path):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                run = json.loads(line)
                if "result" in run:
                    with open(run["result"], encoding="utf-8") as r:
                        run["bench"] = json.load(r)
                runs.append(run)
    return runs


def op(run, phase, name):
    return run["bench"]["phases"].get(phase, {}).get("ops", {}).get(name)


def rps(run, phase, *names):
    return sum((op(run, phase, n) or {}).get("rps", 0.0) for n in names)


def fmt(x, digits=2):
    return f"{x:,.{digits}f}" if isinstance(x, float) else f"{x:,}"


def describe(run):
    parts = []
    if "population" in run:
        parts.append(f"{run['population']:,} identities")
    if "durability" in run:
        parts.append(run["durability"])
    parts.append(f"{run['connections']} conns")
    return ", ".join(parts)


def print_populations(runs):
    pops = [r for r in runs if r["scenario"] == "populate"]
    if not pops:
        return
    print("| identities | populated | took | datasets/s | data dir | copy per server start |")
    print("|---:|---|---:|---:|---:|---:|")
    for p in pops:
        info = p["info"]
        copies = [r["copy_seconds"] for r in runs if r["scenario"] == "engine" and r["population"] == p["population"]]
        when = f"cached, on {info['date']}" if p["cached"] else "in this run"
        copy = f"{max(copies)} s" if copies else "-"
        print(f"| {p['population']:,} | {when} | {info['seconds']:.0f} s | {info['datasets_per_second']:,.0f} "
              f"| {info['bytes'] / 2**20:,.0f} MiB | {copy} |")
    print()


def print_measured(runs):
    print("| scenario | run | phase | operation | req/s | p50 ms | p90 ms | p99 ms | max ms | 409s | errors |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        if "bench" not in run:
            continue
        for phase, data in run["bench"]["phases"].items():
            for name in OPS:
                s = data["ops"].get(name)
                if not s:
                    continue
                errors = str(s["errors"])
                if s["errors"]:
                    errors += " (" + ", ".join(f"{k}: {v}" for k, v in s["errors_by_status"].items()) + ")"
                print(f"| {run['scenario']} | {describe(run)} | {phase} | {name} | {s['rps']:,.0f} "
                      f"| {fmt(s['p50_ms'])} | {fmt(s['p90_ms'])} | {fmt(s['p99_ms'])} | {fmt(s['max_ms'])} "
                      f"| {s['conflicts']} | {errors} |")
    print()


def print_memory(runs):
    engine = [r for r in runs if r["scenario"] == "engine"]
    if not engine:
        return
    print("Server memory after each connection count (the runs go 32 then 256 on one server):")
    print()
    print("| identities | durability | connections | VmRSS MiB | VmHWM MiB |")
    print("|---:|---|---:|---:|---:|")
    for r in engine:
        m = r["memory"]
        print(f"| {r['population']:,} | {r['durability']} | {r['connections']} | {m['vm_rss_kb'] / 1024:,.0f} "
              f"| {m['vm_hwm_kb'] / 1024:,.0f} |")
    print()


class Targets:
    def __init__(self):
        self.rows = []

    def at_least(self, what, run, value, limit, detail=""):
        self.rows.append((what, run, f"{value:.3f}{detail}", f">= {limit}", value >= limit))

    def at_most_ms(self, what, run, value, limit):
        self.rows.append((what, run, f"{value:.2f} ms", f"<= {limit} ms", value <= limit))

    def below_ms(self, what, run, value, limit):
        self.rows.append((what, run, f"{value:.2f} ms", f"< {limit} ms", value < limit))

    def ratio_at_most(self, what, run, value, limit, detail):
        self.rows.append((what, run, f"{value:.2f}{detail}", f"<= {limit}", value <= limit))

    def print(self):
        print("| target | run | measured | limit | |")
        print("|---|---|---:|---:|---|")
        for what, run, measured, limit, ok in self.rows:
            print(f"| {what} | {run} | {measured} | {limit} | {'met' if ok else '**not met**'} |")
        met = sum(1 for r in self.rows if r[4])
        print()
        print(f"{met} of {len(self.rows)} targets met.")


def engine_targets(t, runs):
    minimal = {r["connections"]: rps(r, "health", "Health") for r in runs if r["scenario"] == "minimal"}
    for r in (r for r in runs if r["scenario"] == "engine"):
        health = rps(r, "health", "Health")
        if not health:
            continue
        where = describe(r)
        if r["connections"] in minimal:
            ceiling = minimal[r["connections"]]
            t.at_least("/health vs minimal server", where, health / ceiling, HEALTH_VS_MINIMAL,
                       f" ({health:,.0f} / {ceiling:,.0f})")
        t.at_least("delta ListRecords vs /health", where, rps(r, "list", "ListRecords") / health, LIST_VS_HEALTH)
        t.at_least("UpdateRecords-only vs /health", where, rps(r, "update", "UpdateRecords") / health, WRITE_VS_HEALTH)
        t.at_least("sync cycle requests vs /health", where,
                   rps(r, "sync", "ListRecords", "UpdateRecords") / health, WRITE_VS_HEALTH)
        if r["connections"] == P99_AT_CONNECTIONS:
            t.at_most_ms("delta ListRecords p99", where, op(r, "list", "ListRecords")["p99_ms"], LIST_P99_MS)
            t.at_most_ms("UpdateRecords-only p99", where, op(r, "update", "UpdateRecords")["p99_ms"], WRITE_P99_MS)
            t.at_most_ms("sync cycle requests p99", where,
                         max(op(r, "sync", n)["p99_ms"] for n in ("ListRecords", "UpdateRecords")), WRITE_P99_MS)


def scaling_targets(t, runs):
    engine = [r for r in runs if r["scenario"] == "engine"]
    pops = sorted({r["population"] for r in engine})
    if len(pops) < 2:
        return
    small, large = pops[0], pops[-1]
    index = {(r["population"], r["durability"], r["connections"]): r for r in engine}
    for (pop, durability, connections), big in index.items():
        base = index.get((small, durability, connections))
        if pop != large or not base:
            continue
        where = f"{durability}, {connections} conns"
        for phase, name in [("list", "ListRecords"), ("update", "UpdateRecords"),
                            ("sync", "ListRecords"), ("sync", "UpdateRecords")]:
            for p in ("p50_ms", "p99_ms"):
                a, b = op(base, phase, name)[p], op(big, phase, name)[p]
                t.ratio_at_most(f"{phase} {name} {p[:3]}: {large:,} vs {small:,} identities", where,
                                b / a if a else float("inf"), SCALING, f" ({b:.2f} / {a:.2f} ms)")


def trigger_targets(t, runs):
    for r in (r for r in runs if r["scenario"] == "trigger"):
        where = describe(r) + f" + {r['bench']['config']['trigger_writers']} writers"
        for name in ("Health", "ListRecords"):
            s = op(r, "trigger", name)
            t.below_ms(f"{name} p50 during a 4.5 s Sync Trigger", where, s["p50_ms"] if s else float("inf"),
                       TRIGGER_P50_MS)


def validity(t, runs):
    """Not a target but a precondition: the measured runs got only 2xx answers."""
    bad = []
    for r in runs:
        for phase, data in r.get("bench", {}).get("phases", {}).items():
            for name, s in data["ops"].items():
                if s["errors"] or (s["conflicts"] and r["scenario"] != "trigger"):
                    bad.append(f"{r['scenario']} {describe(r)} {phase} {name}")
    t.rows.append(("every request answered 2xx (no errors, no 409s)", "all runs",
                   "; ".join(bad) if bad else "yes", "-", not bad))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs")
    parser.add_argument("--load-before", default="?")
    parser.add_argument("--duration", default="?")
    parser.add_argument("--warmup", default="?")
    args = parser.parse_args()
    runs = load_runs(args.runs)

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    measured = [r for r in runs if "bench" in r]
    print()
    print(f"Machine: {os.cpu_count()} CPUs ({cpu}), 1-min load average {args.load_before} before the run.", end="")
    if measured:
        print(f" Server and bench on the same host, {measured[0]['bench']['config']['threads']} client "
              f"thread(s). {args.duration} s per phase after {args.warmup} s warm-up; the update phase first "
              f"fetches session tokens for as long.", end="")
    print("\n")
    print_populations(runs)
    if not measured:
        return
    print_measured(runs)
    print_memory(runs)
    t = Targets()
    engine_targets(t, runs)
    scaling_targets(t, runs)
    trigger_targets(t, runs)
    validity(t, runs)
    t.print()


if __name__ == "__main__":
    main()
