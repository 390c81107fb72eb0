#!/usr/bin/env bash
# etcd as a reference line (docs/benchmarks.md, "etcd as a reference line"): on this machine, one
# after the other,
#   1. a 3-member etcd on loopback (data in a temp dir, etcd's defaults: fsync on, 100 ms heartbeat)
#      under `etcdctl check perf --load l` (500 clients, up to 8000 writes/s, 60 s, 1 KiB values),
#   2. a 3-node Ballot cluster (`ballot cluster start`, fsync on) under `ballot bench-kv` with the
#      same clients, value size and key size, spread over all three nodes,
# then prints both writes/s and latencies side by side, against issue 10's target: Ballot at least
# 5x etcd's writes/s, with a p99 no worse than etcd's slowest request.
# Installs Debian's etcd-server and etcd-client with apt-get if etcd or etcdctl is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<USAGE
usage: ./ballot bench etcd [options]      (or bench/compare-etcd.sh [options])

  --load L               etcdctl check perf workload: s, m, l or xl (default l: 500 clients, at most
                         8000 writes/s; check perf always runs 60 s)
  --clients C            Ballot's bench-kv connections (default: as many as the --load uses, 500 for l)
  --duration S           Ballot's measured seconds (default 60, as long as check perf)
  --warmup S             Ballot's unmeasured seconds before that, for the JIT (default 5)
  --value-size B         Ballot's SET value size (default 1024, check perf's)
  --key-size B           Ballot's key size (default 276: check perf's 20-byte prefix + 256 bytes)
  --keys K               Ballot's keyspace (default 100000; check perf writes random, new keys)
  --only etcd|ballot     measure only one of the two
  --etcd-dir DIR         take etcd and etcdctl from DIR instead of the PATH (e.g. another release)
  --etcd-arg ARG         one more flag for every etcd member, e.g. --etcd-arg=--quota-backend-bytes=8589934592
                         (repeatable; by default the members run with etcd's defaults)
  --no-install           fail instead of running apt-get when etcd or etcdctl is missing
  --etcd-port-base P     etcd member i listens for clients on P+i-1, for peers on P+10+i-1 (default 23791)
  --peer-port-base P     Ballot node i's peer port P+i-1 (default 27201)
  --redis-port-base P    Ballot node i's RESP port P+i-1 (default 26501)
  --http-port-base P     Ballot node i's HTTP port P+i-1 (default 28501)
  --work-dir DIR         where both keep their data and logs (default: a new directory under
                         bench/target/, on the same disk as the repository; removed at the end
                         unless --keep)
  --keep                 keep the work directory (data, logs, raw outputs)
  --skip-build           use bench/target/benchmarks.jar as it is
USAGE
}

die() { echo "compare-etcd: $*" >&2; exit 1; }

etcd_args=()
load=l clients="" duration=60 warmup=5 value_size=1024 key_size=276 keys=100000 only="" etcd_dir="" install=1
etcd_base=23791 peer_base=27201 redis_base=26501 http_base=28501 work_dir="" keep=0 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --load) load=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --key-size) key_size=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --etcd-dir) etcd_dir=$2; shift 2 ;;
    --etcd-arg) etcd_args+=("$2"); shift 2 ;;
    --etcd-arg=*) etcd_args+=("${1#--etcd-arg=}"); shift ;;
    --no-install) install=0; shift ;;
    --etcd-port-base) etcd_base=$2; shift 2 ;;
    --peer-port-base) peer_base=$2; shift 2 ;;
    --redis-port-base) redis_base=$2; shift 2 ;;
    --http-port-base) http_base=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --skip-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare-etcd: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# check perf's workloads (etcdctl/ctlv3/command/check.go): clients and the rate limit of each.
case "$load" in
  s) perf_clients=50 perf_limit=150 ;;
  m) perf_clients=200 perf_limit=1000 ;;
  l) perf_clients=500 perf_limit=8000 ;;
  xl) perf_clients=1000 perf_limit=15000 ;;
  *) echo "compare-etcd: --load must be s, m, l or xl, was '$load'" >&2; exit 2 ;;
esac
clients=${clients:-$perf_clients}
case "$only" in ""|etcd|ballot) ;; *) echo "compare-etcd: --only must be etcd or ballot, was '$only'" >&2; exit 2 ;; esac
for n in "$clients" "$duration" "$keys" "$key_size" "$etcd_base" "$peer_base" "$redis_base" "$http_base"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare-etcd: '$n' is not a positive integer" >&2; exit 2; }
done
for n in "$warmup" "$value_size"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "compare-etcd: '$n' is not a whole number" >&2; exit 2; }
done
[ "$key_size" -ge 16 ] || { echo "compare-etcd: --key-size must be >= 16 (bench-kv's smallest key)" >&2; exit 2; }

run_etcd=1 run_ballot=1
[ "$only" = ballot ] && run_etcd=0
[ "$only" = etcd ] && run_ballot=0

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# require_free PORT WHAT FLAG
require_free() {
  if listening "$1"; then
    die "port $1 ($2) is already in use on 127.0.0.1; stop what uses it (\`ss -ltnp | grep $1\`) or move it with $3"
  fi
}

# ---------------------------------------------------------------- etcd binaries
etcd_bin=etcd etcdctl_bin=etcdctl
ensure_etcd() {
  if [ -n "$etcd_dir" ]; then
    etcd_bin="$etcd_dir/etcd" etcdctl_bin="$etcd_dir/etcdctl"
    [ -x "$etcd_bin" ] && [ -x "$etcdctl_bin" ] || die "--etcd-dir $etcd_dir must hold executable etcd and etcdctl"
    return
  fi
  if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then return; fi
  [ "$install" = 1 ] || die "etcd or etcdctl is not on the PATH; install them (Debian: apt-get install etcd-server etcd-client) or run with --only ballot"
  command -v apt-get >/dev/null 2>&1 \
    || die "etcd or etcdctl is not on the PATH and there is no apt-get here; install etcd 3.4 or newer yourself (or pass --etcd-dir DIR), or run with --only ballot"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "installing etcd needs root (apt-get install etcd-server etcd-client), and there is no sudo"
    sudo=(sudo)
  fi
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/ballot-etcd-install.XXXXXX")
  echo "compare-etcd: etcd or etcdctl missing; installing Debian's etcd-server and etcd-client (apt-get; log $log)..." >&2
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server etcd-client >"$log" 2>&1; then
    echo "compare-etcd: the install failed; refreshing the package lists (apt-get update) and trying again..." >&2
    if ! { "${sudo[@]}" apt-get update -q && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -q etcd-server etcd-client; } >>"$log" 2>&1; then
      echo "compare-etcd: apt-get could not install etcd-server and etcd-client; the end of its output:" >&2
      tail -n 15 "$log" | sed 's/^/  | /' >&2
      die "install etcd 3.4 or newer yourself (or pass --etcd-dir DIR), or run with --only ballot"
    fi
  fi
  rm -f "$log"
  command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1 \
    || die "apt-get installed etcd-server and etcd-client, but etcd or etcdctl is still not on the PATH"
  # On a machine with systemd the package starts a system-wide etcd (on 2379/2380, not our ports).
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    echo "compare-etcd: note: installing etcd-server started the system's etcd service; it is idle, but" \
         "'systemctl stop etcd' keeps it out of the measurement" >&2
  fi
}

# ---------------------------------------------------------------- common setup
if [ "$run_etcd" = 1 ]; then
  ensure_etcd
  etcd_version=$("$etcd_bin" --version | sed -n 's/^etcd Version: *//p')
  etcdctl_version=$("$etcdctl_bin" version | sed -n 's/^etcdctl version: *//p')
  for i in 1 2 3; do
    require_free $((etcd_base + i - 1)) "etcd member $i clients" --etcd-port-base
    require_free $((etcd_base + 10 + i - 1)) "etcd member $i peers" --etcd-port-base
  done
fi
if [ "$run_ballot" = 1 ]; then
  for i in 1 2 3; do
    require_free $((peer_base + i - 1)) "Ballot node $i peer" --peer-port-base
    require_free $((redis_base + i - 1)) "Ballot node $i RESP" --redis-port-base
    require_free $((http_base + i - 1)) "Ballot node $i HTTP" --http-port-base
  done
  # shellcheck source=../scripts/find-jdk.sh
  . "$ROOT/scripts/find-jdk.sh"
  jar="$ROOT/bench/target/benchmarks.jar"
  if [ "$build" = 1 ]; then
    if [ "$(ballot_java_version "$JAVA_HOME/bin/java")" -ge 24 ]; then
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
    echo "compare-etcd: building bench/ ..." >&2
    "$ROOT/mvnw" -B -ntp -q -DskipTests package -pl bench -am >&2
  fi
  [ -f "$jar" ] || die "$jar missing; run without --skip-build"
fi

if [ -z "$work_dir" ]; then
  mkdir -p "$ROOT/bench/target"
  work_dir=$(mktemp -d "$ROOT/bench/target/compare-etcd.XXXXXX")
else
  mkdir -p "$work_dir"
  [ -z "$(ls -A "$work_dir")" ] || die "--work-dir $work_dir is not empty"
fi
work_dir=$(cd "$work_dir" && pwd)

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then
    echo "compare-etcd: kept $work_dir" >&2
  else
    rm -rf "$work_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop PID: SIGTERM, then SIGKILL after 20 s; waits for it.
stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local rest=()
  for i in "${pids[@]}"; do [ "$i" = "$pid" ] || rest+=("$i"); done
  pids=("${rest[@]}")
}

fs_type=$(stat -f -c %T "$work_dir" 2>/dev/null || echo unknown)
echo "compare-etcd: data and logs under $work_dir (filesystem $fs_type)"
[ "$fs_type" = tmpfs ] && echo "compare-etcd: warning: $work_dir is on tmpfs, where fsync costs nothing; use --work-dir on a real disk" >&2
echo "compare-etcd: machine: $(nproc) cores, $(uname -sr); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. etcd
etcd_rps="" etcd_slowest_ms="" etcd_stddev_ms="" etcd_errors=""
if [ "$run_etcd" = 1 ]; then
  mkdir -p "$work_dir/etcd"
  members="" endpoints=""
  for i in 1 2 3; do
    members+="${members:+,}m$i=http://127.0.0.1:$((etcd_base + 10 + i - 1))"
    endpoints+="${endpoints:+,}127.0.0.1:$((etcd_base + i - 1))"
  done
  etcd_pids=()
  for i in 1 2 3; do
    client="http://127.0.0.1:$((etcd_base + i - 1))" peer="http://127.0.0.1:$((etcd_base + 10 + i - 1))"
    "$etcd_bin" --name "m$i" --data-dir "$work_dir/etcd/m$i" \
      --listen-client-urls "$client" --advertise-client-urls "$client" \
      --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
      --initial-cluster "$members" --initial-cluster-state new --initial-cluster-token "ballot-compare-$$" \
      --logger zap --log-outputs stderr "${etcd_args[@]}" >"$work_dir/etcd/m$i.log" 2>&1 &
    pids+=($!) etcd_pids+=($!)
  done
  echo "compare-etcd: etcd $etcd_version (etcdctl $etcdctl_version): 3 members on $endpoints, etcd's defaults" \
       "(fsync on, heartbeat 100 ms, election 1000 ms)${etcd_args[*]:+ plus ${etcd_args[*]}}, waiting until healthy..."
  healthy=0
  for _ in $(seq 1 300); do
    for i in 0 1 2; do
      kill -0 "${etcd_pids[$i]}" 2>/dev/null && continue
      echo "compare-etcd: etcd member $((i + 1)) exited while starting; the end of its log:" >&2
      tail -n 15 "$work_dir/etcd/m$((i + 1)).log" | sed 's/^/  | /' >&2
      exit 1
    done
    if ETCDCTL_API=3 "$etcdctl_bin" --endpoints="$endpoints" --command-timeout=1s endpoint health >/dev/null 2>&1; then
      healthy=1
      break
    fi
    sleep 0.1
  done
  [ "$healthy" = 1 ] || die "etcd did not become healthy within 30 s; see $work_dir/etcd/m*.log (run with --keep to look)"
  echo "compare-etcd: etcdctl --endpoints=$endpoints check perf --load $load  ($perf_clients clients, at most" \
       "$perf_limit writes/s, 60 s, 256-byte keys under a 20-byte prefix, 1 KiB values)"
  echo "compare-etcd: (60 s; its progress bar is left out; --keep keeps its raw output, etcd-check-perf.txt)"
  set +e
  ETCDCTL_API=3 "$etcdctl_bin" --endpoints="$endpoints" check perf --load "$load" 2>&1 \
    | tee "$work_dir/etcd-check-perf.txt" | tr '\r' '\n' | grep -Ev '^ *$|^ *[0-9]+ / [0-9]+( |$)' | sed 's/^/  | /'
  perf_status=${PIPESTATUS[0]}
  set -e
  perf_out=$(tr '\r' '\n' <"$work_dir/etcd-check-perf.txt")
  etcd_rps=$(printf '%s\n' "$perf_out" | sed -n 's/.*Throughput[^0-9]*\([0-9][0-9]*\) writes\/s.*/\1/p' | tail -n 1)
  slowest_s=$(printf '%s\n' "$perf_out" | sed -n 's/.*Slowest request took[^0-9]*\([0-9.][0-9.]*\)s.*/\1/p' | tail -n 1)
  stddev_s=$(printf '%s\n' "$perf_out" | sed -n 's/.*Stddev[^0-9]*\([0-9.][0-9.]*\)s.*/\1/p' | tail -n 1)
  etcd_errors=$(printf '%s\n' "$perf_out" | sed -n 's/.*FAIL: ERROR(.*) -> \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
  if [ -z "$etcd_rps" ] || [ -z "$slowest_s" ]; then
    die "could not read throughput and slowest request from etcdctl check perf (exit code $perf_status); its output is above"
  fi
  etcd_slowest_ms=$(awk -v s="$slowest_s" 'BEGIN { printf "%.1f", s * 1000 }')
  etcd_stddev_ms=$(awk -v s="${stddev_s:-0}" 'BEGIN { printf "%.1f", s * 1000 }')
  # check perf exits 1 when its own thresholds fail (throughput < 90% of the limit, slowest > 0.5 s, ...);
  # the numbers are still what it measured.
  [ "$perf_status" = 0 ] || echo "compare-etcd: (check perf exit code $perf_status: its own pass/fail thresholds, not an error of this script)"
  for pid in "${etcd_pids[@]}"; do stop "$pid"; done
fi

# ---------------------------------------------------------------- 2. Ballot
ballot_rps="" ballot_p50="" ballot_p99="" ballot_max="" ballot_errors=""
if [ "$run_ballot" = 1 ]; then
  mkdir -p "$work_dir/ballot"
  java -cp "$jar" dev.ballot.server.BallotCli cluster start --nodes 3 --base-dir "$work_dir/ballot" \
    --peer-port-base "$peer_base" --redis-port-base "$redis_base" --http-port-base "$http_base" \
    >"$work_dir/ballot/cluster.out" 2>&1 &
  cluster_pid=$!
  pids+=("$cluster_pid")
  echo "compare-etcd: Ballot: 3 nodes (ballot cluster start, fsync on), RESP ports $redis_base..$((redis_base + 2)), waiting for a leader..."
  for _ in $(seq 1 900); do
    grep -q '^leader: node\|^no leader yet' "$work_dir/ballot/cluster.out" && break
    if ! kill -0 "$cluster_pid" 2>/dev/null; then
      echo "compare-etcd: ballot cluster start exited; its output:" >&2
      sed 's/^/  | /' "$work_dir/ballot/cluster.out" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q '^leader: node' "$work_dir/ballot/cluster.out" \
    || { sed 's/^/  | /' "$work_dir/ballot/cluster.out" >&2; die "the Ballot cluster has no leader; see the logs under $work_dir/ballot (--keep to look)"; }
  ports="$redis_base,$((redis_base + 1)),$((redis_base + 2))"
  echo "compare-etcd: ballot bench-kv --ports $ports --clients $clients --value-size $value_size --key-size $key_size" \
       "--keys $keys --duration $duration --warmup $warmup"
  lg_status=0
  lg_out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" dev.ballot.bench.load.LoadGenerator \
             --ports "$ports" --clients "$clients" --value-size "$value_size" --key-size "$key_size" --keys "$keys" \
             --duration "$duration" --warmup "$warmup") || lg_status=$?
  printf '%s\n' "$lg_out" | tee "$work_dir/ballot-bench-kv.txt" | sed 's/^/  | /'
  [ "$lg_status" = 0 ] || die "bench-kv against Ballot failed (exit code $lg_status); node logs under $work_dir/ballot (--keep to look)"
  ballot_rps=$(printf '%s\n' "$lg_out" | sed -n 's/^ops\/s: .*(successful: \([0-9.]*\)).*/\1/p')
  ballot_p50=$(printf '%s\n' "$lg_out" | sed -n 's/.* p50=\([0-9.]*\).*/\1/p')
  ballot_p99=$(printf '%s\n' "$lg_out" | sed -n 's/.* p99=\([0-9.]*\).*/\1/p')
  ballot_max=$(printf '%s\n' "$lg_out" | sed -n 's/.* max=\([0-9.]*\).*/\1/p')
  ballot_errors=$(printf '%s\n' "$lg_out" | sed -n 's/^errors: \([0-9]*\).*/\1/p')
  stop "$cluster_pid"
fi

# ---------------------------------------------------------------- side by side
echo
printf '%-44s %10s %9s %9s %12s %7s\n' "" "writes/s" "p50 ms" "p99 ms" "slowest ms" errors
if [ "$run_etcd" = 1 ]; then
  printf '%-44s %10s %9s %9s %12s %7s\n' "etcd $etcd_version, check perf --load $load ($perf_clients clients)" \
    "$etcd_rps" - - "$etcd_slowest_ms" "$etcd_errors"
fi
if [ "$run_ballot" = 1 ]; then
  printf '%-44s %10.0f %9.1f %9.1f %12.1f %7s\n' "Ballot, bench-kv ($clients clients, ${duration} s)" \
    "$ballot_rps" "$ballot_p50" "$ballot_p99" "$ballot_max" "$ballot_errors"
fi
if [ "$run_etcd" = 1 ]; then
  [ "$etcd_rps" -ge $((perf_limit * 9 / 10)) ] && echo "note: etcd ran at check perf's rate limit ($perf_limit writes/s for --load $load);" \
    "its writes/s is that limit, not its capacity"
  echo "(check perf prints no percentiles: its slowest request is the column to hold Ballot's p99 against; stddev ${etcd_stddev_ms} ms)"
fi
if [ "$run_etcd" = 1 ] && [ "$run_ballot" = 1 ]; then
  awk -v b="$ballot_rps" -v e="$etcd_rps" -v p99="$ballot_p99" -v slow="$etcd_slowest_ms" 'BEGIN {
    ratio = (e > 0 ? b / e : 0)
    printf "ratio Ballot/etcd writes/s: %.2f (target >= 5)\n", ratio
    printf "Ballot p99 %.1f ms vs etcd slowest %.1f ms: %s (target: no worse)\n", p99, slow, (p99 <= slow ? "no worse" : "worse")
    printf "target (issue 10): %s\n", (ratio >= 5 && p99 <= slow ? "met" : "NOT met")
  }'
fi
