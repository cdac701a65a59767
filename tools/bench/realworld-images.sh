#!/bin/sh
# Builds the real-world benchmark folder (issue 11) from Debian packages; nothing here is committed.
#
#   tools/bench/realworld-images.sh [OUT]     # default OUT: tools/bench/out/realworld (git-ignored)
#
# Needs: apt-get (downloads .deb files only, installs nothing), dpkg, python3, and the tools
#   apt-get install -y libjpeg-turbo-progs webp imagemagick
# Sources (Debian 12 packages, pinned by name; the version apt serves is recorded in OUT/SOURCES):
#   plasma-workspace-wallpapers  photos (2560x1600) and 4K/5K wallpapers, JPEG and PNG
#   mate-backgrounds             Elephants 5640x3172 progressive JPEG (17.9 MP), other backgrounds
#   ukui-wallpapers              3640x2400 / 3840x2400 JPEG and PNG wallpapers
#   gnome-backgrounds            WebP wallpapers (lossy, 4096x4096-ish)
# Made from them (deterministic: fixed tools and settings):
#   *-prog.jpg / *-base.jpg      every JPEG of >= 1 MP also in the other JPEG coding (jpegtran, lossless)
#   webp4k-lossy-*.webp          4096x4096 crops of the largest photos/wallpapers, cwebp -q 80
#   webp4k-lossless-*.webp       the same crops, cwebp -lossless
#   anim-*.gif / anim-*.webp     8-frame animations (600x400) cut from photos, ImageMagick / img2webp
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
out=${1:-$here/out/realworld}
work=$here/out/realworld-debs
for t in jpegtran cwebp img2webp convert python3 dpkg; do
  command -v "$t" >/dev/null || { echo "realworld-images.sh: missing $t (apt-get install -y libjpeg-turbo-progs webp imagemagick)" >&2; exit 1; }
done
mkdir -p "$work" "$out"
cd "$work"
packages="plasma-workspace-wallpapers mate-backgrounds ukui-wallpapers gnome-backgrounds"
for p in $packages; do
  ls "$p"_*.deb >/dev/null 2>&1 || apt-get download "$p"
done
rm -rf x && mkdir x
for d in *.deb; do dpkg -x "$d" x; done
ls *.deb > "$out/SOURCES"

# Pick every JPEG/PNG/WebP of at least 1 MP (by header), largest variant of each wallpaper only.
python3 - "$work/x" "$out" <<'EOF'
import os, shutil, struct, sys
src, out = sys.argv[1], sys.argv[2]
def dims(p):
    d = open(p, 'rb').read(1 << 20)
    if d[:2] == b'\xff\xd8':
        i = 2
        while i + 9 < len(d):
            if d[i] != 0xff: i += 1; continue
            m = d[i + 1]
            if m in (0xc0, 0xc1, 0xc2):
                h, w = struct.unpack('>HH', d[i + 5:i + 9]); return w, h, 'prog' if m == 0xc2 else 'base'
            if m == 0xd8 or 0xd0 <= m <= 0xd7: i += 2; continue
            i += 2 + struct.unpack('>H', d[i + 2:i + 4])[0]
    elif d[:4] == b'\x89PNG':
        w, h = struct.unpack('>II', d[16:24]); return w, h, 'png'
    elif d[:4] == b'RIFF' and d[8:12] == b'WEBP':
        c = d[12:16]
        if c == b'VP8 ': w, h = struct.unpack('<HH', d[26:30]); return w & 0x3fff, h & 0x3fff, 'webp'
        if c == b'VP8L':
            b = int.from_bytes(d[21:25], 'little'); return (b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1, 'webpl'
        if c == b'VP8X':
            return int.from_bytes(d[24:27], 'little') + 1, int.from_bytes(d[27:30], 'little') + 1, 'webpx'
    return None
best = {}
for r, _, fs in os.walk(src):
    for f in sorted(fs):
        p = os.path.join(r, f)
        if not f.lower().endswith(('.jpg', '.jpeg', '.png', '.webp')) or os.path.islink(p):
            continue
        s = dims(p)
        if not s or s[0] * s[1] < 1_000_000:
            continue
        # Plasma wallpapers: contents/images[_dark]/WxH.ext; keep the largest per theme and variant.
        parts = p.split(os.sep)
        key = '-'.join(parts[-4:-1:2]) if 'contents' in parts else os.path.splitext(f)[0]
        if key not in best or s[0] * s[1] > best[key][1][0] * best[key][1][1]:
            best[key] = (p, s)
for key, (p, s) in sorted(best.items()):
    ext = os.path.splitext(p)[1].lower().replace('jpeg', 'jpg')
    shutil.copyfile(p, os.path.join(out, f"{key.replace('/', '-')}-{s[0]}x{s[1]}-{s[2]}{ext}"))
EOF

cd "$out"
# The other JPEG coding of each JPEG (lossless transcode: same pixels, different decoder work).
for f in *-base.jpg; do [ -e "$f" ] && jpegtran -copy all -progressive "$f" > "${f%-base.jpg}-prog.jpg"; done
for f in *-prog.jpg; do
  b="${f%-prog.jpg}-base.jpg"
  [ -e "$b" ] || jpegtran -copy all -optimize "$f" > "$b"
done
# 4096x4096 WebP, lossy and lossless, from the three largest JPEGs (centre crop, upscaled if needed).
i=0
for f in $(ls -S *-base.jpg | head -3); do
  i=$((i + 1))
  convert "$f" -resize '4096x4096^' -gravity center -extent 4096x4096 -quality 100 "/tmp/rw-crop-$$.ppm"
  cwebp -quiet -q 80 "/tmp/rw-crop-$$.ppm" -o "webp4k-lossy-$i.webp"
  cwebp -quiet -lossless -z 6 "/tmp/rw-crop-$$.ppm" -o "webp4k-lossless-$i.webp"
done
rm -f "/tmp/rw-crop-$$.ppm"
# Animations: 8 frames of 600x400 panning across a photo.
i=0
for f in $(ls *-base.jpg | head -3); do
  i=$((i + 1))
  frames=""
  for k in 0 1 2 3 4 5 6 7; do
    convert "$f" -resize 1200x800^ -gravity northwest -crop "600x400+$((k * 60))+$((k * 40))" +repage "/tmp/rw-f$$-$k.png"
    frames="$frames /tmp/rw-f$$-$k.png"
  done
  convert -delay 10 -loop 0 $frames "anim-$i.gif"
  img2webp -loop 0 -d 100 -lossy -q 75 $frames -o "anim-$i.webp" >/dev/null 2>&1
  rm -f $frames
done
echo "realworld-images.sh: $(ls | grep -vc SOURCES) files, $(du -sh . | cut -f1) in $out"
