#!/usr/bin/env python3
"""Hot methods of a JFR recording (e.g. from JMH's -prof jfr), by self and by inclusive samples.

usage: jfr-hot.py RECORDING.jfr [--top N] [--filter PREFIX] [--jfr PATH-TO-jfr-TOOL]

Reads jdk.ExecutionSample events through `jfr print --json`. "self" counts samples whose top
frame is the method; "incl" counts samples with the method anywhere on the stack (once per
sample). --filter limits the inclusive table to methods whose class starts with PREFIX
(default dev.ballot.raft.).  Allocation pressure: also prints the top allocation sites from
jdk.ObjectAllocationSample (weighted bytes), which the "profile" JFR configuration records.
"""
import argparse
import collections
import json
import os
import subprocess


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        cls = m["type"]["name"].replace("/", ".")
        out.append(f"{cls}.{m['name']}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--filter", default="dev.ballot.raft.")
    ap.add_argument("--jfr", default=os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr"))
    args = ap.parse_args()
    raw = subprocess.run([args.jfr, "print", "--json", "--stack-depth", "96", "--events",
                          "jdk.ExecutionSample,jdk.ObjectAllocationSample", args.recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    self_c, incl_c = collections.Counter(), collections.Counter()
    alloc = collections.Counter()
    n = 0
    for ev in events:
        fs = frames(ev)
        if not fs:
            continue
        if ev["type"] == "jdk.ExecutionSample":
            n += 1
            self_c[fs[0]] += 1
            for m in set(fs):
                incl_c[m] += 1
        else:
            w = ev["values"].get("weight", 0)
            cls = ev["values"].get("objectClass", {}).get("name", "?").replace("/", ".")
            # First frame in the filtered package = the engine code that allocated it.
            site = next((f for f in fs if f.startswith(args.filter)), fs[0])
            alloc[f"{cls} @ {site}"] += w
    print(f"{n} execution samples\n\nself%   method")
    for m, c in self_c.most_common(args.top):
        print(f"{100 * c / n:5.1f}   {m}")
    print(f"\nincl%   method (only {args.filter}*)")
    for m, c in [x for x in incl_c.most_common() if x[0].startswith(args.filter)][:args.top]:
        print(f"{100 * c / n:5.1f}   {m}")
    total = sum(alloc.values()) or 1
    print("\nalloc%  class @ first engine frame")
    for m, c in alloc.most_common(args.top):
        print(f"{100 * c / total:5.1f}   {m}")


if __name__ == "__main__":
    main()
