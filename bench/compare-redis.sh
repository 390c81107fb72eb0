#!/usr/bin/env bash
# Client load, Ballot vs Redis, side by side in one run (docs/benchmarks.md, "Client load (RESP)").
#
# Starts a throw-away redis-server with --appendonly yes --appendfsync always (every write fsynced
# before the reply, the closest Redis gets to Ballot's durability) in a temp dir, then runs, R times
# and interleaved: redis-benchmark and our LoadGenerator against that Redis and against a Ballot
# node that is already running (--ballot-ports). Prints the median of each number and the ratio
# Ballot/Redis. Needs redis-server, redis-benchmark and redis-cli; skips cleanly without them.
# Downloads nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<USAGE
usage: bench/compare-redis.sh [options]

  --ballot-ports P[,P..]  Ballot RESP ports; redis-benchmark uses the first, LoadGenerator all (default 6401)
  --reps R                repetitions; medians are reported (default 3)
  --requests N            commands per run, both tools (default 100000)
  --clients C             connections (default 50)
  --value-size B          SET value size in bytes (default 100)
  --keys K                keyspace, both tools (redis-benchmark -r K) (default 100000)
  --pipeline D            commands in flight per connection (redis-benchmark -P D) (default 1)
  --warmup S              LoadGenerator warm-up seconds before its N measured commands (default 1)
  --rb-threads T          redis-benchmark --threads T (default 1: its single event loop, as redis-benchmark
                          runs by default; on a busy small machine that loop, not the server, can be the limit)
  --skip-build            use bench/target/benchmarks.jar as it is
USAGE
}

ballot_ports=6401 reps=3 requests=100000 clients=50 value_size=100 keys=100000 pipeline=1 warmup=1 rb_threads=1 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ballot-ports) ballot_ports=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --pipeline) pipeline=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rb-threads) rb_threads=$2; shift 2 ;;
    --skip-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare-redis: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$reps" "$requests" "$clients" "$keys" "$pipeline" "$rb_threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare-redis: '$n' is not a positive integer" >&2; exit 2; }
done
[[ "$value_size" =~ ^[0-9]+$ ]] || { echo "compare-redis: --value-size '$value_size' is not a number" >&2; exit 2; }
[[ "$ballot_ports" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "compare-redis: --ballot-ports '$ballot_ports' is not a port list" >&2; exit 2; }

for tool in redis-server redis-benchmark redis-cli; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "compare-redis: $tool not found; skipping the comparison (install the redis-server and redis-tools packages)."
    exit 0
  fi
done

# shellcheck source=../scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
jar="$ROOT/bench/target/benchmarks.jar"
if [ "$build" = 1 ]; then
  if [ "$(ballot_java_version "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  echo "compare-redis: building bench/ ..." >&2
  "$ROOT/mvnw" -B -ntp -q -DskipTests package -pl bench -am >&2
fi
[ -f "$jar" ] || { echo "compare-redis: $jar missing; run without --skip-build" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_port=""
for p in $(seq 16379 16479); do
  if ! listening "$p"; then redis_port=$p; break; fi
done
[ -n "$redis_port" ] || { echo "compare-redis: no free port in 16379..16479 for redis-server" >&2; exit 1; }

workdir=$(mktemp -d "${TMPDIR:-/tmp}/ballot-compare-redis.XXXXXX")
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$workdir" --save '' \
  --appendonly yes --appendfsync always --daemonize no >"$workdir/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] \
  || { echo "compare-redis: redis-server did not start:" >&2; cat "$workdir/redis.log" >&2; exit 1; }

ballot_first=${ballot_ports%%,*}
targets="redis"
if listening "$ballot_first"; then
  targets="redis ballot"
else
  echo "compare-redis: nothing listens on Ballot port $ballot_first; measuring Redis only" \
       "(start a cluster with './ballot cluster start --nodes 3' and pass its ports with --ballot-ports)."
fi

port_of() { if [ "$1" = redis ]; then echo "$redis_port"; else echo "$ballot_first"; fi; }
ports_of() { if [ "$1" = redis ]; then echo "$redis_port"; else echo "$ballot_ports"; fi; }

# One redis-benchmark run; appends "ops p50 p99" to $workdir/rb-<target>.
run_redis_benchmark() {
  local target=$1 line
  local threads=()
  [ "$rb_threads" -gt 1 ] && threads=(--threads "$rb_threads")
  line=$(redis-benchmark -t set -c "$clients" -d "$value_size" -n "$requests" -r "$keys" -P "$pipeline" \
           "${threads[@]}" -p "$(port_of "$target")" --csv | grep '^"SET"') \
    || { echo "compare-redis: redis-benchmark against $target failed" >&2; return 1; }
  # "SET","rps","avg","min","p50","p95","p99","max"
  echo "    $line" >&2
  echo "$line" | tr -d '"' | awk -F, '{ print $2, $5, $7 }' >>"$workdir/rb-$target"
}

# One LoadGenerator run; appends "ops p50 p99" to $workdir/lg-<target>.
run_load_generator() {
  local target=$1 out
  out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" dev.ballot.bench.load.LoadGenerator \
          --ports "$(ports_of "$target")" --clients "$clients" --pipeline "$pipeline" --value-size "$value_size" \
          --keys "$keys" --requests "$requests" --warmup "$warmup" --duration 600) \
    || { echo "compare-redis: LoadGenerator against $target failed:" >&2; echo "$out" >&2; return 1; }
  echo "$out" | sed 's/^/    /' >&2
  local ops p50 p99
  ops=$(echo "$out" | sed -n 's/^ops\/s: \([0-9.]*\).*/\1/p')
  p50=$(echo "$out" | sed -n 's/.* p50=\([0-9.]*\).*/\1/p')
  p99=$(echo "$out" | sed -n 's/.* p99=\([0-9.]*\).*/\1/p')
  echo "$ops $p50 $p99" >>"$workdir/lg-$target"
}

echo "compare-redis: redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on port $redis_port" \
     "(appendonly yes, appendfsync always, dir $workdir); Ballot ports $ballot_ports"
echo "compare-redis: $reps x [redis-benchmark, LoadGenerator] x [$targets]: $requests SETs," \
     "$clients clients, pipeline $pipeline, $value_size-byte values, $keys keys, redis-benchmark threads $rb_threads"
for r in $(seq 1 "$reps"); do
  for target in $targets; do
    echo "  rep $r/$reps: redis-benchmark -> $target" >&2
    run_redis_benchmark "$target"
    echo "  rep $r/$reps: LoadGenerator -> $target" >&2
    run_load_generator "$target"
  done
done

# median FILE COLUMN
median() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "medians of $reps runs (latency in ms)"
printf '%-16s %-7s %12s %9s %9s\n' tool target "ops/s" p50 p99
for tool in rb lg; do
  name=$([ "$tool" = rb ] && echo redis-benchmark || echo LoadGenerator)
  for target in $targets; do
    printf '%-16s %-7s %12.0f %9.3f %9.3f\n' "$name" "$target" \
      "$(median "$workdir/$tool-$target" 1)" "$(median "$workdir/$tool-$target" 2)" "$(median "$workdir/$tool-$target" 3)"
  done
done
if [ "$targets" = "redis ballot" ]; then
  echo
  for tool in rb lg; do
    name=$([ "$tool" = rb ] && echo redis-benchmark || echo LoadGenerator)
    awk -v n="$name" -v b="$(median "$workdir/$tool-ballot" 1)" -v r="$(median "$workdir/$tool-redis" 1)" \
      'BEGIN { printf "ratio Ballot/Redis (ops/s, %s): %.2f\n", n, (r > 0 ? b / r : 0) }'
  done
fi
