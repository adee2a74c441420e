#!/usr/bin/env bash
# Builds Vigil (tests skipped: releng/scripts/test.sh runs them) and starts it with the demo camera.
# With a display and the workbench present it opens the workbench; otherwise it runs headless (Ctrl-C stops it).
# Usage: releng/scripts/run.sh [vigil options, e.g. --data DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/releng/scripts/system-packages.sh"
"$root/releng/scripts/mvn.sh" -B -q -DskipTests package
vigil="$root/releng/target/vigil/bin/vigil"
if { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && ls "$root"/releng/target/vigil/bundle/org.vigil.ui_*.jar >/dev/null 2>&1; then
  exec "$vigil" run --demo "$@"
fi
echo "No display or no workbench in this build: running headless with the demo camera (Ctrl-C stops it)." >&2
exec "$vigil" run --headless --demo "$@"
