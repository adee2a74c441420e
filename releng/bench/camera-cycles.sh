#!/usr/bin/env bash
# Soak of the camera recorder (seed S1/S7): N connect/disconnect cycles of a recording camera in one framework
# (default 500), with a live viewer every 5th cycle; prints open files, threads, pinned gst1-java-core objects,
# RSS, heap and listener counts every 10 cycles. It runs the recorder's CyclesTest alone with a larger count.
# Usage: releng/bench/camera-cycles.sh [cycles]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cycles=${1:-500}
cd "$root"
log=$(mktemp /tmp/vigil-camera-cycles.XXXXXX)
trap 'rm -f "$log"' EXIT
releng/scripts/mvn.sh -B -o -pl target-platform,bundles/org.vigil.api,bundles/org.vigil.testing,bundles/org.vigil.core,bundles/org.vigil.media,bundles/org.vigil.storage,\
bundles/org.vigil.gst,bundles/org.vigil.democam,bundles/org.vigil.codec.h264,bundles/org.vigil.codec.h265,\
bundles/org.vigil.codec.mjpeg,bundles/org.vigil.camera,bundles/org.vigil.camera.tests \
  -Dvigil.test.cycles="$cycles" -Dvigil.test.only=CyclesTest -Dvigil.test.timeout=3600 verify > "$log" 2>&1 || {
  grep -E "<<< (ERROR|FAIL)|BUILD|ERROR\]" "$log" | head -20 >&2; exit 1; }
sed -n '/^MEASURED connect\/disconnect/,/^[^ 0-9c]/p' "$log" | sed '$d'
grep -E "tests (successful|failed)" "$log"
