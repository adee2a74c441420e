#!/usr/bin/env bash
# Recorded video over HTTP benchmark (issue 14 item 3): a 10-minute range of a camera downloaded as one MP4 from the
# real recorder (GET /api/cameras/bench/video.mp4, assembled on the fly from its segments) with curl, against reading
# the same segment files with cat. Goal: the download at no less than 0.8x the speed of cat.
# Both are measured with a warm page cache (what the server itself costs: MP4 header, slices, TLS) and, when run as
# root, with the page cache dropped before each (what a user meets: the disk). HTTPS always; plain HTTP on loopback
# (api.httpPort) too, to show what TLS costs.
#
# Usage: releng/bench/api-mp4.sh [runs]      (build first: releng/scripts/mvn.sh -DskipTests package)
#   runs  how many times each side runs, default 3 (the table shows every run and the medians)
# VIGIL_BENCH_DIR: where the recordings go (default target/bench-api-mp4; about 700 MB).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vigil="$root/releng/target/vigil/bin/vigil"
runs=${1:-3}
[ -x "$vigil" ] || { echo "Build the distribution first: releng/scripts/mvn.sh -DskipTests package" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "The benchmark makes its recording with ffmpeg: apt-get install ffmpeg" >&2; exit 1; }
work="${VIGIL_BENCH_DIR:-$root/target/bench-api-mp4}"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"; for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"; mkdir -p "$work"
now_ms() { date +%s%3N; }
dropped=$([ -w /proc/sys/vm/drop_caches ] && echo yes || echo "no (not root)")
drop_caches() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
}

# one minute of 1080p H.264 at 25 fps, about 8 Mbit/s, a keyframe a second, fragmented MP4 as the recorder writes it;
# made once and cached; ten copies of it are ten minutes of recordings, catalogued with 'vigil storage import'
media="$root/target/bench-media/seg-1080p-60s-8M.mp4"
if [ ! -s "$media" ]; then
  mkdir -p "$(dirname "$media")"
  ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1920x1080:rate=25 -t 60 -c:v libx264 \
    -preset ultrafast -b:v 8M -maxrate 8M -bufsize 8M -g 25 -bf 0 \
    -movflags +frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000 -y "$media.tmp.mp4"
  mv "$media.tmp.mp4" "$media"
fi
data="$work/data"
rec="$data/recordings/bench/20240601"
mkdir -p "$rec"
files=()
for i in $(seq 0 9); do
  f="$rec/$(printf '10%02d00.mp4' "$i")"
  cp "$media" "$f"
  files+=("$f")
done
"$vigil" --data "$data" storage import "$data/recordings" > "$work/import.txt" 2>&1 || { cat "$work/import.txt" >&2; exit 1; }
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for s in api.port=0 "api.httpPort=$http_port"; do "$vigil" --data "$data" config set "$s" > /dev/null; done
password="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
echo "$password" | "$vigil" --data "$data" user add bench --role viewer --password-stdin > /dev/null
"$vigil" --data "$data" run --headless > "$work/vigil.out" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do grep -q ' is ready in ' "$work/vigil.out" && break; sleep 0.1; done
grep -q ' is ready in ' "$work/vigil.out" || { echo "the recorder did not start:" >&2; cat "$work/vigil.out" >&2; exit 1; }
https=""
for _ in $(seq 1 300); do
  https=$("$vigil" --data "$data" api status --json | tr -d ' \n' | grep -o '"https://127\.0\.0\.1:[0-9]*' | head -1 | tr -d '"' || true)
  [ -n "$https" ] && break; sleep 0.1
done
[ -n "$https" ] || { echo "no https URL in 'vigil api status'" >&2; exit 1; }
# plain HTTP beside it on loopback (api.httpPort), not listed by 'api status': used only if it answers
http="http://127.0.0.1:$http_port"

# the catalogued start of the first segment: the range is its ten minutes
first=$("$vigil" --data "$data" recordings list --camera bench --from 2024-06-01 --to 2024-06-02 --json \
  | grep -o '"start": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
start_ms=$(date -d "$first" +%s%3N)
path="/api/cameras/bench/video.mp4?start=$start_ms&end=$((start_ms + 600000))"
cat_bytes=$(cat "${files[@]}" | wc -c)
auth="$work/curl.conf"; umask 077; echo "user = \"bench:$password\"" > "$auth"
size=$(curl -sk -K "$auth" -I "$https$path" | tr -d '\r' | awk 'tolower($1)=="content-length:" {print $2}')
[ -n "$size" ] || { echo "HEAD $path answered no Content-Length:" >&2; curl -sk -K "$auth" "$https$path" | head -c 300 >&2; exit 1; }
curl -s -o /dev/null -K "$auth" -I -w '%{http_code}' "$http$path" | grep -q 200 || http=""
echo "Range: 10 min of 1080p H.264 in 10 segments, cat reads $((cat_bytes / 1000000)) MB, the MP4 is $((size / 1000000)) MB" \
  "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); caches dropped for the cold runs: $dropped)"

declare -A all
measure() { # side cache -> prints ms
  local side=$1 cache=$2 t0 t1 c0 c1 got
  [ "$cache" = cold ] && drop_caches
  [ "$cache" = warm ] && cat "${files[@]}" > /dev/null
  c0=$(cpu_ticks)
  t0=$(now_ms)
  case $side in
    cat) got=$(cat "${files[@]}" | wc -c) ;;
    https) got=$(curl -sk -K "$auth" "$https$path" | wc -c) ;;
    http) got=$(curl -s -K "$auth" "$http$path" | wc -c) ;;
  esac
  t1=$(now_ms)
  c1=$(cpu_ticks)
  local want=$size; [ "$side" = cat ] && want=$cat_bytes
  [ "$got" = "$want" ] || { echo "$side read $got bytes, not $want" >&2; exit 1; }
  echo "$((t1 - t0)) $((c1 - c0))"
}
# CPU time of the recorder process (user + system, clock ticks)
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
sides="cat https"; [ -n "$http" ] && sides="$sides http"
caches="warm"; [ -w /proc/sys/vm/drop_caches ] && caches="warm cold"
printf '%-4s %-6s %-6s %10s %10s %22s\n' run cache side "wall (s)" "MB/s" "recorder CPU (s/GB)"
for r in $(seq 1 "$runs"); do
  for cache in $caches; do
    for side in $sides; do
      read -r ms ticks < <(measure "$side" "$cache")
      [ -n "$ms" ] || exit 1
      bytes=$size; [ "$side" = cat ] && bytes=$cat_bytes
      all["$cache-$side"]="${all["$cache-$side"]:-} $ms"
      cpu=""; [ "$side" = cat ] || cpu=$(printf '%.2f' "$(echo "$ticks / $hz / ($bytes / 1000000000)" | bc -l)")
      printf '%-4s %-6s %-6s %10.2f %10.0f %22s\n' "$r" "$cache" "$side" "$(echo "$ms / 1000" | bc -l)" \
        "$(echo "$bytes / 1000 / $ms" | bc -l)" "$cpu"
    done
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for cache in $caches; do
  c=$(median ${all["$cache-cat"]})
  for side in https http; do
    [ -n "${all["$cache-$side"]:-}" ] || continue
    s=$(median ${all["$cache-$side"]})
    # speed ratio: (MP4 bytes / its time) / (segment bytes / cat's time)
    printf 'median %s cache: cat %.0f MB/s, %s %.0f MB/s: %.2fx the speed of cat (goal >= 0.8x)\n' "$cache" \
      "$(echo "$cat_bytes / 1000 / $c" | bc -l)" "$side" "$(echo "$size / 1000 / $s" | bc -l)" \
      "$(echo "($size / $s) / ($cat_bytes / $c)" | bc -l)"
  done
done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "recorder RSS after the runs: $((rss / 1024)) MB"
