#!/usr/bin/env bash
# Fault soak (a benchmark, not part of CI): a recorder with four cameras from camera processes serving pre-encoded
# loops, and on a schedule spread over MINUTES each fault several times (at least once): camera process killed,
# camera frozen, recorder kill -9, recordings volume filled below the retention floor, the catalog's write lock held
# for 10 s, a backup cancelled, the recorder's clock stepped +/- 1 h (through a bench hook, never the host's clock).
# Prints a table of each fault's loss or delay against its goal, unexplained gaps, storage check, catalog rows against
# files, threads/open files and RSS of the recorder; exits 1 when a goal is missed. See docs/benchmarks.md.
# Usage: releng/bench/soak.sh MINUTES   (60 for the recorded run; build first: releng/scripts/mvn.sh -DskipTests package)
# Needs root (it mounts a small tmpfs as the recordings volume). SOAK_KEEP=1 keeps the work folder,
# SOAK_VOLUME_MB (512) and SOAK_SEGMENT (30 s) change the volume and the cameras' segment length.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vigil="${VIGIL_HOME:-$root/releng/target/vigil}/bin/vigil"
[ $# -eq 1 ] || { echo "usage: releng/bench/soak.sh MINUTES (at least 5; the recorded run is 60)" >&2; exit 2; }
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "The soak mounts a tmpfs as the recordings volume: run it as root (sudo)." >&2; exit 2; }
for tool in ffprobe gst-launch-1.0 mount umount; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run releng/scripts/system-packages.sh" >&2; exit 2; }
done
/usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0"); gi.require_version("GstApp", "1.0")' 2>/dev/null \
  || { echo "The camera processes need python3-gi and gir1.2-gst-rtsp-server-1.0: run releng/scripts/system-packages.sh" >&2; exit 2; }
exec /usr/bin/python3 "$root/releng/bench/soak/soak.py" "$1"
