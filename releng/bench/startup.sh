#!/usr/bin/env bash
# Startup benchmark: time from `vigil run --headless` to "ready" (the launcher's own figure and the wall time until
# `vigil status` answers), and idle RSS after the instance has settled, over several runs.
# Goal on a 2-core machine: ready in under 2 s, idle RSS under 150 MB.
# Usage: releng/bench/startup.sh [runs] [settle-seconds]    (build first: releng/scripts/mvn.sh -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vigil="$root/releng/target/vigil/bin/vigil"
runs=${1:-5}
settle=${2:-10}
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
work=$(mktemp -d /tmp/vigil-bench-startup.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

printf '%-4s %12s %14s %12s\n' run "ready (ms)" "status ok (ms)" "idle RSS (MB)"
ready_all=(); wall_all=(); rss_all=()
for i in $(seq 1 "$runs"); do
  data="$work/data$i"
  t0=$(date +%s%N)
  "$vigil" run --headless --data "$data" > "$work/out$i" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 60))
  until "$vigil" status --data "$data" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "run $i: not ready within 60 s" >&2; cat "$work/out$i" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  wall=$(( (t1 - t0) / 1000000 ))
  sleep "$settle"
  ready=$(sed -n 's/.* is ready in \([0-9]*\) ms.*/\1/p' "$work/out$i" | head -1)
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  rss=$((rss_kb / 1024))
  printf '%-4s %12s %14s %12s\n' "$i" "$ready" "$wall" "$rss"
  ready_all+=("$ready"); wall_all+=("$wall"); rss_all+=("$rss")
  kill -TERM "$pid"; wait "$pid" || true; pid=""
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: ready $(median "${ready_all[@]}") ms (launcher), $(median "${wall_all[@]}") ms until 'vigil status' answers; idle RSS $(median "${rss_all[@]}") MB"
echo "goal:   ready < 2000 ms, idle RSS < 150 MB"
