#!/usr/bin/env bash
# Monitor overhead benchmark: the CPU the system monitor takes in a running instance, as a share of one core.
# Goal: under 0.5 % of one core at the default interval of 2 s.
#
# Starts `vigil run --headless` on a scratch data directory, lets it settle, then reads `vigil metrics` every
# 2 s for DURATION seconds. vigil_monitor_reading_cpu_seconds is the CPU time (user + system) of the monitor's
# previous reading, measured by the monitor on its own thread; each reading is counted once (by its timestamp).
# The whole process's CPU over the same time is printed for scale (it includes answering `vigil metrics`).
#
# Usage: releng/bench/monitor.sh [duration-seconds] [settle-seconds]
#        (build first: releng/scripts/mvn.sh -DskipTests package)
# Without a distribution, the monitor's tests measure the same figure (3000 readings with 16 cameras):
#   releng/scripts/mvn.sh -o -pl target-platform,bundles/org.vigil.api,bundles/org.vigil.core,bundles/org.vigil.cli,\
#     bundles/org.vigil.monitor,bundles/org.vigil.monitor.tests verify
#   cat bundles/org.vigil.monitor.tests/target/monitor-overhead.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vigil="${VIGIL:-$root/releng/target/vigil/bin/vigil}"
duration=${1:-120}
settle=${2:-20}
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
work=$(mktemp -d /tmp/vigil-bench-monitor.XXXXXX)
data="$work/data"
run_pid=""
cleanup() { [ -n "$run_pid" ] && kill -TERM "$run_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$vigil" run --headless --data "$data" > "$work/run.log" 2>&1 &
run_pid=$!
deadline=$((SECONDS + 60))
until "$vigil" status --data "$data" >/dev/null 2>&1 || [ $? -eq 1 ]; do
  [ $SECONDS -lt $deadline ] || { echo "Vigil did not start within 60 s:" >&2; cat "$work/run.log" >&2; exit 1; }
  sleep 0.2
done
"$vigil" metrics --data "$data" | grep -q '^vigil_monitor_reading_cpu_seconds ' \
  || { echo "This build has no system monitor (bundle org.vigil.monitor)." >&2; exit 1; }
pid=$("$vigil" metrics --data "$data" --json | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' | head -1)
echo "Vigil runs as PID $pid; settling for $settle s, then measuring for $duration s."
sleep "$settle"

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(date +%s%N); c0=$(ticks)
declare -A seen
sum=0; n=0
end=$((SECONDS + duration))
while [ $SECONDS -lt $end ]; do
  out=$("$vigil" metrics --data "$data")
  ts=$(awk '$1 == "vigil_monitor_last_reading_timestamp_seconds" {print $2}' <<<"$out")
  cpu=$(awk '$1 == "vigil_monitor_reading_cpu_seconds" {print $2}' <<<"$out")
  if [ -n "$ts" ] && [ -z "${seen[$ts]:-}" ]; then
    seen[$ts]=1
    sum=$(awk -v a="$sum" -v b="$cpu" 'BEGIN {printf "%.9f", a + b}')
    n=$((n + 1))
  fi
  sleep 2
done
t1=$(date +%s%N); c1=$(ticks)

awk -v sum="$sum" -v n="$n" -v c="$((c1 - c0))" -v hz="$hz" -v ns="$((t1 - t0))" 'BEGIN {
  per = n ? sum / n : 0
  printf "monitor: %d readings, %.3f ms CPU each = %.4f %% of one core at a 2 s interval (goal < 0.5 %%)\n",
         n, per * 1000, per / 2 * 100
  printf "process: %.2f %% of one core over %.0f s (everything: JVM, scheduler, answering vigil metrics)\n",
         (c / hz) / (ns / 1e9) * 100, ns / 1e9
}'
