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
modules=target-platform,bundles/org.vigil.api,bundles/org.vigil.core,bundles/org.vigil.gst,bundles/org.vigil.democam
modules=$modules,bundles/org.vigil.codec.h264,bundles/org.vigil.codec.h265,bundles/org.vigil.codec.mjpeg
modules=$modules,bundles/org.vigil.camera,bundles/org.vigil.storage,bundles/org.vigil.branding,bundles/org.vigil.ui
modules=$modules,bundles/org.vigil.ui.cameras,bundles/org.vigil.ui.live,bundles/org.vigil.ui.tests
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
