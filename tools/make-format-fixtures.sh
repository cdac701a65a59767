#!/usr/bin/env bash
# Writes fixtures/formats/: small images in every format, colour mode, orientation and transparency
# keshikaran claims to handle, plus forged and broken files, all derived from the photos in
# fixtures/images/. fixtures/formats/README.md says what each file exercises.
#
# Run by hand after changing it (the outputs are committed; tests never run it):
#   apt-get install -y imagemagick webp libimage-exiftool-perl icc-profiles-free python3-pil libavif-bin libheif-examples
#   tools/make-format-fixtures.sh              # everything
#   tools/make-format-fixtures.sh --heif-only  # only fixtures/formats/heif (HEIC and AVIF)
#
# Deterministic: no timestamps are written, random bytes come from a seeded generator, and the
# script checks its own EXIF-orientation and forged-header outputs before it finishes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/fixtures/images"
OUT="$ROOT/fixtures/formats"
ADOBE_RGB=/usr/share/color/icc/compatibleWithAdobeRGB1998.icc   # icc-profiles-free
SRGB_ICC=/usr/share/color/icc/sRGB.icc                           # icc-profiles-free
PY=/usr/bin/python3                                              # Debian's, with python3-pil

HEIF_ONLY=false
[ "${1:-}" = "--heif-only" ] && HEIF_ONLY=true

TOOLS=(convert identify compare cwebp img2webp webpmux exiftool avifenc heif-enc)
$HEIF_ONLY && TOOLS=(convert compare cwebp avifenc heif-enc)
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done
if ! $HEIF_ONLY; then
  [ -r "$ADOBE_RGB" ] && [ -r "$SRGB_ICC" ] || { echo "missing icc-profiles-free" >&2; exit 1; }
  "$PY" -c 'import PIL' || { echo "missing python3-pil" >&2; exit 1; }
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# Regenerate everything except README.md, which describes the files.
mkdir -p "$OUT"
if ! $HEIF_ONLY; then
  find "$OUT" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
fi
mkdir -p "$OUT/alpha"

# PNGs without gAMA/cHRM/bKGD/tIME/tEXt chunks, so each file holds only what it is meant to test.
PNG_CLEAN=(-strip -define png:exclude-chunk=bKGD,cHRM,gAMA,tIME,tEXt,zTXt,iTXt,date,time)

# ---- Base pictures (temporary) -------------------------------------------------------------
# A landscape photo (not square, so rotations change the size), a drawing, and a patch.
convert "$SRC/horses.jpg" -resize 192x128^ -gravity center -extent 192x128 +repage "${PNG_CLEAN[@]}" "$TMP/photo.png"
convert "$SRC/cartoon-watermill.png" -resize 192x128^ -gravity center -extent 192x128 +repage "${PNG_CLEAN[@]}" "$TMP/drawing.png"
convert "$SRC/dog.jpg" -resize 64x48^ -gravity center -extent 64x48 +repage "${PNG_CLEAN[@]}" "$TMP/patch.png"
convert "$SRC/cat-chelsea.png" -resize 48x32^ -gravity center -extent 48x32 +repage "${PNG_CLEAN[@]}" "$TMP/patch2.png"
# RGBA: the photo with a transparent frame and a soft edge (stored colour under alpha 0: black).
convert -size 192x128 xc:black -fill white -draw "roundrectangle 32,20 159,107 16,16" -blur 0x4 "$TMP/mask.png"
convert "$TMP/photo.png" "$TMP/mask.png" -alpha off -compose CopyOpacity -composite \
  -background black -alpha background "${PNG_CLEAN[@]}" "$TMP/rgba.png"

# ---- HEIF and AVIF (fixtures/formats/heif) ---------------------------------------------------
# Decoded by keshikaran-video's FFmpeg (keshikaran-api alone refuses them, naming what to add).
# HEIC: ImageMagick through libheif and x265 (4:2:0). AVIF: libavif's avifenc with libaom, 4:2:0, speed 8,
# quantizers 10-30; --irot/--imir add the transformative properties to the same coded picture
# (the AV1 data is the same as avif-photo.avif's), --grid 2x2 cuts the picture into 4 tiles of
# 96x64. The *.ref.webp files are ImageMagick's (libheif's) decode of three of them, 8 bits per
# sample, stored as lossless WebP (smaller than PNG), for the decoder tests to compare with.
make_heif() {
  local H="$OUT/heif" A=(-s 8 --min 10 --max 30 -y 420)
  rm -rf "$H"; mkdir -p "$H"
  convert "$TMP/photo.png" -quality 90 "$H/heif-photo.heic"
  avifenc "${A[@]}" "$TMP/photo.png" "$H/avif-photo.avif" >/dev/null
  avifenc "${A[@]}" -d 10 "$TMP/photo.png" "$H/avif-photo-10bit.avif" >/dev/null
  avifenc "${A[@]}" --grid 2x2 "$TMP/photo.png" "$H/avif-grid-2x2.avif" >/dev/null
  avifenc "${A[@]}" --irot 1 "$TMP/photo.png" "$H/avif-irot-1.avif" >/dev/null
  avifenc "${A[@]}" --imir 0 "$TMP/photo.png" "$H/avif-imir-0.avif" >/dev/null
  avifenc "${A[@]}" --imir 1 "$TMP/photo.png" "$H/avif-imir-1.avif" >/dev/null
  avifenc "${A[@]}" --irot 1 --imir 0 "$TMP/photo.png" "$H/avif-irot-1-imir-0.avif" >/dev/null
  avifenc "${A[@]}" "$TMP/rgba.png" "$H/avif-alpha.avif" >/dev/null
  # The same with irot (colour and alpha must turn together) and as a 2x2 grid (the alpha a grid too).
  avifenc "${A[@]}" --irot 1 "$TMP/rgba.png" "$H/avif-alpha-irot-1.avif" >/dev/null
  avifenc "${A[@]}" --grid 2x2 "$TMP/rgba.png" "$H/avif-alpha-grid-2x2.avif" >/dev/null
  # libheif stores the alpha as an HEVC auxiliary item with HEVC's own URN (auxC urn:mpeg:hevc:2015:auxid:1).
  heif-enc -q 90 "$TMP/rgba.png" -o "$H/heif-alpha.heic" >/dev/null
  # Tagged Display P3, as iPhones tag their photos (tools/bench/display-p3-icc.py; Debian ships no
  # P3 profile): the photo's colours converted from sRGB to P3 and the profile embedded (colr prof),
  # by libheif's heif-enc (x265) and avifenc.
  "$PY" "$ROOT/tools/bench/display-p3-icc.py" "$TMP/p3.icc"
  convert "$TMP/photo.png" -profile /usr/share/color/icc/sRGB.icc -profile "$TMP/p3.icc" "$TMP/photo-p3.png"
  heif-enc -q 90 "$TMP/photo-p3.png" -o "$H/heif-photo-p3.heic" >/dev/null
  avifenc "${A[@]}" --icc "$TMP/p3.icc" "$TMP/photo-p3.png" "$H/avif-photo-p3.avif" >/dev/null
  # A HEIC grid, as iPhones store photos (neither libheif 1.15 nor ImageMagick writes one):
  # tools/make-heic-grid.py assembles four 96x64 HEIC tiles of the photo into a 2x2 grid item,
  # plain and with irot 3 on the grid (a quarter turn clockwise, as portrait iPhone photos carry).
  local i
  for i in 0 1 2 3; do
    convert "$TMP/photo.png" -crop "96x64+$(( (i % 2) * 96 ))+$(( (i / 2) * 64 ))" +repage -quality 90 "$TMP/tile$i.heic"
  done
  "$PY" "$ROOT/tools/make-heic-grid.py" "$H/heif-grid-2x2.heic" 2 2 192 128 0 "$TMP"/tile{0,1,2,3}.heic
  "$PY" "$ROOT/tools/make-heic-grid.py" "$H/heif-grid-2x2-irot-3.heic" 2 2 192 128 3 "$TMP"/tile{0,1,2,3}.heic
  # iPhone grids are larger than the photo and cropped by the grid's output size: 180x120 of 192x128.
  "$PY" "$ROOT/tools/make-heic-grid.py" "$H/heif-grid-2x2-cropped.heic" 2 2 180 120 0 "$TMP"/tile{0,1,2,3}.heic
  # A drawing, the whole of cartoon-watermill.png at 256x256, for the classification tests.
  convert "$SRC/cartoon-watermill.png" -resize 256x256 -strip "$TMP/drawing-256.png"
  convert "$TMP/drawing-256.png" -quality 80 "$H/heif-drawing.heic"
  avifenc "${A[@]}" "$TMP/drawing-256.png" "$H/avif-drawing.avif" >/dev/null
  head -c "$(( $(stat -c %s "$H/heif-photo.heic") / 2 ))" "$H/heif-photo.heic" > "$H/truncated.heic"
  local f
  for f in heif-photo avif-photo avif-photo-10bit; do
    convert "$H/$f".* -depth 8 -strip "PNG24:$TMP/$f.ref.png"
    cwebp -quiet -lossless -z 9 -exact "$TMP/$f.ref.png" -o "$H/$f.ref.webp"
  done
  # Sanity: libheif applies irot (anti-clockwise) then imir (mode 0: top-bottom), in that order.
  # (Through PNGs: ImageMagick's compare reads HEIF without applying them.)
  convert "$H/avif-photo.avif" -rotate 270 -flip "$TMP/rot-flip.png"
  convert "$H/avif-irot-1-imir-0.avif" "$TMP/rot-flip-file.png"
  [ "$(compare -metric AE "$TMP/rot-flip-file.png" "$TMP/rot-flip.png" null: 2>&1)" = 0 ] \
    || { echo "avif-irot-1-imir-0.avif is not avif-photo.avif turned and flipped" >&2; exit 1; }
  # libheif reads the assembled grid: the plain one turned clockwise is the irot 3 one.
  convert "$H/heif-grid-2x2.heic" -rotate 90 "$TMP/grid-turned.png"
  convert "$H/heif-grid-2x2-irot-3.heic" "$TMP/grid-irot.png"
  [ "$(compare -metric AE "$TMP/grid-irot.png" "$TMP/grid-turned.png" null: 2>&1)" = 0 ] \
    || { echo "heif-grid-2x2-irot-3.heic is not heif-grid-2x2.heic turned" >&2; exit 1; }
}
if $HEIF_ONLY; then
  make_heif
  echo "wrote $(find "$OUT/heif" -type f | wc -l) files to $OUT/heif"
  exit 0
fi
make_heif

# ---- JPEG ----------------------------------------------------------------------------------
convert "$TMP/photo.png" -strip -quality 90 "$OUT/jpeg-baseline.jpg"
convert "$TMP/photo.png" -strip -quality 90 -interlace JPEG "$OUT/jpeg-progressive.jpg"
convert "$TMP/photo.png" -strip -quality 90 -sampling-factor 1x1 "$OUT/jpeg-444.jpg"
convert "$TMP/photo.png" -strip -quality 90 -colorspace Gray "$OUT/jpeg-gray.jpg"
# ImageMagick writes 4-channel JPEGs as YCCK (Adobe transform 2); Pillow writes plain CMYK
# (Adobe transform 0). Neither embeds a profile, so the reader's default CMYK conversion applies.
convert "$TMP/photo.png" -strip -quality 90 -colorspace CMYK "$OUT/jpeg-ycck.jpg"
"$PY" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).convert("CMYK").save(sys.argv[2], quality=90)' \
  "$TMP/photo.png" "$OUT/jpeg-cmyk.jpg"
# Pixels converted to Adobe RGB (1998) and the profile embedded: a colour-managed decoder gets the
# photo's sRGB colours back, one that ignores the profile gets washed-out colours.
convert "$TMP/photo.png" -strip -profile "$SRGB_ICC" -profile "$ADOBE_RGB" -quality 95 "$OUT/jpeg-adobergb.jpg"

# EXIF orientations 1..8: the stored pixels are the upright photo transformed by the inverse of
# what the tag asks a viewer to do, so every file displays as the upright photo.
inverse=("" "" "-flop" "-rotate 180" "-flip" "-transpose" "-rotate 270" "-transverse" "-rotate 90")
for o in 1 2 3 4 5 6 7 8; do
  f="$OUT/jpeg-exif-orientation-$o.jpg"
  # shellcheck disable=SC2086
  convert "$TMP/photo.png" ${inverse[$o]} -strip -quality 95 -sampling-factor 1x1 "$f"
  exiftool -q -overwrite_original -Orientation#="$o" "$f"
  # Self-check: ImageMagick's own auto-orient must give back the upright photo.
  convert "$f" -auto-orient "$TMP/oriented.png"
  err=$(compare -metric RMSE "$TMP/oriented.png" "$TMP/photo.png" null: 2>&1 | sed 's/.*(\(.*\))/\1/' || true)
  "$PY" -c "import sys; sys.exit(0 if float('$err') < 0.05 else 1)" || { echo "$f does not auto-orient to the photo ($err)" >&2; exit 1; }
done

# ---- PNG -----------------------------------------------------------------------------------
convert "$TMP/photo.png" -colorspace Gray -define png:color-type=0 -define png:bit-depth=8 "${PNG_CLEAN[@]}" "$OUT/png-gray.png"
convert "$TMP/rgba.png" -colorspace Gray -define png:color-type=4 "${PNG_CLEAN[@]}" "$OUT/png-gray-alpha.png"
convert "$TMP/photo.png" -dither None -colors 64 "${PNG_CLEAN[@]}" "PNG8:$OUT/png-palette.png"
# Palette with one fully transparent entry (tRNS), for the outside of the frame.
convert "$TMP/rgba.png" -channel A -threshold 50% +channel -dither None -colors 63 "${PNG_CLEAN[@]}" "PNG8:$OUT/png-palette-trns.png"
# Truecolour with a tRNS colour key: pure magenta pixels are transparent.
convert "$TMP/photo.png" -fill magenta -draw "rectangle 0,0 191,15" -transparent magenta "${PNG_CLEAN[@]}" "PNG24:$OUT/png-rgb-trns.png"
convert "$TMP/rgba.png" "${PNG_CLEAN[@]}" "PNG32:$OUT/png-rgba.png"
convert "$TMP/photo.png" -depth 16 "${PNG_CLEAN[@]}" "PNG48:$OUT/png-16bit.png"
convert "$TMP/rgba.png" -depth 16 "${PNG_CLEAN[@]}" "PNG64:$OUT/png-16bit-rgba.png"
convert "$TMP/photo.png" -interlace PNG "${PNG_CLEAN[@]}" "PNG24:$OUT/png-interlaced.png"
# (ImageMagick converts the pixels but drops the iCCP chunk here, so exiftool embeds the profile.)
convert "$TMP/photo.png" -profile "$SRGB_ICC" -profile "$ADOBE_RGB" "${PNG_CLEAN[@]}" "PNG24:$OUT/png-adobergb.png"
exiftool -q -overwrite_original "-icc_profile<=$ADOBE_RGB" "$OUT/png-adobergb.png"
convert "$TMP/photo.png" -rotate 270 "${PNG_CLEAN[@]}" "PNG24:$OUT/png-exif-orientation-6.png"
exiftool -q -overwrite_original -Orientation#=6 "$OUT/png-exif-orientation-6.png"
convert "$TMP/photo.png" "${PNG_CLEAN[@]}" "PNG24:$OUT/png-named-as.jpg"   # format from content, not name

# ---- GIF -----------------------------------------------------------------------------------
convert "$TMP/photo.png" -dither None -colors 128 "$OUT/gif-static.gif"
convert "$TMP/rgba.png" -channel A -threshold 50% +channel -dither None -colors 127 "$OUT/gif-transparent.gif"
# Three frames: the photo, the drawing, then only the dog patch at +96+64 over the drawing
# (disposal "none"), so frame 2 is correct only if frames are composited onto a canvas.
convert -dispose None -delay 20 \
  \( "$TMP/photo.png" -dither None -colors 128 \) \
  \( "$TMP/drawing.png" -dither None -colors 128 \) \
  \( "$TMP/patch.png" -dither None -colors 128 -repage 192x128+96+64 \) \
  -loop 0 "$OUT/gif-animated.gif"
# Disposal methods: frame 0 (photo) is disposed to background, frame 1 (dog patch at +16+16) is
# disposed to previous, frame 2 is the cat patch at +128+80; so frame 2 shows only the cat patch
# on a transparent canvas.
convert -delay 20 \
  -dispose Background \( "$TMP/photo.png" -dither None -colors 128 \) \
  -dispose Previous \( "$TMP/patch.png" -dither None -colors 128 -repage 192x128+16+16 \) \
  -dispose None \( "$TMP/patch2.png" -dither None -colors 128 -repage 192x128+128+80 \) \
  -loop 0 "$OUT/gif-animated-disposal.gif"

# ---- WebP ----------------------------------------------------------------------------------
cwebp -quiet -q 80 "$TMP/photo.png" -o "$OUT/webp-lossy.webp"
cwebp -quiet -lossless "$TMP/photo.png" -o "$OUT/webp-lossless.webp"
cwebp -quiet -q 80 -alpha_q 100 "$TMP/rgba.png" -o "$OUT/webp-lossy-alpha.webp"
cwebp -quiet -lossless "$TMP/rgba.png" -o "$OUT/webp-lossless-alpha.webp"
# A size that 2, 4 and 8 do not divide (libwebp's scaler spreads the whole width over the result).
convert "$SRC/horses.jpg" -resize 203x141! "${PNG_CLEAN[@]}" "$TMP/odd.png"
cwebp -quiet -lossless "$TMP/odd.png" -o "$OUT/webp-lossless-203x141.webp"
convert "$TMP/drawing.png" "$TMP/patch.png" -geometry +96+64 -composite "${PNG_CLEAN[@]}" "$TMP/drawing-patched.png"
# Lossless frames: the decoded frames must equal the three source pictures exactly. img2webp stores
# frames 1 and 2 as sub-rectangles where it can, so this also needs canvas compositing.
img2webp -loop 0 -lossless -d 200 "$TMP/photo.png" "$TMP/drawing.png" "$TMP/drawing-patched.png" -o "$OUT/webp-animated.webp" >/dev/null
img2webp -loop 0 -lossy -q 80 -d 200 "$TMP/photo.png" "$TMP/drawing.png" "$TMP/drawing-patched.png" -o "$OUT/webp-animated-lossy.webp" >/dev/null
# The lossless animation tagged with an ICC profile (webpmux adds ICCP and the VP8X flag): Adobe RGB,
# whose frames are converted one by one, and sRGB, whose frames are the untagged file's.
webpmux -set icc "$ADOBE_RGB" "$OUT/webp-animated.webp" -o "$OUT/webp-animated-adobergb.webp" >/dev/null
webpmux -set icc "$SRGB_ICC" "$OUT/webp-animated.webp" -o "$OUT/webp-animated-srgb.webp" >/dev/null
# Alpha, offsets, "do not blend" and disposal to background, which img2webp chooses by itself, set
# frame by frame with webpmux: frame 0 is the RGBA photo (not blended); frame 1 the dog patch with a
# soft edge at +96+64, blended, then disposed to background; frame 2 the cat patch, opaque, at
# +16+16, blended: frame 2 shows a transparent hole where frame 1 was. Lossless (frame 0 with 32
# colours, a VP8L palette, to keep the file small), and lossy (frames 0 and 1 ALPH + VP8, frame 2
# plain VP8).
convert "$TMP/rgba.png" -dither None -colors 32 "${PNG_CLEAN[@]}" "$TMP/rgba-32.png"
convert -size 64x48 xc:black -fill white -draw "ellipse 32,24 28,20 0,360" -blur 0x3 "$TMP/patch-mask.png"
convert "$TMP/patch.png" "$TMP/patch-mask.png" -alpha off -compose CopyOpacity -composite \
  -background black -alpha background "${PNG_CLEAN[@]}" "$TMP/patch-rgba.png"
for kind in lossless lossy; do
  opts=(-lossless); first="$TMP/rgba-32.png"
  [ "$kind" = lossy ] && opts=(-q 70 -alpha_q 100) && first="$TMP/rgba.png"
  cwebp -quiet "${opts[@]}" "$first" -o "$TMP/f0.webp"
  cwebp -quiet "${opts[@]}" "$TMP/patch-rgba.png" -o "$TMP/f1.webp"
  cwebp -quiet "${opts[@]}" "$TMP/patch2.png" -o "$TMP/f2.webp"
  webpmux -frame "$TMP/f0.webp" +200+0+0+0-b -frame "$TMP/f1.webp" +200+96+64+1+b \
    -frame "$TMP/f2.webp" +200+16+16+0+b -loop 0 -bgcolor 0,0,0,0 -o "$OUT/webp-animated-alpha-$kind.webp"
done
# The lossy one tagged Adobe RGB: libwebp decodes its frames (not TwelveMonkeys) before the conversion.
webpmux -set icc "$ADOBE_RGB" "$OUT/webp-animated-alpha-lossy.webp" -o "$OUT/webp-animated-alpha-lossy-adobergb.webp" >/dev/null
convert "$TMP/photo.png" -rotate 270 "${PNG_CLEAN[@]}" "$TMP/rot.png"
cwebp -quiet -q 90 "$TMP/rot.png" -o "$OUT/webp-exif-orientation-6.webp"
exiftool -q -overwrite_original -Orientation#=6 "$OUT/webp-exif-orientation-6.webp"

# ---- APNG ----------------------------------------------------------------------------------
# The three pictures of webp-animated.webp (above) as an animated PNG, written by ffmpeg's APNG
# encoder, which stores frame 2 as the 64x48 rectangle that changed (the dog patch at +96+64):
# it decodes to the picture only if composited onto the canvas.
cp "$TMP/photo.png" "$TMP/apng-1.png"
cp "$TMP/drawing.png" "$TMP/apng-2.png"
cp "$TMP/drawing-patched.png" "$TMP/apng-3.png"
ffmpeg -loglevel error -y -framerate 5 -i "$TMP/apng-%d.png" -plays 0 -pred mixed -f apng "$OUT/png-animated.png"

# ---- BMP -----------------------------------------------------------------------------------
convert "$TMP/photo.png" -strip "BMP3:$OUT/bmp-24.bmp"
convert "$TMP/photo.png" -strip -dither None -colors 200 -type Palette "BMP3:$OUT/bmp-8bit-palette.bmp"
convert "$TMP/rgba.png" -strip "BMP:$OUT/bmp-32-alpha.bmp"

# ---- Very small images ---------------------------------------------------------------------
convert "$TMP/photo.png" -resize '1x1!' "${PNG_CLEAN[@]}" "PNG24:$OUT/tiny-1x1.png"
convert "$TMP/photo.png" -resize '1x1!' -strip -quality 90 "$OUT/tiny-1x1.jpg"
convert "$TMP/photo.png" -resize '1x64!' "${PNG_CLEAN[@]}" "PNG24:$OUT/tiny-1x64.png"
convert "$TMP/photo.png" -resize '64x1!' -dither None -colors 16 "$OUT/tiny-64x1.gif"
convert "$TMP/photo.png" -resize '1x1!' "${PNG_CLEAN[@]}" "$TMP/1.png"
cwebp -quiet -lossless "$TMP/1.png" -o "$OUT/tiny-1x1.webp"

# ---- Transparency measurement set (fixtures/formats/alpha) ---------------------------------
# For several photos and drawings: the opaque original (the "truth") and three RGBA versions with a
# controlled transparent area. Under fully transparent pixels the stored colour is black, as
# premultiplying editors and libwebp's transparent-area cleanup leave it.
convert -size 128x128 xc:black -fill white -draw "rectangle 26,26 101,101" "$TMP/a-frame.png"
convert -size 128x128 xc:black -fill white -draw "ellipse 64,64 44,56 0,360" -blur 0x3 "$TMP/a-cutout.png"
convert -size 128x128 gradient:black-white -rotate 90 "$TMP/a-fade.png"
for name in dog.jpg grace-hopper.jpg cat-chelsea.png horses.jpg coffee.png statue-of-liberty.jpg \
            cartoon-watermill.png dog-cartoon.png; do
  base="${name%.*}"
  convert "$SRC/$name" -resize 128x128^ -gravity center -extent 128x128 +repage "${PNG_CLEAN[@]}" "PNG24:$OUT/alpha/$base.png"
  for pattern in frame cutout fade; do
    convert "$OUT/alpha/$base.png" "$TMP/a-$pattern.png" -alpha off -compose CopyOpacity -composite \
      -background black -alpha background "${PNG_CLEAN[@]}" "PNG32:$OUT/alpha/$base-$pattern.png"
  done
done

# ---- Forged headers: must be refused from the header, before any pixel memory is allocated ---
cp "$TMP/1.png" "$TMP/one.png"
convert "$TMP/photo.png" -resize '8x8!' -strip "$TMP/one.jpg"
convert "$TMP/photo.png" -resize '8x8!' -colors 4 "$TMP/one.gif"
convert "$TMP/photo.png" -resize '8x8!' -strip "BMP3:$TMP/one.bmp"
cwebp -quiet -lossless "$TMP/1.png" -o "$TMP/one.webp"
"$PY" - "$TMP" "$OUT" <<'PY'
import random, struct, sys, zlib
tmp, out = sys.argv[1], sys.argv[2]

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

# PNG: a valid IHDR (correct CRC) claiming 100000 x 100000 RGB, then a few bytes of image data.
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
open(f"{out}/png-claims-100000x100000.png", "wb").write(png)

# JPEG: the SOF0 of an 8x8 JPEG rewritten to 65500 x 65500.
jpg = bytearray(open(f"{tmp}/one.jpg", "rb").read())
i = 2
while True:
    assert jpg[i] == 0xFF
    marker, length = jpg[i + 1], struct.unpack(">H", jpg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        struct.pack_into(">HH", jpg, i + 5, 65500, 65500)
        break
    i += 2 + length
open(f"{out}/jpeg-claims-65500x65500.jpg", "wb").write(jpg)

# GIF: logical screen and image descriptor of an 8x8 GIF rewritten to 65535 x 65535.
gif = bytearray(open(f"{tmp}/one.gif", "rb").read())
struct.pack_into("<HH", gif, 6, 65535, 65535)
i = 13 + (3 << ((gif[10] & 7) + 1) if gif[10] & 0x80 else 0)
while gif[i] != 0x2C:                       # skip extensions up to the image descriptor
    i += 2
    while gif[i]:
        i += gif[i] + 1
    i += 1
struct.pack_into("<HH", gif, i + 5, 65535, 65535)
open(f"{out}/gif-claims-65535x65535.gif", "wb").write(gif)

# WebP lossless: 14-bit width/height fields set to the maximum, 16384 x 16384.
webp = bytearray(open(f"{tmp}/one.webp", "rb").read())
assert webp[12:16] == b"VP8L" and webp[20] == 0x2F
bits = struct.unpack_from("<I", webp, 21)[0]
bits = (bits & ~0xFFFFFFF) | 0x3FFF | (0x3FFF << 14)
struct.pack_into("<I", webp, 21, bits)
open(f"{out}/webp-claims-16384x16384.webp", "wb").write(webp)

# BMP: BITMAPINFOHEADER width and height set to 100000.
bmp = bytearray(open(f"{tmp}/one.bmp", "rb").read())
struct.pack_into("<ii", bmp, 18, 100000, 100000)
open(f"{out}/bmp-claims-100000x100000.bmp", "wb").write(bmp)

# Random bytes, from a seeded generator so the file is reproducible.
rnd = random.Random(20241126)
open(f"{out}/random.bin", "wb").write(bytes(rnd.getrandbits(8) for _ in range(4096)))
PY

# ---- Broken and non-image inputs -----------------------------------------------------------
: > "$OUT/empty.jpg"
head -c "$(( $(stat -c %s "$OUT/jpeg-baseline.jpg") / 2 ))" "$OUT/jpeg-baseline.jpg" > "$OUT/truncated.jpg"
head -c "$(( $(stat -c %s "$OUT/jpeg-progressive.jpg") / 2 ))" "$OUT/jpeg-progressive.jpg" > "$OUT/truncated-progressive.jpg"
head -c "$(( $(stat -c %s "$OUT/png-interlaced.png") / 2 ))" "$OUT/png-interlaced.png" > "$OUT/truncated.png"
head -c "$(( $(stat -c %s "$OUT/gif-animated.gif") * 2 / 3 ))" "$OUT/gif-animated.gif" > "$OUT/truncated-animated.gif"
head -c "$(( $(stat -c %s "$OUT/webp-lossy.webp") / 2 ))" "$OUT/webp-lossy.webp" > "$OUT/truncated.webp"
printf 'This is a text file with an image extension.\nkeshikaran must say so instead of failing obscurely.\n' > "$OUT/text.png"
mkdir -p "$OUT/directory.jpg"
printf 'A directory named like an image: keshikaran must report "is a directory".\n' > "$OUT/directory.jpg/README.md"

# Sanity: every generated image that should decode is readable by ImageMagick, and the forged
# headers really claim what their names say.
for f in "$OUT"/*.jpg "$OUT"/*.png "$OUT"/*.gif "$OUT"/*.webp "$OUT"/*.bmp; do
  case "$(basename "$f")" in empty.jpg|truncated*|text.png|directory.jpg|*-claims-*) continue ;; esac
  identify "$f" >/dev/null
done
"$PY" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); assert struct.unpack(">II", d[16:24]) == (100000, 100000)' \
  "$OUT/png-claims-100000x100000.png"

echo "wrote $(find "$OUT" -type f | wc -l) files, $(du -sk "$OUT" | cut -f1) KiB, to $OUT"
