#!/usr/bin/env bash
# Writes the clips keshikaran-video's benchmark reads (not committed: tens of MB):
#   DIR/1080p-60s.mp4   1920x1080 H.264 (High profile, x264 "veryfast", CRF 23), 30 fps, 60 s,
#                       a keyframe every 2 s (GOP 60), B-frames as x264 places them
#   DIR/1080p-10min.mp4 that minute ten times over (stream copy), for the memory test
# Content: ffmpeg's moving test pattern with light temporal noise, so that frames carry detail
# and every frame differs (several Mbit/s, like web video).
# Usage: apt-get install -y ffmpeg; tools/bench/make-video-bench-clips.sh [DIR]   (default /tmp/keshikaran-video-bench)
set -euo pipefail
DIR="${1:-/tmp/keshikaran-video-bench}"
mkdir -p "$DIR"
if [ ! -s "$DIR/1080p-60s.mp4" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30,noise=alls=3:allf=t" \
    -t 60 -c:v libx264 -preset veryfast -crf 23 -g 60 -keyint_min 60 -sc_threshold 0 -pix_fmt yuv420p \
    "$DIR/tmp.mp4"
  mv "$DIR/tmp.mp4" "$DIR/1080p-60s.mp4"
fi
if [ ! -s "$DIR/1080p-10min.mp4" ]; then
  for i in $(seq 10); do echo "file '$DIR/1080p-60s.mp4'"; done > "$DIR/list.txt"
  ffmpeg -hide_banner -loglevel error -y -f concat -safe 0 -i "$DIR/list.txt" -c copy "$DIR/tmp.mp4"
  mv "$DIR/tmp.mp4" "$DIR/1080p-10min.mp4"
fi
ls -l "$DIR"
ffprobe -v error -show_entries format=duration,bit_rate -of csv=p=0 "$DIR/1080p-60s.mp4"
