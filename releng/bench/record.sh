#!/usr/bin/env bash
# Recording benchmark: N cameras (default 4) of 1080p25 H.264 at 4 Mbit/s recorded by Vigil (`vigil run --headless`,
# cameras added with `vigil camera add`), and the same streams recorded by ffmpeg (`-c copy -f segment`) in the same
# run, side by side. Measures CPU (utime+stime from /proc) and RSS of each over the same window; Vigil's cost per
# camera is net of its idle cost (measured before the cameras are added). Then the cost of a live view at 640x360
# per camera (`vigil camera live`, one per camera at once).
#
# The cameras: one demo RTSP camera (gst-rtsp-server, the demo camera's pipeline: videotestsrc + time overlay +
# x264enc ultrafast/zerolatency, baseline, GOP 2 s, constant bit rate) in a process of its own, one shared encoder serving every client
# (like a real camera), so that its encoding cost is not counted as Vigil's or ffmpeg's.
#
# Goals (issue): Vigil's CPU at most 1.0x ffmpeg's, under 3 % of one core per camera, under 30 MB RSS per added camera.
# Usage: releng/bench/record.sh [seconds=150] [cameras=4]   (VIGIL_HOME: another distribution; LIVE_SECONDS: 60)
#        (build first: releng/scripts/mvn.sh -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-150}
cameras=${2:-4}
live_seconds=${LIVE_SECONDS:-60}
vigil="${VIGIL_HOME:-$root/releng/target/vigil}/bin/vigil"
testcam="$root/bundles/org.vigil.camera.tests/testcam/testcam.py"
python=/usr/bin/python3
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: sudo apt-get install ffmpeg" >&2; exit 1; }
"$python" -c 'import gi; gi.require_version("GstRtspServer", "1.0")' 2>/dev/null \
  || { echo "The demo camera process needs python3-gi and gir1.2-gst-rtsp-server-1.0." >&2; exit 1; }

work=$(mktemp -d /tmp/vigil-bench-record.XXXXXX)
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
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }           # utime + stime of one process
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
sum_ticks() { local t=0; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo "$t"; }
sum_rss() { local t=0; for p in "$@"; do t=$((t + $(rss_kb "$p"))); done; echo "$t"; }
pct() { awk -v t="$1" -v hz="$hz" -v s="$2" 'BEGIN {printf "%.1f", 100 * t / hz / s}'; }

port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$python" "$testcam" "$port" 1920 1080 25 50 4000 > "$work/camera.log" 2>&1 &
cam_pid=$!
for _ in $(seq 100); do grep -q READY "$work/camera.log" && break; sleep 0.1; done
grep -q READY "$work/camera.log" || { echo "the demo camera did not start:" >&2; cat "$work/camera.log" >&2; exit 1; }
url="rtsp://127.0.0.1:$port/h264"

"$vigil" run --headless --data "$data" > "$work/vigil.log" 2>&1 &
vigil_pid=$!
deadline=$((SECONDS + 90))
until "$vigil" status --data "$data" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "Vigil is not ready within 90 s" >&2; tail -20 "$work/vigil.log" >&2; exit 1; }
  sleep 0.2
done
# the launcher exec's java: the PID is Vigil's JVM
sleep 10
t0=$(ticks "$vigil_pid"); sleep 20; idle_cpu=$(pct $(( $(ticks "$vigil_pid") - t0 )) 20)
idle_rss=$(rss_kb "$vigil_pid")

for i in $(seq 1 "$cameras"); do
  "$vigil" camera add "bench$i" "$url" --segment 60 --data "$data" > /dev/null
done
deadline=$((SECONDS + 60))
until [ "$("$vigil" camera status --json --data "$data" | grep -c '"state": "RECORDING"')" -ge "$cameras" ]; do
  [ $SECONDS -lt $deadline ] || { echo "the cameras are not recording within 60 s:" >&2
    "$vigil" camera status --data "$data" >&2; exit 1; }
  sleep 0.5
done

mkdir -p "$work/ffmpeg"
for i in $(seq 1 "$cameras"); do
  ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -c copy -f segment -segment_time 60 \
    -reset_timestamps 1 "$work/ffmpeg/cam${i}_%03d.mp4" > "$work/ffmpeg$i.log" 2>&1 &
  ff_pids+=($!)
done

sleep 15 # both settle
v0=$(ticks "$vigil_pid"); f0=$(sum_ticks "${ff_pids[@]}"); w0=$(date +%s.%N)
sleep "$seconds"
v1=$(ticks "$vigil_pid"); f1=$(sum_ticks "${ff_pids[@]}"); w1=$(date +%s.%N)
window=$(awk -v a="$w0" -v b="$w1" 'BEGIN {printf "%.1f", b - a}')
vigil_cpu=$(pct $((v1 - v0)) "$window")
ff_cpu=$(pct $((f1 - f0)) "$window")
vigil_rss=$(rss_kb "$vigil_pid")
ff_rss=$(sum_rss "${ff_pids[@]}")

# live view: one 640x360 view per camera, all at once
l0=$(ticks "$vigil_pid")
for i in $(seq 1 "$cameras"); do
  "$vigil" camera live "bench$i" --size 640x360 --seconds "$live_seconds" --data "$data" > "$work/live$i.txt" 2>&1 &
done
sleep 5
l0=$(ticks "$vigil_pid"); lw0=$(date +%s.%N)
sleep $((live_seconds - 10))
l1=$(ticks "$vigil_pid"); lw1=$(date +%s.%N)
live_rss=$(rss_kb "$vigil_pid")
wait_live=$((SECONDS + live_seconds))
while [ "$(cat "$work"/live*.txt 2>/dev/null | grep -c 'pictures of')" -lt "$cameras" ] && [ $SECONDS -lt $wait_live ]; do
  sleep 0.5
done
lwindow=$(awk -v a="$lw0" -v b="$lw1" 'BEGIN {printf "%.1f", b - a}')
live_cpu=$(pct $((l1 - l0)) "$lwindow")

states=$("$vigil" camera status --data "$data")
for p in "${ff_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
for p in "${ff_pids[@]}"; do wait "$p" 2>/dev/null || true; done
ff_pids=()
kill -TERM "$vigil_pid"; wait "$vigil_pid" 2>/dev/null || true; vigil_pid=""

vigil_files=$(find "$data/recordings" -name '*.mp4' | wc -l)
ff_files=$(find "$work/ffmpeg" -name '*.mp4' | wc -l)
vigil_net=$(awk -v a="$vigil_cpu" -v b="$idle_cpu" 'BEGIN {printf "%.1f", a - b}')
ratio=$(awk -v a="$vigil_cpu" -v b="$ff_cpu" 'BEGIN {printf "%.2f", (b > 0) ? (a / b) : 0}')
ratio_net=$(awk -v a="$vigil_net" -v b="$ff_cpu" 'BEGIN {printf "%.2f", (b > 0) ? (a / b) : 0}')

echo "Recording benchmark: $cameras x 1080p25 H.264 4 Mbit/s (one demo camera, shared encoder), window ${window} s"
echo "$(nproc) cores; CPU in % of one core; RSS in MB"
printf '%-44s %8s %10s\n' "" "CPU %" "RSS MB"
printf '%-44s %8s %10s\n' "Vigil idle (before the cameras)" "$idle_cpu" "$((idle_rss / 1024))"
printf '%-44s %8s %10s\n' "Vigil recording $cameras cameras" "$vigil_cpu" "$((vigil_rss / 1024))"
printf '%-44s %8s %10s\n' "ffmpeg -c copy -f segment, $cameras processes" "$ff_cpu" "$((ff_rss / 1024))"
printf '%-44s %8s %10s\n' "Vigil per camera (net of idle)" "$(awk -v a="$vigil_net" -v n="$cameras" 'BEGIN {printf "%.1f", a / n}')" \
  "$(awk -v a="$vigil_rss" -v b="$idle_rss" -v n="$cameras" 'BEGIN {printf "%.1f", (a - b) / 1024 / n}')"
printf '%-44s %8s %10s\n' "ffmpeg per camera" "$(awk -v a="$ff_cpu" -v n="$cameras" 'BEGIN {printf "%.1f", a / n}')" \
  "$(awk -v a="$ff_rss" -v n="$cameras" 'BEGIN {printf "%.1f", a / 1024 / n}')"
echo "Vigil / ffmpeg CPU: ${ratio}x (net of Vigil's idle cost: ${ratio_net}x)"
printf '%-44s %8s %10s\n' "Vigil recording + live 640x360 on each" "$live_cpu" "$((live_rss / 1024))"
echo "live view cost per camera: $(awk -v a="$live_cpu" -v b="$vigil_cpu" -v n="$cameras" 'BEGIN {printf "%.1f", (a - b) / n}') % CPU," \
  "$(awk -v a="$live_rss" -v b="$vigil_rss" -v n="$cameras" 'BEGIN {printf "%.1f", (a - b) / 1024 / n}') MB RSS"
cat "$work"/live*.txt
echo "files: Vigil $vigil_files, ffmpeg $ff_files"
echo "$states"
echo "goals: CPU <= 1.0x ffmpeg, < 3 % of a core per camera, < 30 MB RSS per added camera"
