#!/bin/sh
# Score stability across resolutions (issue 11, docs/performance.md): every baseline JPEG of the
# real-world folder at full size, and downscaled to 1/2 and 1/4 by ImageMagick (its default
# antialiasing filter for downscaling, Lanczos; JPEG quality 95), scored through each downsizing chain.
#
#   tools/bench/realworld-images.sh          # once
#   mvn -B -q -o package -DskipTests -pl keshikaran-benchmarks -am
#   tools/bench/score-stability.sh [FOLDER] [MODEL]
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
folder=${1:-$here/out/realworld}
model=${2:-mobilenet_v2_mid}   # the default model
out=$here/out/stability
mkdir -p "$out/full" "$out/half" "$out/quarter"
for f in "$folder"/*-base.jpg; do
  n=$(basename "$f")
  [ -e "$out/full/$n" ] || cp "$f" "$out/full/$n"
  [ -e "$out/half/$n" ] || convert "$f" -resize 50% -quality 95 "$out/half/$n"
  [ -e "$out/quarter/$n" ] || convert "$f" -resize 25% -quality 95 "$out/quarter/$n"
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$repo/keshikaran-benchmarks/target/benchmarks.jar" io.keshikaran.benchmarks.ScoreStability "$out" "$model"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
