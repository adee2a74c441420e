#!/usr/bin/env bash
# Playback benchmark, on a 1080p H.264 recording with a 2 s GOP cut into fragmented-MP4 segments the way the recorder
# writes them (made once with gst-launch-1.0: videotestsrc + timeoverlay ! x264enc key-int-max=50 ! splitmuxsink
# muxer="mp4mux fragment-duration=1000", 10 s a segment):
#   - time to first frame: PlaybackService.open at a random instant until the frame of that instant is decoded
#     (640x360 view), median and p95 of 10 opens after 2 warm-up opens;
#   - accurate-seek latency on one paused session, within the segment shown and into another segment, from seek()
#     until the frame of the requested instant is decoded, median and p95 of 38 + 38 seeks;
#   - export throughput: the whole recording to one MP4 through the export job, against
#     `ffmpeg -f concat -c copy` on the same segments in the same run (median of 3 runs each).
# The measurements run inside the OSGi test framework of org.vigil.playback.tests (PlaybackBenchTest, skipped in the
# ordinary build). Goals: first frame < 300 ms, median accurate seek < 150 ms, export >= 0.8x ffmpeg's speed.
#
# Usage: releng/bench/playback.sh [segments] [soak-cycles]
#   segments     how many 10 s segments, default 12 (2 minutes, about 60 MB)
#   soak-cycles  also run this many open/play/stop cycles (the S3 soak, e.g. 1000; threads, fds and RSS are
#                printed every 100 cycles); default 0 (no soak)
# VIGIL_BENCH_DIR: where the recording and the results go (default target/bench-playback).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
segments=${1:-12}
soak=${2:-0}
work="${VIGIL_BENCH_DIR:-$root/target/bench-playback}"
media="$work/media-$segments"
command -v gst-launch-1.0 >/dev/null || { echo "The benchmark needs gst-launch-1.0 (gstreamer1.0-tools)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "The baseline needs ffmpeg: apt-get install ffmpeg" >&2; exit 1; }
mkdir -p "$work"

if [ "$(ls "$media"/seg*.mp4 2>/dev/null | wc -l)" -ne "$segments" ]; then
  rm -rf "$media"; mkdir -p "$media"
  echo "Making $segments segments of 1080p H.264 (2 s GOP, 10 s each) in $media ..." >&2
  # the one-frame live branch: without it gst-launch can miss splitmuxsink's end and wait forever (a GstBin race of
  # GStreamer 1.22; docs/DEVELOPING.md)
  gst-launch-1.0 -q -e videotestsrc is-live=true num-buffers=1 ! fakesink \
    videotestsrc pattern=smpte num-buffers=$((segments * 250)) \
    ! video/x-raw,width=1920,height=1080,framerate=25/1 ! timeoverlay font-desc="Sans 48" \
    ! x264enc key-int-max=50 bframes=0 bitrate=4000 speed-preset=ultrafast ! h264parse \
    ! splitmuxsink muxer="mp4mux fragment-duration=1000" max-size-time=10000000000 location="$media/seg%03d.mp4"
fi
bytes=$(cat "$media"/seg*.mp4 | wc -c)
echo "Recording: $segments segments, $((bytes / 1000000)) MB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."

# Vigil: the measurements run in the test framework (only the benchmark class)
rm -f "$media/playback-bench.properties"
modules=target-platform,bundles/org.vigil.api,bundles/org.vigil.testing,bundles/org.vigil.core,bundles/org.vigil.gst
modules=$modules,bundles/org.vigil.media,bundles/org.vigil.storage
modules=$modules,bundles/org.vigil.playback,bundles/org.vigil.playback.tests
soakarg="none"; [ "$soak" -gt 0 ] && soakarg=$soak
(cd "$root" && releng/scripts/mvn.sh -B -o -q -pl "$modules" verify -Dtest=org.vigil.playback.internal.PlaybackBenchTest \
   -Dvigil.playback.bench="$media" -Dvigil.playback.bench.seconds=10 -Dvigil.playback.soak="$soakarg" \
   > "$work/mvn.log" 2>&1) || { tail -60 "$work/mvn.log" >&2; echo "The benchmark run failed; see $work/mvn.log" >&2; exit 1; }
props="$media/playback-bench.properties"
[ -s "$props" ] || { echo "No results in $props; see $work/mvn.log" >&2; exit 1; }
get() { sed -n "s/^$1=//p" "$props" | tail -1; }

# the baseline: ffmpeg concat demuxer, stream copy, same segments, same run
list="$work/concat.txt"
: > "$list"
for f in "$media"/seg*.mp4; do echo "file '$f'" >> "$list"; done
ff=()
for i in 1 2 3; do
  t0=$(date +%s%N)
  ffmpeg -v error -y -f concat -safe 0 -i "$list" -c copy "$work/ffmpeg-concat.mp4"
  t1=$(date +%s%N)
  ff+=($(( (t1 - t0) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ffms=$(median "${ff[@]}")
vms=$(get export_ms_median)
ffprobe -v error "$work/ffmpeg-concat.mp4" >/dev/null
ffprobe -v error "$media/vigil-export.mp4" >/dev/null || { echo "ffprobe rejects Vigil's export" >&2; exit 1; }
vdur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$media/vigil-export.mp4")
fdur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$work/ffmpeg-concat.mp4")

printf '\n%-44s %10s %10s %10s\n' measurement median p95 goal
printf '%-44s %10s %10s %10s\n' "time to first frame (ms)" "$(get first_frame_ms_median)" "$(get first_frame_ms_p95)" "< 300"
printf '%-44s %10s %10s %10s\n' "accurate seek within a segment (ms)" "$(get seek_within_ms_median)" "$(get seek_within_ms_p95)" ""
printf '%-44s %10s %10s %10s\n' "accurate seek across segments (ms)" "$(get seek_across_ms_median)" "$(get seek_across_ms_p95)" ""
printf '%-44s %10s %10s %10s\n' "accurate seek, all (ms)" "$(get seek_all_ms_median)" "$(get seek_all_ms_p95)" "< 150"
printf '%-44s %10s %10s\n' "export, Vigil job (ms, MB/s)" "$vms" "$(echo "$bytes / 1000 / $vms" | bc)"
printf '%-44s %10s %10s\n' "export, ffmpeg -f concat -c copy (ms, MB/s)" "$ffms" "$(echo "$bytes / 1000 / $ffms" | bc)"
printf '%-44s %10.2f %10s %10s\n' "export speed, Vigil / ffmpeg" "$(echo "$ffms / $vms" | bc -l)" "" ">= 0.8"
echo "durations: Vigil's clip ${vdur} s, ffmpeg's ${fdur} s (both pass ffprobe)"
if [ "$soak" -gt 0 ]; then
  echo; echo "Soak ($soak open/play/stop cycles): fds $(get soak_fds), threads $(get soak_threads)," \
    "RSS MiB $(get soak_rss_mib) (from cycle 100 to the last), not released: $(get soak_not_released)"
  cat "$media/playback-soak.txt"
fi
