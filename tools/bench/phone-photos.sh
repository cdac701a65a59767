#!/bin/sh
# Builds a folder of phone-like photos from the real-world benchmark folder; nothing is committed.
#
#   tools/bench/phone-photos.sh [SRC [OUT]]   # defaults: tools/bench/out/realworld, tools/bench/out/phone
#   HEIF=1 tools/bench/phone-photos.sh        # also OUT-heif: the first 8 as iPhone-style HEICs and as AVIFs
#
# What a phone uploads differs from Debian's wallpapers in two ways that change the decode path:
# the photo is tagged with a Display P3 ICC profile (every iPhone since the 7), and it is often
# stored landscape with EXIF orientation 6 (portrait shots). So each of the first 24 baseline
# JPEGs of SRC at least 2560 px wide becomes a 4032x3024 (12 MP) JPEG, quality 92, 4:2:0, its
# colours converted from sRGB to Display P3 and that profile embedded; every other one gets EXIF
# orientation 6. Those below 4032 px are upscaled, so smoother (smaller files) than camera photos.
# With HEIF=1, OUT-heif gets the first 8 again as a phone would store them in HEIF: a HEIC whose
# primary item is an 8x6 grid of 512x512 HEVC tiles cropped to 4032x3024 (tools/make-heic-grid.py;
# the tiles by libheif's heif-enc -q 90; no profile, which the assembler does not carry), and an
# AVIF (avifenc, libaom speed 8, 4:2:0, Display P3 profile).
# Needs: imagemagick, python3 (the profile: tools/bench/display-p3-icc.py), and an sRGB profile:
#   apt-get install -y imagemagick icc-profiles-free   (HEIF=1: also libheif-examples libavif-bin)
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
src=${1:-$here/out/realworld}
out=${2:-$here/out/phone}
srgb=/usr/share/color/icc/sRGB.icc
[ -f "$srgb" ] || { echo "phone-photos.sh: missing $srgb (apt-get install -y icc-profiles-free)" >&2; exit 1; }
command -v convert >/dev/null || { echo "phone-photos.sh: missing convert (apt-get install -y imagemagick)" >&2; exit 1; }
mkdir -p "$out"
p3="$out/.display-p3.icc"
python3 "$here/display-p3-icc.py" "$p3"
n=0
for f in "$src"/*-base.jpg; do
  [ "$n" -lt 24 ] || break
  [ "$(identify -format '%w' "$f" 2>/dev/null)" -ge 2560 ] || continue
  n=$((n + 1))
  photo="$out/phone-$(basename "$f")"
  convert "$f" -resize '4032x3024^' -gravity center -extent 4032x3024 -profile "$srgb" -profile "$p3" \
    -sampling-factor 2x2 -quality 92 "$photo"
  # Every other photo: an EXIF segment holding only Orientation = 6, right after SOI (ImageMagick
  # writes the tag only into an EXIF block the source already has).
  [ $((n % 2)) -eq 0 ] && python3 -c '
import struct, sys
path = sys.argv[1]
jpeg = open(path, "rb").read()
tiff = b"MM\0*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\0\0" + tiff
open(path, "wb").write(jpeg[:2] + app1 + jpeg[2:])
' "$photo"
done
echo "phone-photos.sh: $n photos in $out"
[ "${HEIF:-0}" = 1 ] || exit 0
heif="$out-heif"
tiles=$(mktemp -d)
mkdir -p "$heif"
k=0
for photo in $(ls "$out"/phone-*.jpg | head -8); do
  k=$((k + 1))
  name=$(basename "$photo" .jpg)
  # Stored landscape as the sensor sees it; a portrait shot (EXIF orientation 6 in the JPEG) is
  # turned by the HEIF's own irot 3 (a quarter clockwise), as iPhones store it.
  irot=0
  python3 -c 'import sys; sys.exit(0 if b"Exif" in open(sys.argv[1], "rb").read(64) else 1)' "$photo" && irot=3
  convert "$photo" -extent 4096x3072 "$tiles/whole.png"
  list=""
  for row in 0 1 2 3 4 5; do
    for col in 0 1 2 3 4 5 6 7; do
      convert "$tiles/whole.png" -crop "512x512+$((col * 512))+$((row * 512))" +repage -strip -type TrueColor \
        -define png:bit-depth=8 "PNG24:$tiles/t.png"
      heif-enc -q 90 "$tiles/t.png" -o "$tiles/t$row$col.heic" >/dev/null
      list="$list $tiles/t$row$col.heic"
    done
  done
  python3 "$here/../make-heic-grid.py" "$heif/$name.heic" 8 6 4032 3024 "$irot" $list
  convert "$photo" -strip -type TrueColor "PNG24:$tiles/p3.png"
  avifenc -s 8 -y 420 --min 10 --max 30 --irot "$irot" --icc "$p3" "$tiles/p3.png" "$heif/$name.avif" >/dev/null
done
rm -rf "$tiles"
echo "phone-photos.sh: $(ls "$heif" | wc -l) HEIC and AVIF files in $heif"
