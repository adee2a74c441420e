#!/usr/bin/env bash
# Backup benchmark: `vigil backup` (copy with SHA-256 in one pass, fsync, verification that reads the copies back from
# the disk) against the baseline `cp -r` followed by `sha256sum` of the source and of the destination, on the same
# recordings in the same run, with the page cache dropped before each (when run as root).
# Goal: Vigil's wall time at most 1.0x the baseline's. Prints MB/s for Vigil's copy and verification.
#
# Usage: releng/bench/backup.sh [GiB] [runs]      (build first: releng/scripts/mvn.sh -DskipTests package)
#   GiB   size of the recordings, default 2
#   runs  how many times each side runs, default 1 (the table shows every run and the medians)
# VIGIL_BENCH_DIR: where the recordings and the copies go (default target/bench-backup; it needs 3 x GiB free).
# VIGIL_BENCH_BYPASS: also measure this cache bypass of the verification (direct or none) beside the default (fadvise).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vigil="$root/releng/target/vigil/bin/vigil"
gib=${1:-2}
runs=${2:-1}
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "The benchmark makes its recording with ffmpeg: apt-get install ffmpeg" >&2; exit 1; }
work="${VIGIL_BENCH_DIR:-$root/target/bench-backup}"
rm -rf "$work"
mkdir -p "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

drop_caches() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; else dropped="no (not root)"; fi
}
dropped="yes"
now_ms() { date +%s%3N; }

# One real recording (H.264, fragmented MP4 as the recorder writes, about 64 MB: 1080p, lossless), made once and
# cached; the recordings are copies of it under the recorder's layout, catalogued with 'vigil storage import'.
media="$root/target/bench-media/seg-1080p.mp4"
if [ ! -s "$media" ]; then
  mkdir -p "$(dirname "$media")"
  ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1920x1080:rate=25 -t 18 -c:v libx264 -preset ultrafast \
    -qp 0 -g 25 -movflags +frag_keyframe+empty_moov+default_base_moof -y "$media.tmp.mp4"
  mv "$media.tmp.mp4" "$media"
fi
seg_bytes=$(stat -c %s "$media")
count=$(( (gib * 1024 * 1024 * 1024 + seg_bytes - 1) / seg_bytes ))
data="$work/data"
rec="$data/recordings"
for i in $(seq 0 $((count - 1))); do
  cam=$([ $((i % 2)) -eq 0 ] && echo bench-a || echo bench-b)
  t=$((36000 + (i / 2) * 20))
  name=$(printf '%02d%02d%02d.mp4' $((t / 3600)) $((t % 3600 / 60)) $((t % 60)))
  mkdir -p "$rec/$cam/20240601"
  cp "$media" "$rec/$cam/20240601/$name"
done
total=$(du -sb "$rec" | cut -f1)
"$vigil" --data "$data" storage import "$rec" > "$work/import.txt" 2>&1 || { cat "$work/import.txt" >&2; exit 1; }
echo "Recordings: $count files, $((total / 1000000)) MB ($(nproc) cores; caches dropped: $dropped)."

base_all=(); vigil_all=(); copy_all=(); verify_all=()
printf '%-4s %-28s %10s %10s %14s %16s\n' run side "wall (s)" "MB/s" "copy (MB/s)" "verify (MB/s)"
for r in $(seq 1 "$runs"); do
  # baseline: cp -r, then sha256sum of the source and of the copy
  dest="$work/baseline"
  rm -rf "$dest"; drop_caches
  t0=$(now_ms)
  cp -r "$rec" "$dest"
  (cd "$rec" && find . -type f -name '*.mp4' -print0 | sort -z | xargs -0 sha256sum > "$work/source.sums")
  (cd "$dest" && find . -type f -name '*.mp4' -print0 | sort -z | xargs -0 sha256sum > "$work/copy.sums")
  t1=$(now_ms)
  cmp -s "$work/source.sums" "$work/copy.sums" || { echo "baseline: the copies differ" >&2; exit 1; }
  base=$((t1 - t0)); base_all+=("$base")
  printf '%-4s %-28s %10.1f %10.0f %14s %16s\n' "$r" "cp -r + sha256sum x2" "$(echo "$base / 1000" | bc -l)" \
    "$(echo "$total / 1000 / $base" | bc -l)" "" ""
  rm -rf "$dest"

  for bypass in default ${VIGIL_BENCH_BYPASS:-}; do
    dest="$work/vigil"
    rm -rf "$dest"; mkdir -p "$dest"; drop_caches
    opts=""; [ "$bypass" = default ] || opts="-Dvigil.backup.cacheBypass=$bypass"
    t0=$(now_ms)
    VIGIL_JAVA_OPTS="$opts" "$vigil" --data "$data" backup --dest "$dest" --json > "$work/vigil.json" 2> "$work/vigil.err" \
      || { cat "$work/vigil.err" "$work/vigil.json" >&2; exit 1; }
    t1=$(now_ms)
    wall=$((t1 - t0))
    copy=$(sed -n 's/.*"copy_bytes_per_second": \([0-9]*\).*/\1/p' "$work/vigil.json")
    verify=$(sed -n 's/.*"verify_bytes_per_second": \([0-9]*\).*/\1/p' "$work/vigil.json")
    mode=$(sed -n 's/.*"cache_bypass": "\([^"]*\)".*/\1/p' "$work/vigil.json")
    sums=$(sed -n 's/.*"checksums": "\([^"]*\)".*/\1/p' "$work/vigil.json")
    (cd "$dest" && sha256sum -c --quiet --strict SHA256SUMS) || { echo "vigil: sha256sum -c failed" >&2; exit 1; }
    [ -z "$(find "$dest" -name '*.part')" ] || { echo "vigil: .part files left" >&2; exit 1; }
    printf '%-4s %-28s %10.1f %10.0f %14.0f %16.0f\n' "$r" "vigil backup ($mode, $sums)" "$(echo "$wall / 1000" | bc -l)" \
      "$(echo "$total / 1000 / $wall" | bc -l)" "$(echo "$copy / 1000000" | bc -l)" "$(echo "$verify / 1000000" | bc -l)"
    if [ "$bypass" = default ]; then
      vigil_all+=("$wall"); copy_all+=("$copy"); verify_all+=("$verify")
    fi
    grep -c '^copying\|^verifying' "$work/vigil.err" > "$work/progress-lines" || true
    rm -rf "$dest"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
b=$(median "${base_all[@]}"); v=$(median "${vigil_all[@]}")
printf 'median: baseline %.1f s, vigil %.1f s (%.2fx the baseline; goal <= 1.0x); vigil copy %.0f MB/s, verify %.0f MB/s\n' \
  "$(echo "$b / 1000" | bc -l)" "$(echo "$v / 1000" | bc -l)" "$(echo "$v / $b" | bc -l)" \
  "$(echo "$(median "${copy_all[@]}") / 1000000" | bc -l)" "$(echo "$(median "${verify_all[@]}") / 1000000" | bc -l)"
echo "(vigil's wall time includes starting its JVM and a one-shot framework; progress lines printed: $(cat "$work/progress-lines"))"
