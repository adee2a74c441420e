#!/usr/bin/env bash
# Live grid benchmark: the workbench's Live view in 2x2 with four tiles of exactly 640x360, fed by four cameras on
# the demo camera (set to 1280x720 at 15 fps, recording off), through the real camera engine and LiveFeed (decode,
# scale to the tile in GStreamer, BGRx into one image per tile). Measured: the CPU time of the SWT display thread
# (ThreadMXBean) over the measuring window, as % of one core; also the whole process and the cameras' frame rate.
# Goal: display thread under 25 % of one core.
# The measurement runs inside the OSGi test framework of org.vigil.ui.tests (LiveBenchTest, skipped in the ordinary
# build) on its own Xvfb display (1920x1200, so that a 1282x722 grid fits).
#
# Usage: releng/bench/live-grid.sh [seconds]      default 60
# VIGIL_BENCH_DISPLAY: the X display number to start Xvfb on (default 129); VIGIL_BENCH_DIR: where results go.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
work="${VIGIL_BENCH_DIR:-$root/target/bench-live}"
dpy=${VIGIL_BENCH_DISPLAY:-129}
mkdir -p "$work"
command -v Xvfb >/dev/null || { echo "The benchmark needs Xvfb (apt-get install xvfb)" >&2; exit 1; }
Xvfb ":$dpy" -screen 0 1920x1200x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
out="$work/live-bench.properties"
rm -f "$out"
# every bundle of the workbench tests' runtime (bundles/org.vigil.ui.tests/pom.xml), without the other test bundles
modules=target-platform
for m in api testing core config cli codec.h264 codec.h265 codec.mjpeg gst democam camera monitor branding ui \
    ui.cameras ui.live ui.health ui.backup ui.playback ui.recordings backup storage playback ui.tests; do
  modules=$modules,bundles/org.vigil.$m
done
echo "Live grid: 4 tiles of 640x360 at 15 fps for $seconds s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)." >&2
(cd "$root" && DISPLAY=":$dpy" GDK_BACKEND=x11 VIGIL_DATA="$work/data" releng/scripts/mvn.sh -B -o -q -pl "$modules" \
   verify -Dtest=org.vigil.ui.internal.LiveBenchTest -Dvigil.ui.bench.live="$seconds" -Dvigil.ui.bench.out="$out" \
   > "$work/mvn.log" 2>&1) || { tail -60 "$work/mvn.log" >&2; echo "The benchmark run failed; see $work/mvn.log" >&2; exit 1; }
[ -s "$out" ] || { echo "No results in $out; see $work/mvn.log" >&2; exit 1; }
get() { sed -n "s/^$1=//p" "$out" | tail -1; }
ui=$(get ui.cpu.percent)
verdict=$(awk -v u="$ui" 'BEGIN { print (u < 25 ? "goal met" : "goal missed") }')
echo "Display thread: $ui % of one core (goal < 25 %, $verdict); whole process $(get process.cpu.percent) %;" \
     "cameras $(get camera.fps) fps; over $(get seconds) s."
