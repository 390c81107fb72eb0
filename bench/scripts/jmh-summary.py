#!/usr/bin/env python3
"""Summarises a JMH JSON result file (-rf json) as a Markdown table.

For every benchmark and parameter combination it prints the median over all measurement
iterations of all forks (robust on a noisy machine), JMH's mean with its 99.9% confidence
half-width, the min..max range, and the median of each fork. The metric is the secondary
metric given with --metric (default: "entries", the committed-entries rate of
EngineThroughputBenchmark), or the primary metric with --metric primary.

usage: jmh-summary.py RESULT.json [--metric NAME] [--sort PARAM,PARAM,...]
"""
import argparse
import json
import statistics


def fmt(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.0f} k"
    return f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("result")
    ap.add_argument("--metric", default="entries")
    ap.add_argument("--sort", default="log,payload,batch")
    args = ap.parse_args()
    with open(args.result) as f:
        runs = json.load(f)
    keys = args.sort.split(",")
    rows = []
    for r in runs:
        m = r["primaryMetric"] if args.metric == "primary" else r["secondaryMetrics"][args.metric]
        forks = m["rawData"]
        flat = [v for fork in forks for v in fork]
        params = r.get("params", {})
        sort_key = tuple(int(params[k]) if params.get(k, "").isdigit() else params.get(k, "") for k in keys)
        rows.append((r["benchmark"].rsplit(".", 1)[-1], sort_key, params, m, flat, forks))
    rows.sort(key=lambda x: (x[0], x[1]))
    pnames = [k for k in keys if any(k in r[2] for r in rows)]
    unit = rows[0][3]["scoreUnit"] if rows else ""
    print("| benchmark | " + " | ".join(pnames) + f" | median ({unit}) | mean ± 99.9% CI | min .. max | per-fork medians | n |")
    print("|---|" + "---|" * len(pnames) + "---:|---:|---:|---|---:|")
    for name, _, params, m, flat, forks in rows:
        med = statistics.median(flat)
        fork_meds = ", ".join(fmt(statistics.median(f)) for f in forks)
        err = m["scoreError"]
        err_s = "n/a" if err != err else fmt(err)  # NaN when too few samples
        print(f"| {name} | " + " | ".join(params.get(k, "") for k in pnames)
              + f" | **{fmt(med)}** | {fmt(m['score'])} ± {err_s} | {fmt(min(flat))} .. {fmt(max(flat))}"
              + f" | {fork_meds} | {len(flat)} |")


if __name__ == "__main__":
    main()
