#!/usr/bin/env bash
# Live re-stream benchmark (issue 14, item 9): one 1080p25 H.264 camera at 4 Mbit/s recorded by Vigil
# (`vigil run --headless`), then re-streamed by Vigil's RTSP server (rtsp://127.0.0.1:8554/<camera>/main) to N viewers
# (default 10, `ffmpeg -rtsp_transport tcp -c copy -f null`: they receive and discard, they decode nothing).
# Measures Vigil's CPU (utime+stime from /proc) and RSS with no viewer and with N viewers over the same window, and
# the camera's connections (established TCP at its port), which must stay at one.
#
# The camera: the demo RTSP camera process of the tests (testcam.py: gst-rtsp-server, x264enc, GOP 2 s, one shared
# encoder for every client like a real camera), so its encoding cost is not counted as Vigil's.
# Goal (issue): under 1 % of one core per re-stream viewer of a 1080p camera, no decoding.
# Usage: releng/bench/restream.sh [seconds=60] [viewers=10]   (VIGIL_HOME: another distribution)
#        (build first: releng/scripts/mvn.sh -DskipTests package; port 8554 must be free)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
viewers=${2:-10}
vigil="${VIGIL_HOME:-$root/releng/target/vigil}/bin/vigil"
testcam="$root/bundles/org.vigil.camera.tests/testcam/testcam.py"
python=/usr/bin/python3
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: sudo apt-get install ffmpeg" >&2; exit 1; }
"$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 8554))' 2>/dev/null \
  || { echo "Port 8554 is in use; the re-stream listens there by default. Stop what uses it first." >&2; exit 1; }

work=$(mktemp -d /tmp/vigil-bench-restream.XXXXXX)
data="$work/data"
cam_pid=""; vigil_pid=""; ff_pids=()
cleanup() {
  for p in "${ff_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  [ -n "$vigil_pid" ] && kill -TERM "$vigil_pid" 2>/dev/null || true
  [ -n "$cam_pid" ] && kill -TERM "$cam_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
pct() { awk -v t="$1" -v hz="$hz" -v s="$2" 'BEGIN {printf "%.2f", 100 * t / hz / s}'; }
established() { # the camera process's established TCP connections at its port $1 (its clients)
  local inodes
  inodes=$(ls -l "/proc/$cam_pid/fd" 2>/dev/null | grep -o 'socket:\[[0-9]*\]' | tr -dc '0-9\n' | paste -sd' ')
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf '%04X' "$1")" -v inodes="$inodes" \
    'BEGIN {split(inodes, a, " "); for (i in a) own[a[i]] = 1} $2 ~ ":"p"$" && $4 == "01" && ($10 in own) {n++}
     END {print n+0}'
}

port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$python" "$testcam" "$port" 1920 1080 25 50 4000 > "$work/camera.log" 2>&1 &
cam_pid=$!
for _ in $(seq 100); do grep -q READY "$work/camera.log" && break; sleep 0.1; done
grep -q READY "$work/camera.log" || { echo "the demo camera did not start:" >&2; cat "$work/camera.log" >&2; exit 1; }

pw=bench-$RANDOM$RANDOM
printf '%s\n' "$pw" | "$vigil" user add bench --role viewer --password-stdin --data "$data" > /dev/null
"$vigil" run --headless --data "$data" > "$work/vigil.log" 2>&1 &
vigil_pid=$!
deadline=$((SECONDS + 90))
until "$vigil" status --data "$data" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "Vigil is not ready within 90 s" >&2; tail -20 "$work/vigil.log" >&2; exit 1; }
  sleep 0.2
done
"$vigil" camera add bench1 "rtsp://127.0.0.1:$port/h264" --segment 60 --data "$data" > /dev/null
deadline=$((SECONDS + 60))
until "$vigil" camera status --json --data "$data" | grep -q '"state": "RECORDING"'; do
  [ $SECONDS -lt $deadline ] || { echo "the camera is not recording within 60 s" >&2; exit 1; }
  sleep 0.5
done
sleep 10
t0=$(ticks "$vigil_pid"); sleep "$seconds"; none_ticks=$(( $(ticks "$vigil_pid") - t0 ))
none_rss=$(rss_kb "$vigil_pid")
none_conn=$(established "$port")

url="rtsp://bench:$pw@127.0.0.1:8554/bench1/main"
for i in $(seq 1 "$viewers"); do
  ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -c copy -f null - > "$work/viewer$i.log" 2>&1 &
  ff_pids+=($!)
done
sleep 15
for p in "${ff_pids[@]}"; do
  kill -0 "$p" 2>/dev/null || { echo "a viewer ended early:" >&2; cat "$work"/viewer*.log >&2; exit 1; }
done
t0=$(ticks "$vigil_pid"); v0=0; for p in "${ff_pids[@]}"; do v0=$((v0 + $(ticks "$p"))); done
sleep "$seconds"
with_ticks=$(( $(ticks "$vigil_pid") - t0 ))
v1=0; for p in "${ff_pids[@]}"; do v1=$((v1 + $(ticks "$p"))); done
with_rss=$(rss_kb "$vigil_pid")
with_conn=$(established "$port")

echo "re-stream of one 1080p25 H.264 camera (4 Mbit/s), ${seconds} s windows, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  Vigil, recording, no viewer:      CPU $(pct "$none_ticks" "$seconds") % of one core, RSS $((none_rss / 1024)) MB, camera connections $none_conn"
echo "  Vigil, recording, $viewers viewers:      CPU $(pct "$with_ticks" "$seconds") % of one core, RSS $((with_rss / 1024)) MB, camera connections $with_conn"
echo "  per viewer:                       CPU $(awk -v a="$with_ticks" -v b="$none_ticks" -v n="$viewers" -v hz="$hz" \
  -v s="$seconds" 'BEGIN {printf "%.2f", 100 * (a - b) / n / hz / s}') % of one core, RSS $(awk -v a="$with_rss" \
  -v b="$none_rss" -v n="$viewers" 'BEGIN {printf "%.1f", (a - b) / 1024 / n}') MB"
echo "  the $viewers ffmpeg viewers together (receive only): CPU $(pct $((v1 - v0)) "$seconds") % of one core"
