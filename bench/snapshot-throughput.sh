#!/usr/bin/env bash
# Write throughput with snapshots being taken against without, side by side in one run
# (docs/benchmarks.md, "Throughput while snapshotting"). Starts a 3-node cluster of real `ballot
# server` processes with --snapshot-entries N (a snapshot every N writes on every node), and one
# that never snapshots, one at a time, alternating, R times each; runs the RESP load generator
# against each; prints every run, the medians and the ratio. Downloads nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=3 duration=20 every=20000 clients=50 value_size=100 keys=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --snapshot-entries) every=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    -h|--help) echo "usage: bench/snapshot-throughput.sh [--reps R] [--duration S] [--snapshot-entries N] [--clients C] [--value-size B] [--keys K]"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
"$ROOT/ballot" help >/dev/null   # builds the server if needed
work=$(mktemp -d)
pids=()
stop_cluster() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_cluster; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
start_cluster() { # $1 = name, rest = extra server flags
  local name=$1; shift
  local peers="1=127.0.0.1:7301,2=127.0.0.1:7302,3=127.0.0.1:7303"
  for id in 1 2 3; do
    "$ROOT/ballot" server --id $id --peers "$peers" --data "$work/$name/$id" --redis-port $((6500 + id)) \
      --http-port $((8500 + id)) "$@" > "$work/$name-$id.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 300); do
    if curl -sf localhost:8501/readyz >/dev/null && curl -sf localhost:8502/readyz >/dev/null \
        && curl -sf localhost:8503/readyz >/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "cluster $name did not become ready" >&2; exit 1
}
run_load() { # prints ops/s
  "$ROOT/ballot" bench-kv --ports 6501,6502,6503 --clients "$clients" --value-size "$value_size" --keys "$keys" \
    --duration "$duration" --warmup 3 --json "$work/load.json" >/dev/null 2>&1
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['opsPerSecond'])" "$work/load.json"
}
snaps=() plain=()
for r in $(seq 1 "$reps"); do
  rm -rf "$work/with" "$work/without"
  start_cluster with --snapshot-entries "$every"
  t=$(run_load); n=$(ls "$work/with/1/snapshots" 2>/dev/null | grep -c '\.snap$' || true)
  taken=$(grep -c "snapshot up to index" "$work/with-1.log" || true)
  stop_cluster
  snaps+=("$t"); echo "rep $r: with a snapshot every $every entries: $t ops/s ($taken snapshots written by node 1)"
  start_cluster without --snapshot-entries 0 --snapshot-bytes 0
  t=$(run_load); stop_cluster
  plain+=("$t"); echo "rep $r: without snapshots: $t ops/s"
done
python3 - "${snaps[*]}" "${plain[*]}" <<'PY'
import statistics, sys
s = [float(x) for x in sys.argv[1].split()]; p = [float(x) for x in sys.argv[2].split()]
ms, mp = statistics.median(s), statistics.median(p)
print(f"median: with snapshots {ms:,.0f} ops/s, without {mp:,.0f} ops/s, ratio {ms/mp:.3f}")
PY
