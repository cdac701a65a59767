#!/usr/bin/env bash
# Writes fixtures/videos/: small slideshow clips made from fixtures/images/ in every container and
# codec keshikaran-video claims to decode, plus broken and hostile files. fixtures/videos/README.md
# says what each file exercises. Tests never run this script; the outputs are committed.
#
# Run by hand after changing it:
#   apt-get install -y ffmpeg python3
#   tools/make-video-fixtures.sh
#
# The slideshow: 5 slides of 2 s each at 5 fps, each image stretched to fill the frame,
# one keyframe at the start of each slide (GOP 10 frames, no scene-cut keyframes), so
#   640x480 for the H.264 MP4 (larger than twice the model input, so
# it exercises scaling in FFmpeg), 320x240 for the others:
#   0-2 s coffee.png, 2-4 s flower.jpg, 4-6 s china-summer-palace.jpg,
#   6-8 s dog-german-shepherd.jpg (the highest-scoring fixture, about 0.23), 8-10 s grace-hopper.jpg.
# Deterministic: -fflags +bitexact / -bitexact, no creation times, single-threaded encoders.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/fixtures/images"
OUT="$ROOT/fixtures/videos"
command -v ffmpeg >/dev/null || { echo "missing ffmpeg (apt-get install -y ffmpeg)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
find "$OUT" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

SLIDES=(coffee.png flower.jpg china-summer-palace.jpg dog-german-shepherd.jpg grace-hopper.jpg)
FF=(ffmpeg -hide_banner -loglevel error -y)
BITEXACT=(-fflags +bitexact -flags:v +bitexact -map_metadata -1 -threads 1)

# Every image stretched to 640x480 (the model stretches to its square input anyway) as a PNG,
# then one concat list: each slide shown for 2 s, the last one repeated as concat demands.
: > "$TMP/list.txt"
i=0
for s in "${SLIDES[@]}"; do
  "${FF[@]}" -i "$SRC/$s" -vf "scale=640:480:flags=bicubic,format=rgb24" -frames:v 1 "$TMP/slide$i.png"
  printf "file '%s'\nduration 2\n" "$TMP/slide$i.png" >> "$TMP/list.txt"
  i=$((i + 1))
done
printf "file '%s'\n" "$TMP/slide$((i - 1)).png" >> "$TMP/list.txt"

slideshow() { # size out codec-args...
  local size="$1" out="$2"; shift 2
  "${FF[@]}" -f concat -safe 0 -i "$TMP/list.txt" -vf "scale=$size:flags=area,setsar=1,fps=5,format=yuv420p" \
    -t 10 -an "$@" "${BITEXACT[@]}" "$out"
}
X264=(-c:v libx264 -preset medium -crf 28 -g 10 -keyint_min 10 -sc_threshold 0 -bf 0)
slideshow 640:480 "$OUT/slideshow-h264.mp4" "${X264[@]}" -crf 35 -movflags +faststart
slideshow 320:240 "$OUT/slideshow-h264.mov" "${X264[@]}"
slideshow 320:240 "$OUT/slideshow-h265.mp4" -c:v libx265 -preset medium -crf 30 -tag:v hvc1 \
  -x265-params "keyint=10:min-keyint=10:scenecut=0:bframes=0:log-level=error:pools=1:frame-threads=1"
# AV1 (libaom): the bundled FFmpeg decodes it with libaom-av1 (it has no libdav1d).
slideshow 320:240 "$OUT/slideshow-av1.mp4" -c:v libaom-av1 -b:v 0 -crf 28 -cpu-used 8 -g 10 -keyint_min 10 \
  -lag-in-frames 0 -row-mt 0
VPX=(-b:v 0 -crf 45 -g 10 -keyint_min 10 -auto-alt-ref 0 -lag-in-frames 0 -deadline good -cpu-used 4)
slideshow 320:240 "$OUT/slideshow-vp8.webm" -c:v libvpx "${VPX[@]}"
slideshow 320:240 "$OUT/slideshow-vp9.webm" -c:v libvpx-vp9 "${VPX[@]}" -row-mt 0
slideshow 320:240 "$OUT/slideshow-vp9.mkv" -c:v libvpx-vp9 "${VPX[@]}" -row-mt 0

# Motion with B-frames (or VP9's hidden alt-ref frames), for the frame-skipping tests: ffmpeg's
# moving test pattern, every frame different, 6 s at 25 fps, a keyframe every 1.6 s (not on a
# whole second, so sample times fall between keyframes). H.265 with an open GOP: the frames after
# each keyframe that are shown before it refer to the previous GOP.
motion() { # out codec-args...
  local out="$1"; shift
  "${FF[@]}" -f lavfi -i "testsrc2=size=256x144:rate=25:duration=6" -pix_fmt yuv420p -an "$@" "${BITEXACT[@]}" "$out"
}
motion "$OUT/motion-h264.mp4" -c:v libx264 -preset veryfast -crf 32 -g 40 -keyint_min 40 -sc_threshold 0
motion "$OUT/motion-h265-opengop.mkv" -c:v libx265 -preset fast -crf 32 \
  -x265-params "keyint=40:min-keyint=40:scenecut=0:bframes=4:open-gop=1:log-level=error:pools=1:frame-threads=1"
motion "$OUT/motion-av1.mp4" -c:v libaom-av1 -b:v 0 -crf 50 -cpu-used 8 -g 40 -keyint_min 40 -row-mt 0
motion "$OUT/motion-vp9-altref.webm" -c:v libvpx-vp9 -b:v 0 -crf 45 -g 40 -keyint_min 40 -auto-alt-ref 1 \
  -lag-in-frames 16 -deadline good -cpu-used 4 -row-mt 0

# The base of the broken files below: the same slideshow, small.
slideshow 160:120 "$TMP/small.mp4" "${X264[@]}" -movflags +faststart

# A clip with a video and an audio track (the audio must be ignored).
"${FF[@]}" -i "$TMP/small.mp4" -f lavfi -i "sine=frequency=440:duration=10:sample_rate=8000" \
  -map 0:v -map 1:a -c:v copy -c:a aac -b:a 16k -shortest "${BITEXACT[@]}" "$OUT/with-audio.mp4"

# A portrait phone clip: stored 160x120, with a display matrix (the "rotate" tag) turning it 90°.
"${FF[@]}" -i "$TMP/small.mp4" -c copy -metadata:s:v:0 rotate=90 -fflags +bitexact -map_metadata -1 "$OUT/rotated-90.mp4"

# Audio only: an MP4 (m4a) and a WebM with nothing but sound.
"${FF[@]}" -f lavfi -i "sine=frequency=440:duration=2:sample_rate=8000" -c:a aac -b:a 16k "${BITEXACT[@]}" "$OUT/audio-only.m4a"
"${FF[@]}" -f lavfi -i "sine=frequency=440:duration=2:sample_rate=8000" -c:a libopus -b:a 16k "${BITEXACT[@]}" "$OUT/audio-only.webm"

# Unsupported: a Matroska file whose video codec (FFV1) keshikaran-video does not accept, and an
# AVI container (not accepted either).
"${FF[@]}" -f lavfi -i "testsrc=size=64x48:rate=5:duration=1" -c:v ffv1 "${BITEXACT[@]}" "$OUT/unsupported-codec-ffv1.mkv"
"${FF[@]}" -f lavfi -i "testsrc=size=64x48:rate=5:duration=1" -c:v mpeg4 "${BITEXACT[@]}" "$OUT/unsupported-container.avi"

python3 - "$OUT" "$TMP/small.mp4" <<'PY'
import random, struct, sys, pathlib
out = pathlib.Path(sys.argv[1])
src = pathlib.Path(sys.argv[2]).read_bytes()
# Truncated: the index (moov, at the front thanks to faststart) is intact, the media data stops
# after 40 % of the file.
(out / "truncated.mp4").write_bytes(src[: len(src) * 4 // 10])
# Truncated Matroska: no index of packets to betray the cut, only the header's duration.
mkv = (out / "slideshow-vp9.mkv").read_bytes()
(out / "truncated.mkv").write_bytes(mkv[: len(mkv) * 4 // 10])
# Corrupt: the ftyp box is intact (so it is recognised as MP4), the 2 KiB after it, where the
# moov index starts, overwritten with seeded random bytes.
rnd = random.Random(16)
ftyp = struct.unpack(">I", src[:4])[0]
(out / "corrupt.mp4").write_bytes(src[:ftyp] + bytes(rnd.randrange(256) for _ in range(2048)) + src[ftyp + 2048:])

def patch_box(data, box, fn, after=b""):
    # The box type searched after its parent's, so that "avc1" in the ftyp brands is not hit.
    i = data.find(box, data.find(after) if after else 0)
    assert i > 0, box
    return fn(bytearray(data), i - 4)
# Hostile: the avc1 sample entry and the track header claim 65535x65535 pixels.
def huge(d, at):
    # VisualSampleEntry: size(4) type(4) reserved(6) dref(2) pre_defined/reserved(16) width(2) height(2)
    struct.pack_into(">HH", d, at + 8 + 6 + 2 + 16, 65535, 65535)
    return bytes(d)
(out / "hostile-dimensions.mp4").write_bytes(patch_box(src, b"avc1", huge, after=b"stsd"))
# Lying: the sample entry claims 16x12 while the H.264 bitstream (SPS) is 160x120, so only the
# decoder's own pixel limit can catch a frame larger than allowed.
def small(d, at):
    struct.pack_into(">HH", d, at + 8 + 6 + 2 + 16, 16, 12)
    return bytes(d)
(out / "lying-dimensions.mp4").write_bytes(patch_box(src, b"avc1", small, after=b"stsd"))
# (An MP4 cannot claim an absurd duration that FFmpeg believes: it takes a track's duration from
# the sample table as cut by the edit list, not from the mvhd/mdhd duration fields.)
# Hostile: a WebM whose segment info claims 10^12 ms (about 31 years).
webm = bytearray((out / "slideshow-vp9.webm").read_bytes())
i = webm.find(b"\x44\x89\x88")  # Duration element, 8-byte float
assert i > 0
struct.pack_into(">d", webm, i + 3, 1e12)
(out / "hostile-duration.webm").write_bytes(bytes(webm))
PY
ls -l "$OUT"
