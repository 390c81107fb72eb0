#!/usr/bin/env bash
# RESP throughput, latency and CPU per write: a local 3-node Ballot cluster (fsync on) against one
# Redis with appendonly yes / appendfsync always, measured with the same redis-benchmark command,
# interleaved in one run (docs/benchmarks.md, "RESP against Redis, with CPU per write").
#
# For each run it reads, from /proc, the CPU time (user + system) and the context switches
# (voluntary + involuntary, all threads) of the server processes only: the three Ballot JVMs, or
# the one redis-server. Medians over --reps runs. Needs redis-server and redis-benchmark (Debian's
# redis-server and redis-tools); downloads nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<USAGE
usage: bench/resp-vs-redis.sh [options]

  --reps R          runs of each server, interleaved; medians are reported (default 3)
  --requests N      SETs per run (default 200000)
  --clients C       connections (default 50)
  --value-size B    value size (default 100)
  --pipeline P      redis-benchmark -P (default 1)
  --nodes N         Ballot nodes (default 3)
  --ballot-only     do not start or measure Redis
USAGE
}

reps=3 requests=200000 clients=50 value_size=100 pipeline=1 nodes=3 redis=1
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --pipeline) pipeline=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --ballot-only) redis=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "resp-vs-redis: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$reps" "$requests" "$clients" "$pipeline" "$nodes"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "resp-vs-redis: '$n' is not a positive integer" >&2; exit 2; }
done
for tool in redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "resp-vs-redis: $tool not found (apt-get install redis-tools)" >&2; exit 1; }
done
if [ "$redis" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "resp-vs-redis: redis-server not found (apt-get install redis-server), or pass --ballot-only" >&2; exit 1
fi

work=$(mktemp -d /tmp/ballot-resp-bench.XXXXXX)
cluster_pid="" redis_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  if [ -n "$cluster_pid" ]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

clk=$(getconf CLK_TCK)
# CPU time of processes $@ in microseconds (all threads: /proc/PID/stat fields 14 and 15).
cpu_us() {
  local total=0 p
  for p in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $((total * 1000000 / clk))
}
# Context switches of every thread of processes $@.
ctx() {
  local total=0 p
  for p in "$@"; do
    total=$((total + $(cat /proc/"$p"/task/*/status 2>/dev/null \
      | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s + 0}')))
  done
  echo "$total"
}

redis_port=6390
if [ "$redis" = 1 ]; then
  redis-server --port "$redis_port" --dir "$work" --appendonly yes --appendfsync always --save '' \
    --daemonize no --logfile "$work/redis.log" &
  redis_pid=$!
fi

echo "resp-vs-redis: starting a $nodes-node Ballot cluster (fsync on) in $work/cluster" >&2
"$ROOT/ballot" cluster start --nodes "$nodes" --base-dir "$work/cluster" >"$work/cluster.out" 2>&1 &
cluster_pid=$!
leader_port=""
for _ in $(seq 1 600); do
  for i in $(seq 1 "$nodes"); do
    port=$((6400 + i))
    if redis-cli -p "$port" INFO raft 2>/dev/null | grep -q '^role:leader'; then leader_port=$port; break 2; fi
  done
  sleep 0.2
done
[ -n "$leader_port" ] || { echo "resp-vs-redis: no leader within 120 s; see $work/cluster.out" >&2; cat "$work/cluster.out" >&2; exit 1; }
mapfile -t ballot_pids < <(pgrep -f "dev.ballot.server.BallotCli server .*$work/cluster" || true)
[ "${#ballot_pids[@]}" = "$nodes" ] || { echo "resp-vs-redis: expected $nodes node processes, found ${#ballot_pids[@]}" >&2; exit 1; }
echo "resp-vs-redis: leader's RESP port $leader_port; node pids ${ballot_pids[*]}" >&2

# One run: prints "ops/s p50_ms p99_ms cpu_us_per_write ctx_per_write".
run_one() {
  local port=$1; shift
  local c0 x0 c1 x1 out
  c0=$(cpu_us "$@"); x0=$(ctx "$@")
  out=$(redis-benchmark -p "$port" -t set -c "$clients" -d "$value_size" -r 100000 -n "$requests" -P "$pipeline" --csv 2>/dev/null | tail -n 1)
  c1=$(cpu_us "$@"); x1=$(ctx "$@")
  # "SET","rps","avg","min","p50","p95","p99","max"
  echo "$out" | tr -d '"' | awk -F, -v cpu=$((c1 - c0)) -v cs=$((x1 - x0)) -v n="$requests" \
    '{printf "%.0f %.3f %.3f %.1f %.2f\n", $2, $5, $7, cpu / n, cs / n}'
}

# Warm-up: the JIT and the page cache (not counted).
redis-benchmark -p "$leader_port" -t set -c "$clients" -d "$value_size" -r 100000 -n "$requests" -q >/dev/null 2>&1 || true
[ "$redis" = 1 ] && redis-benchmark -p "$redis_port" -t set -c "$clients" -d "$value_size" -r 100000 -n 50000 -q >/dev/null 2>&1

ballot_rows=() redis_rows=()
for r in $(seq 1 "$reps"); do
  if [ "$redis" = 1 ]; then
    row=$(run_one "$redis_port" "$redis_pid"); redis_rows+=("$row"); echo "run $r redis : $row" >&2
  fi
  row=$(run_one "$leader_port" "${ballot_pids[@]}"); ballot_rows+=("$row"); echo "run $r ballot: $row" >&2
done

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
col() { local i=$1; shift; printf '%s\n' "$@" | awk -v i="$i" '{print $i}' | median; }

echo
echo "redis-benchmark -t set -c $clients -d $value_size -r 100000 -n $requests -P $pipeline; medians of $reps runs"
printf '%-28s %10s %9s %9s %14s %12s\n' server ops/s p50_ms p99_ms cpu_us/write ctx/write
printf '%-28s %10s %9s %9s %14s %12s\n' "ballot ($nodes nodes, fsync)" "$(col 1 "${ballot_rows[@]}")" \
  "$(col 2 "${ballot_rows[@]}")" "$(col 3 "${ballot_rows[@]}")" "$(col 4 "${ballot_rows[@]}")" "$(col 5 "${ballot_rows[@]}")"
if [ "$redis" = 1 ]; then
  printf '%-28s %10s %9s %9s %14s %12s\n' "redis (appendfsync always)" "$(col 1 "${redis_rows[@]}")" \
    "$(col 2 "${redis_rows[@]}")" "$(col 3 "${redis_rows[@]}")" "$(col 4 "${redis_rows[@]}")" "$(col 5 "${redis_rows[@]}")"
  awk -v b="$(col 1 "${ballot_rows[@]}")" -v r="$(col 1 "${redis_rows[@]}")" \
      -v bc="$(col 4 "${ballot_rows[@]}")" -v rc="$(col 4 "${redis_rows[@]}")" \
    'BEGIN {printf "ratio ballot/redis: throughput %.2fx, cpu per write %.2fx\n", b / r, bc / rc}'
fi
