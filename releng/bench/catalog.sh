#!/usr/bin/env bash
# Recordings catalog benchmark (issue: storage). Not part of the test suite.
#   1. A catalog of ROWS one-minute segments over 20 cameras, built through the real insert path; then the queries:
#      one camera's day (goal < 50 ms), a keyset page of 100 (goal < 20 ms), days, hours, totals.
#   2. A tree of FILES recordings in the layout <camera>/<YYYYMMDD>/<HHMMSS>.mp4 (hard links of two real recordings
#      made with gst-launch-1.0: a fragmented 60 s MP4 as the recorder writes, a plain one as the old application
#      wrote), then, in the same run:
#      - discovery as 'vigil storage check' does it against the baseline 'find DIR -type f | wc -l' (goal <= 2x),
#      - header probing of every file on one thread (goal 2,000+ files/s),
#      - 'vigil storage import' of the tree in place on a new catalog (discover + probe + catalogue).
# Results go to stdout and replace the "Recordings catalog" section of docs/benchmarks.md.
#
# Usage: releng/bench/catalog.sh [ROWS] [FILES] [ROUNDS]     defaults: 1000000 100000 5
# Builds the storage bundles first when their jars are missing. Works in a temporary folder (VIGIL_BENCH_TMP, default
# /tmp) that is removed at the end; every step is bounded by a timeout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-1000000}
files=${2:-100000}
rounds=${3:-5}
step_timeout=${VIGIL_BENCH_STEP_TIMEOUT:-1200}

jar() { ls "$1"/target/"$2"-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1; }
storage_jar=$(jar "$root/bundles/org.vigil.storage" org.vigil.storage)
tests_jar=$(jar "$root/bundles/org.vigil.storage.tests" org.vigil.storage.tests)
api_jar=$(jar "$root/bundles/org.vigil.api" org.vigil.api)
media_jar=$(jar "$root/bundles/org.vigil.media" org.vigil.media)
if [ -z "$storage_jar" ] || [ -z "$tests_jar" ] || [ -z "$api_jar" ] || [ -z "$media_jar" ]; then
  echo "Building the storage bundles (tests skipped) ..." >&2
  (cd "$root" && releng/scripts/mvn.sh -B -q -o -pl target-platform,bundles/org.vigil.api,bundles/org.vigil.testing,bundles/org.vigil.core,bundles/org.vigil.media,bundles/org.vigil.storage,bundles/org.vigil.storage.tests -DskipTests package)
  storage_jar=$(jar "$root/bundles/org.vigil.storage" org.vigil.storage)
  tests_jar=$(jar "$root/bundles/org.vigil.storage.tests" org.vigil.storage.tests)
  api_jar=$(jar "$root/bundles/org.vigil.api" org.vigil.api)
  media_jar=$(jar "$root/bundles/org.vigil.media" org.vigil.media)
fi
version_of() { sed -n "s|.*<artifactId>$1</artifactId><version>\([^<]*\)</version>.*|\1|p" "$root/target-platform/vigil.target" | head -1; }
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
sqlite_jar="$repo/org/xerial/sqlite-jdbc/$(version_of sqlite-jdbc)/sqlite-jdbc-$(version_of sqlite-jdbc).jar"
felix_jar="$repo/org/apache/felix/org.apache.felix.framework/$(version_of org.apache.felix.framework)/org.apache.felix.framework-$(version_of org.apache.felix.framework).jar"
for f in "$sqlite_jar" "$felix_jar"; do
  [ -f "$f" ] || { echo "Missing $f: run releng/scripts/mvn.sh -pl target-platform,bundles/org.vigil.storage package once." >&2; exit 1; }
done
# other builds may rewrite the target folders while this runs: work on copies
work=$(mktemp -d "${VIGIL_BENCH_TMP:-/tmp}/vigil-bench-catalog.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/lib"
cp "$storage_jar" "$tests_jar" "$api_jar" "$media_jar" "$sqlite_jar" "$felix_jar" "$work/lib/"
unzip -l "$work/lib/$(basename "$api_jar")" | grep -q org/vigil/api/storage/StoragePlugin.class \
  || { echo "$api_jar has no org.vigil.api.storage: rebuild the API bundle." >&2; exit 1; }
java="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
[ -x "$java" ] || java=java
command -v gst-launch-1.0 >/dev/null || { echo "The benchmark makes its recordings with gst-launch-1.0 (gstreamer1.0-tools)." >&2; exit 1; }
cp=$(ls "$work"/lib/*.jar | tr '\n' ':')
bench() { timeout "$step_timeout" "$java" -Xmx1g -cp "$cp" org.vigil.storage.tests.CatalogBench "$@"; }

out="$work/results"
: > "$out"
get() { sed -n "s/^RESULT $1 //p" "$out" | tail -1; }
now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
started=$(date +%s)

echo "1/5 catalog of $rows rows ..." >&2
bench rows "$work/catalog" "$rows" 20 >> "$out"

echo "2/5 recordings and a tree of $files files ..." >&2
mkdir -p "$work/media"
gst-launch-1.0 -q -e videotestsrc num-buffers=1500 ! video/x-raw,framerate=25/1,width=160,height=120 \
  ! x264enc key-int-max=25 speed-preset=ultrafast bitrate=64 ! h264parse ! mp4mux fragment-duration=1000 \
  ! filesink location="$work/media/fragmented-60s.mp4"
gst-launch-1.0 -q -e videotestsrc num-buffers=1500 ! video/x-raw,framerate=25/1,width=160,height=120 \
  ! x264enc key-int-max=50 speed-preset=ultrafast bitrate=64 ! h264parse ! mp4mux \
  ! filesink location="$work/media/plain-60s.mp4"
tree="$work/data/recordings"
bench tree "$tree" "$files" 10 10 "$work/media/fragmented-60s.mp4" "$work/media/plain-60s.mp4" >> "$out"

echo "3/5 discovery against find, $rounds rounds ..." >&2
find "$tree" -type f | wc -l > /dev/null # both sides start from a warm page cache
find_wall=(); find_cpu=(); first_wall=(); first_cpu=(); warm_wall=(); warm_cpu=(); jvm_wall=()
for r in $(seq 1 "$rounds"); do
  TIMEFORMAT='%R %U %S'
  t=$( { time find "$tree" -type f | wc -l > "$work/count"; } 2>&1 )
  read -r real user sys <<< "$t"
  find_wall+=("$(echo "$real * 1000 / 1" | bc)"); find_cpu+=("$(echo "($user + $sys) * 1000 / 1" | bc)")
  [ "$(cat "$work/count")" -eq "$files" ] || { echo "find counted $(cat "$work/count") files" >&2; exit 1; }
  t0=$(now_ns)
  bench discover "$tree" 6 > "$work/discover"
  t1=$(now_ns)
  [ "$(sed -n 's/^RESULT discovered //p' "$work/discover")" -eq "$files" ] || { echo "discovery missed files" >&2; exit 1; }
  first_wall+=("$(sed -n 's/^RESULT discover_first_ms //p' "$work/discover")")
  first_cpu+=("$(sed -n 's/^RESULT discover_first_cpu_ms //p' "$work/discover")")
  warm_wall+=("$(sed -n 's/^RESULT discover_warm_ms //p' "$work/discover")")
  warm_cpu+=("$(sed -n 's/^RESULT discover_warm_cpu_ms //p' "$work/discover")")
  jvm_wall+=("$(( (t1 - t0) / 1000000 ))")
done
fw=$(median "${find_wall[@]}"); fc=$(median "${find_cpu[@]}")
dw=$(median "${first_wall[@]}"); dc=$(median "${first_cpu[@]}")
ww=$(median "${warm_wall[@]}"); wc=$(median "${warm_cpu[@]}")
jw=$(median "${jvm_wall[@]}")

echo "4/5 probing every file ..." >&2
bench probe "$tree" >> "$out"

echo "5/5 import in place on a new catalog ..." >&2
bench import "$work/data" "$tree" >> "$out"

ratio() { echo "scale=2; $1 / $2" | bc; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))
section="$work/section.md"
{
  echo "## Recordings catalog (\`releng/bench/catalog.sh\`)"
  echo "Goals: with 1,000,000 segments catalogued one camera's day lists in under 50 ms and a page of 100 in under"
  echo "20 ms; 100,000 files discovered in at most 2x the time of \`find DIR -type f | wc -l\` in the same run; headers"
  echo "probed at 2,000+ files/s."
  echo
  echo '```'
  echo "releng/bench/catalog.sh $rows $files $rounds"
  echo '```'
  echo
  echo "$(date +%F), $(nproc) cores, load average at the end $load (other builds running), $elapsed s in all."
  echo "Wall times on a shared machine include waiting for a core; the CPU columns are the work itself."
  echo
  echo "| catalog of $(get rows) rows (20 cameras, $(get db_mb) MB) | p50 | p95 | max | CPU p50 | goal |"
  echo "|---|---|---|---|---|---|"
  echo "| one camera's day ($(get day_rows) segments), ms | $(get day_p50_ms) | $(get day_p95_ms) | $(get day_max_ms) | $(get day_cpu_p50_ms) | < 50 |"
  echo "| keyset page of 100, one camera, ms | $(get page_p50_ms) | $(get page_p95_ms) | $(get page_max_ms) | $(get page_cpu_p50_ms) | < 20 |"
  echo "| page of 100, all cameras, ms | $(get page_all_cameras_p50_ms) | $(get page_all_cameras_p95_ms) | $(get page_all_cameras_max_ms) | | |"
  echo "| days of a camera, ms | $(get days_p50_ms) | $(get days_p95_ms) | $(get days_max_ms) | | |"
  echo "| hours (coverage and gaps) of a day, ms | $(get hours_p50_ms) | $(get hours_p95_ms) | $(get hours_max_ms) | | |"
  echo
  echo "Inserting: $(get insert_rows_per_s) rows/s in batches of 10,000 ($(get insert_s) s, synchronous=FULL); totals of"
  echo "every camera: $(get totals_ms) ms."
  echo
  echo "| $(get tree_files) files, medians of $rounds rounds | wall ms | CPU ms | x find (wall) | x find (CPU) |"
  echo "|---|---|---|---|---|"
  echo "| \`find DIR -type f \| wc -l\` (baseline) | $fw | $fc | 1.00 | 1.00 |"
  echo "| discovery, first run in a fresh JVM (one-shot \`vigil storage check\`) | $dw | $dc | $(ratio "$dw" "$fw") | $(ratio "$dc" "$fc") |"
  echo "| discovery, warm (the running instance) | $ww | $wc | $(ratio "$ww" "$fw") | $(ratio "$wc" "$fc") |"
  echo "| the whole discovery process: JVM start + 6 passes | $jw | | | |"
  echo
  echo "Probing headers (no decoding) of $(get probed) files on one thread, $(get probed_playable) playable:"
  echo "**$(get probe_files_per_s) files/s** (goal 2,000+). Import in place of the tree on a new catalog (discovery,"
  echo "probing and cataloguing $(get import_catalogued) files): $(get import_s) s, $(get import_files_per_s) files/s."
  echo "The files are hard links of two recordings, so probing reads from a warm page cache."
} > "$section"
cat "$section"

doc="$root/docs/benchmarks.md"
if [ ! -f "$doc" ]; then
  printf '# Benchmarks\n\nSpeed and memory targets, measured by scripts under `releng/bench/`; each section gives its command.\n' > "$doc"
fi
awk -v start="## Recordings catalog (" '
  index($0, start) == 1 { skip = 1; next }
  skip && /^## / { skip = 0 }
  !skip { print }
' "$doc" > "$work/doc"
# one blank line between the previous section and this one
sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/doc" > "$work/doc.trimmed"
{ cat "$work/doc.trimmed"; echo; cat "$section"; } > "$doc"
echo "Written to docs/benchmarks.md." >&2
