#!/bin/sh
# Makes the images the benchmarks need, under tools/bench/out/ (git-ignored; nothing here is committed):
#   folder/          fixtures/images copied 10 times (210 files): the "folder of real images" for
#                    compare.sh and cli-bench.sh. The copies are byte-identical; every file is still
#                    read and decoded on its own.
#   photo-20mp.jpg   fixtures/images/horses.jpg upscaled to 5472x3648 (20 MP, the size of a typical
#                    camera photo) with mild Gaussian noise, so the file (7 MB) has a camera file's
#                    entropy rather than an upscale's smoothness; JPEG quality 92: for LargeImageBenchmark.
#   large/           every fixture upscaled 4x (same format as the original): for DecodeFidelity.
# Needs ImageMagick's convert (apt-get install -y imagemagick). Usage: tools/bench/make-bench-images.sh
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
fixtures="$repo/fixtures/images"
out="$here/out"
convert=/usr/bin/convert
if [ ! -x "$convert" ]; then
  echo "make-bench-images.sh: ImageMagick is missing: apt-get install -y imagemagick" >&2
  exit 1
fi
mkdir -p "$out/folder" "$out/large"

copies=10
i=1
while [ "$i" -le "$copies" ]; do
  for f in "$fixtures"/*.png "$fixtures"/*.jpg; do
    cp "$f" "$out/folder/$(printf '%02d' "$i")-$(basename "$f")"
  done
  i=$((i + 1))
done

if [ ! -f "$out/photo-20mp.jpg" ]; then
  "$convert" "$fixtures/horses.jpg" -resize '5472x3648!' -seed 42 -attenuate 0.5 +noise Gaussian -quality 92 "$out/photo-20mp.jpg"
fi

for f in "$fixtures"/*.png "$fixtures"/*.jpg; do
  target="$out/large/$(basename "$f")"
  if [ ! -f "$target" ]; then
    case "$f" in
      *.jpg) "$convert" "$f" -resize 400% -quality 92 "$target" ;;
      *) "$convert" "$f" -resize 400% "$target" ;;
    esac
  fi
done
echo "made $(ls "$out/folder" | wc -l) files in $out/folder, $out/photo-20mp.jpg and $(ls "$out/large" | wc -l) files in $out/large"
