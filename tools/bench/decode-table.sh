#!/bin/sh
# Per-format decoding table, one thread: keshikaran (ImageIO at full size; the default decoders at
# full size, as fidelity mode decodes; the same reduced, the default) against libvips through
# sharp, on the same folder in the same run. Run by hand.
#
#   tools/bench/realworld-images.sh                      # once: tools/bench/out/realworld
#   (cd tools/nsfwjs-bench && npm ci)                    # once: sharp
#   mvn -B -q -o package -DskipTests -pl keshikaran-benchmarks -am
#   tools/bench/decode-table.sh [FOLDER] [ROUNDS] [--native-only]   # --native-only: no ImageIO column (minutes faster)
# Prints per file, then per format: files, megapixels, total ms per decoder and the worst
# milliseconds per megapixel (what one image of that format may cost), and the load average.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
folder=${1:-$here/out/realworld}
rounds=${2:-3}
only=${3:-}
out=$here/out/decode-table-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "folder: $folder; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "$repo/keshikaran-benchmarks/target/benchmarks.jar" io.keshikaran.benchmarks.DecodeTable \
  "$folder" --rounds "$rounds" $only > "$out/keshikaran.tsv"
echo "load after keshikaran: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$here/decode-sharp.mjs" "$folder" "$rounds" > "$out/vips.tsv"
echo "load after libvips: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/keshikaran.tsv" "$out/vips.tsv" <<'PY'
import csv, sys, collections
k = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
v = {r['file']: float(r['vipsMs']) for r in csv.DictReader(open(sys.argv[2]), delimiter='\t')}
def kind(r):
    f, fmt = r['file'], r['format']
    if fmt == 'JPEG': return 'JPEG progressive' if '-prog' in f else 'JPEG baseline'
    if fmt.startswith('WEBP'): return fmt.replace('WEBP', 'WebP') + (' lossless' if 'lossless' in f else ' lossy') if 'anim' not in fmt else 'WebP animated'
    return fmt.replace('-anim', ' animated')
agg = collections.defaultdict(lambda: collections.defaultdict(float))
worst = collections.defaultdict(lambda: collections.defaultdict(float))
print('| file | MP | ImageIO ms | full ms | default (reduced) ms | libvips ms |')
print('|---|---|---|---|---|---|')
for r in k:
    mp = float(r['megapixels']); g = kind(r); vm = v.get(r['file'], float('nan'))
    print(f"| {r['file']} | {mp:.1f} | {r['javaMs']} | {r['fullMs']} | {r['reducedMs']} | {vm:.1f} |")
    agg[g]['n'] += 1; agg[g]['mp'] += mp
    for col, val in (('java', float(r['javaMs'])), ('native', float(r['fullMs'])), ('reduced', float(r['reducedMs'])), ('vips', vm)):
        agg[g][col] += val; worst[g][col] = max(worst[g][col], val / mp)
print()
print('| format | files | MP | ImageIO ms | full ms | default ms | libvips ms | full/libvips | default/libvips | worst ms/MP ImageIO | full | default | libvips |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for g in sorted(agg):
    a, w = agg[g], worst[g]
    print(f"| {g} | {int(a['n'])} | {a['mp']:.0f} | {a['java']:.0f} | {a['native']:.0f} | {a['reduced']:.0f} | {a['vips']:.0f} | "
          f"{a['native']/a['vips']:.2f} | {a['reduced']/a['vips']:.2f} | {w['java']:.0f} | {w['native']:.0f} | {w['reduced']:.0f} | {w['vips']:.0f} |")
t = {c: sum(a[c] for a in agg.values()) for c in ('java', 'native', 'reduced', 'vips')}
print(f"| all | {sum(int(a['n']) for a in agg.values())} | {sum(a['mp'] for a in agg.values()):.0f} | {t['java']:.0f} | {t['native']:.0f} | {t['reduced']:.0f} | {t['vips']:.0f} | {t['native']/t['vips']:.2f} | {t['reduced']/t['vips']:.2f} | | | | |")
PY
