#!/usr/bin/env bash
# API benchmark (issue 14 item 9, first figure). Not part of the test suite.
#   A catalog of ROWS one-minute segments over 20 cameras, built through the real insert path (the storage tests'
#   CatalogBench, as releng/bench/catalog.sh does), served by the assembled recorder (bin/vigil run --headless,
#   api.port=0); then one camera's day listed over HTTPS by curl, REQUESTS times on one kept-alive connection:
#   GET /api/recordings?camera=cam00&from=DAY&to=DAY+1&limit=1000 (both pages: a day holds 1440 segments) and
#   GET /api/recordings/hours?camera=cam00&day=DAY. Goal: p99 of a page under 50 ms.
#   The recordings root points at a folder that does not exist (the files are not made), so that the recorder's
#   start-up check, which removes the rows of files that are gone, leaves the catalog alone.
# Results go to stdout and replace the "Recorder API" section of docs/benchmarks.md.
#
# Usage: releng/bench/api.sh [ROWS] [REQUESTS]     defaults: 1000000 200
# Needs the distribution (releng/scripts/mvn.sh -o -q -DskipTests package) and the storage test bundle's jar.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-1000000}
requests=${2:-200}
step_timeout=${VIGIL_BENCH_STEP_TIMEOUT:-1200}
vigil="$root/releng/target/vigil/bin/vigil"
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -o -q -DskipTests package" >&2; exit 1; }
command -v curl >/dev/null || { echo "The benchmark's client is curl." >&2; exit 1; }

jar() { ls "$1"/target/"$2"-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1; }
storage_jar=$(jar "$root/bundles/org.vigil.storage" org.vigil.storage)
tests_jar=$(jar "$root/bundles/org.vigil.storage.tests" org.vigil.storage.tests)
api_jar=$(jar "$root/bundles/org.vigil.api" org.vigil.api)
media_jar=$(jar "$root/bundles/org.vigil.media" org.vigil.media)
if [ -z "$storage_jar" ] || [ -z "$tests_jar" ] || [ -z "$api_jar" ] || [ -z "$media_jar" ]; then
  echo "Building the storage bundles (tests skipped) ..." >&2
  (cd "$root" && releng/scripts/mvn.sh -B -q -o -pl target-platform,bundles/org.vigil.api,bundles/org.vigil.testing,bundles/org.vigil.core,bundles/org.vigil.web,bundles/org.vigil.media,bundles/org.vigil.storage,bundles/org.vigil.storage.tests -DskipTests package)
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
work=$(mktemp -d "${VIGIL_BENCH_TMP:-/tmp}/vigil-bench-api.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"; timeout 60 tail --pid="$pid" -f /dev/null || kill -KILL "$pid"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/lib"
cp "$storage_jar" "$tests_jar" "$api_jar" "$media_jar" "$sqlite_jar" "$felix_jar" "$work/lib/"
java="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
[ -x "$java" ] || java=java
cp=$(ls "$work"/lib/*.jar | tr '\n' ':')
started=$(date +%s)

data="$work/data"
echo "1/3 catalog of $rows rows ..." >&2
timeout "$step_timeout" "$java" -Xmx1g -cp "$cp" org.vigil.storage.tests.CatalogBench rows "$data" "$rows" 20 > "$work/catalog.out"
rm -rf "$data/recordings"
export VIGIL_DATA="$data"
"$vigil" config set recording.recordingsRoot="$work/not-mounted/recordings" > /dev/null 2>&1
"$vigil" config set api.port=0 > /dev/null 2>&1
password="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
echo "$password" | "$vigil" user add bench --role viewer --password-stdin > /dev/null 2>&1

echo "2/3 the recorder ..." >&2
"$vigil" run --headless > "$work/vigil.out" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 600); do
  url=$("$vigil" api status --json 2>/dev/null | sed -n 's|.*"\(https://[^"/]*\).*|\1|p' | head -1) || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/vigil.out" >&2; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { echo "The API did not start: $(tail -5 "$work/vigil.out")" >&2; exit 1; }
# CatalogBench's segments start (ROWS / 20 / 1440 + 2) days ago at midnight: its second day is a whole one
day=$(date -d "-$(( rows / 20 / 1440 + 1 )) days" +%F)
from=$(date -d "$day 00:00" -u +%Y-%m-%dT%H:%M:%SZ)
to=$(date -d "$day 00:00 +1 day" -u +%Y-%m-%dT%H:%M:%SZ)
first="$url/api/recordings?camera=cam00&from=$from&to=$to&limit=1000"
count=$(curl -sk -u "bench:$password" "$first" | grep -c '"relative_path"' || true)
[ "$count" -eq 1000 ] || { echo "The first page of $day holds $count segments, not 1000." >&2; exit 1; }

echo "3/3 $requests requests of each ..." >&2
measure() { # URL -> one time in ms a line, one connection for all
  local args=()
  for _ in $(seq 1 "$requests"); do args+=(-o /dev/null "$1"); done
  curl -sk -u "bench:$password" -w '%{time_total}\n' "${args[@]}" | awk '{printf "%.1f\n", $1 * 1000}'
}
cursor=$(curl -sk -u "bench:$password" "$first" | sed -n 's/.*"next": "\([^"]*\)".*/\1/p')
# the recorder's own CPU time (user + system, from /proc) over each series, per request: the work without the wait
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
cpu_per_request() { echo "scale=1; ($2 - $1) * 1000 / $hz / $requests" | bc; }
c0=$(ticks); measure "$first" | sort -n > "$work/page1"
c1=$(ticks); measure "$first&after=$cursor" | sort -n > "$work/page2"
c2=$(ticks); measure "$url/api/recordings/hours?camera=cam00&day=$day" | sort -n > "$work/hours"
c3=$(ticks)
pct() { awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}' "$1"; }
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
load=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))
db_mb=$(( $(stat -c %s "$data/catalog.db") / 1000000 ))
section="$work/section.md"
{
  echo "## Recorder API (\`releng/bench/api.sh\`)"
  echo "Goal: with 1,000,000 segments catalogued, a camera's day listed over HTTPS in pages of 1000 with p99 under"
  echo "50 ms. Client: curl, one kept-alive TLS connection, $requests requests each (Basic authentication; the slow hash"
  echo "runs once, then the recorder's 2-minute cache answers)."
  echo
  echo '```'
  echo "releng/bench/api.sh $rows $requests"
  echo '```'
  echo
  echo "$(date +%F), $(nproc) cores, load average at the end $load (other builds running), $elapsed s in all;"
  echo "catalog of $rows rows (20 cameras, $db_mb MB), recorder RSS at the end $rss MB."
  echo
  echo "Wall times on a shared machine include waiting for a core; the CPU column is the recorder's own work."
  echo
  echo "| request | p50 ms | p99 ms | max ms | recorder CPU ms/request | goal |"
  echo "|---|---|---|---|---|---|"
  echo "| \`/api/recordings\` a day's first page (1000 segments) | $(pct "$work/page1" 50) | $(pct "$work/page1" 99) | $(tail -1 "$work/page1") | $(cpu_per_request "$c0" "$c1") | p99 < 50 |"
  echo "| \`/api/recordings\` the second page (440, \`after\`) | $(pct "$work/page2" 50) | $(pct "$work/page2" 99) | $(tail -1 "$work/page2") | $(cpu_per_request "$c1" "$c2") | p99 < 50 |"
  echo "| \`/api/recordings/hours\` of the day | $(pct "$work/hours" 50) | $(pct "$work/hours" 99) | $(tail -1 "$work/hours") | $(cpu_per_request "$c2" "$c3") | |"
} > "$section"
cat "$section"

doc="$root/docs/benchmarks.md"
awk -v start="## Recorder API (" '
  index($0, start) == 1 { skip = 1; next }
  skip && /^## / { skip = 0 }
  !skip { print }
' "$doc" > "$work/doc"
sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/doc" > "$work/doc.trimmed"
{ cat "$work/doc.trimmed"; echo; cat "$section"; } > "$doc"
echo "Written to docs/benchmarks.md." >&2
