#!/usr/bin/env bash
# Builds Vigil and runs every test: the bundles' tests inside Felix, then the assembled distribution's tests.
# Fails when a test fails, when a test bundle ran zero tests, or when a *Test.java class is not listed in its
# bundle's Test-Cases header (the bnd tester would silently skip it).
# Usage: releng/scripts/test.sh [extra Maven arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

"$root/releng/scripts/system-packages.sh"

# Tests never touch a real data directory (each test framework gets its own under target/ too).
export VIGIL_DATA="$root/target/test-data"
rm -rf "$VIGIL_DATA"

# UI tests need a display: a private Xvfb when there is none.
xvfb_pid=""
cleanup() {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 110); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
      Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
      xvfb_pid=$!
      export DISPLAY=":$n"
      for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
      break
    fi
  done
fi
export GDK_BACKEND=x11

"$root/releng/scripts/check-test-cases.sh"

# -fae: a failed test bundle does not stop the others, so that one run shows every failure; the failures are
# printed again at the very end (CI shows the end of the output).
mvn_status=0
"$root/releng/scripts/mvn.sh" -B -fae clean verify "$@" || mvn_status=$?

report_status=0
"$root/releng/scripts/test-report.sh" || report_status=$?
if [ "$mvn_status" -ne 0 ] || [ "$report_status" -ne 0 ]; then
  "$root/releng/scripts/test-failures.sh" || true
  echo "The build or its tests failed (Maven exit $mvn_status, report exit $report_status): see the failures above."
  exit 1
fi
