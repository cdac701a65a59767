#!/bin/sh
# keshikaran against nsfwjs 4.4.0 (tfjs-backend-wasm, its fastest backend that installs here), side by
# side on the same folder, in the same run, on this machine. Run by hand, not by CI.
#
#   tools/bench/make-bench-images.sh          # once: tools/bench/out/folder (210 real images)
#   (cd tools/nsfwjs-bench && npm ci)         # once
#   mvn -q -o install -DskipTests -pl keshikaran-bom,keshikaran-api,keshikaran-models-onnx,keshikaran-models-torchscript,keshikaran-djl
#   mvn -q -o package -DskipTests -pl keshikaran-cli,keshikaran-benchmarks
#   tools/bench/compare.sh [FOLDER] [MODELS]  # MODELS: "mobilenet_v2 inception_v3" (default)
#
# For each model, both tools measure in one process (FolderBench / bench.mjs):
#   model ms    warm latency of the model alone on one input already at the model's size;
#   image ms    warm latency from decoded pixels (resize + model), decode excluded, mean over fixtures/images;
#   folder/s    every file in FOLDER read, decoded and classified, images per second, wall clock;
# then the whole run as a user meets it, as processes timed by GNU time (start, model load and exit
# included; peak RSS): the keshikaran CLI with the same model and work (`--model M --max-frames 1`)
# against `node bench.mjs --folder-only` (nsfwjs decoding with sharp, first frame of animations), and
# once the CLI with all defaults. The 1-minute load average is printed before and after: the machine is shared.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
folder=${1:-$here/out/folder}
models=${2:-mobilenet_v2 inception_v3}
latency=$repo/fixtures/images
jar=$repo/keshikaran-benchmarks/target/benchmarks.jar
cli=$repo/keshikaran-cli/target/keshikaran
bench=$repo/tools/nsfwjs-bench/bench.mjs
out=$here/out/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

for f in "$jar" "$cli" "$repo/tools/nsfwjs-bench/node_modules/nsfwjs/package.json"; do
  [ -e "$f" ] || { echo "compare.sh: missing $f (see the build steps at the top of this script)" >&2; exit 1; }
done
[ -d "$folder" ] || { echo "compare.sh: no folder $folder (run tools/bench/make-bench-images.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time is missing: apt-get install -y time" >&2; exit 1; }

echo "folder: $folder ($(find "$folder" -type f | wc -l) files); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for model in $models; do
  case $model in
    mobilenet_v2) nsfw=MobileNetV2 ;;
    inception_v3) nsfw=InceptionV3 ;;
    *) echo "compare.sh: unknown model $model" >&2; exit 2 ;;
  esac
  echo "[$model] keshikaran FolderBench (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  java -cp "$jar" io.keshikaran.benchmarks.FolderBench --folder "$folder" --model "$model" \
    --latency-images "$latency" --json > "$out/keshikaran-$model.json"
  echo "[$model] nsfwjs $nsfw (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  node "$bench" --folder "$folder" --model "$nsfw" --latency-images "$latency" --json 2>/dev/null \
    | tail -n 1 > "$out/nsfwjs-$model.json"
  echo "[$model] keshikaran CLI, whole run (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  /usr/bin/time -f '{"wallSeconds": %e, "maxRssKiB": %M}' -o "$out/cli-$model.json" \
    "$cli" --model "$model" --max-frames 1 --progress never "$folder" > "$out/cli-$model.txt"
  echo "[$model] nsfwjs, whole run (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  /usr/bin/time -f '{"wallSeconds": %e, "maxRssKiB": %M}' -o "$out/nsfwjs-run-$model.json" \
    node "$bench" --folder "$folder" --model "$nsfw" --folder-only --json > "$out/nsfwjs-run-$model.txt" 2>/dev/null
done
echo "keshikaran CLI, defaults (load $(cut -d' ' -f1 /proc/loadavg))" >&2
/usr/bin/time -f '{"wallSeconds": %e, "maxRssKiB": %M}' -o "$out/cli-defaults.json" \
  "$cli" --progress never "$folder" > "$out/cli-defaults.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

node - "$out" $models <<'JS'
const fs = require("fs");
const [dir, ...models] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
const rows = [];
for (const m of models) {
  const k = read(`keshikaran-${m}.json`), n = read(`nsfwjs-${m}.json`), c = read(`cli-${m}.json`);
  const r = read(`nsfwjs-run-${m}.json`);
  const files = k.folderFiles;
  rows.push([m, "model ms (warm, no decode)", k.modelMs, n.modelMs, (n.modelMs / k.modelMs).toFixed(1) + "x"]);
  rows.push([m, "image ms (warm, resize+model)", k.imageMs, n.imageMs, (n.imageMs / k.imageMs).toFixed(1) + "x"]);
  rows.push([m, `folder images/s (${files} files, decode incl.)`, k.folderImagesPerSecond, n.folderImagesPerSecond,
    (k.folderImagesPerSecond / n.folderImagesPerSecond).toFixed(1) + "x"]);
  rows.push([m, "  keshikaran one file at a time, 1 thread", k.sequentialImagesPerSecond, "", ""]);
  rows.push([m, "model load ms", k.loadMs, n.loadMs, ""]);
  rows.push([m, "mean score over the folder", k.meanScore, n.meanScore, ""]);
  rows.push([m, `whole run s (${files} files, CLI --max-frames 1 / node)`, c.wallSeconds, r.wallSeconds,
    (r.wallSeconds / c.wallSeconds).toFixed(1) + "x"]);
  rows.push([m, "whole run peak RSS MiB", Math.round(c.maxRssKiB / 1024), Math.round(r.maxRssKiB / 1024), ""]);
}
const d = read("cli-defaults.json");
rows.push(["defaults", "keshikaran CLI, all defaults, s", d.wallSeconds, "", ""]);
rows.push(["defaults", "keshikaran CLI, all defaults, peak RSS MiB", Math.round(d.maxRssKiB / 1024), "", ""]);
const head = ["model", "measure", "keshikaran", "nsfwjs-wasm", "ratio"];
const all = [head, ...rows].map((r) => r.map(String));
const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
const line = (r) => "| " + r.map((c, i) => c.padEnd(w[i])).join(" | ") + " |";
console.log(line(head));
console.log("|" + w.map((x) => "-".repeat(x + 2)).join("|") + "|");
rows.forEach((r) => console.log(line(r.map(String))));
console.log(`\nkeshikaran: ${read(`keshikaran-${models[0]}.json`).versions}; ${read(`keshikaran-${models[0]}.json`).batchOptions}`);
console.log(`nsfwjs:     ${read(`nsfwjs-${models[0]}.json`).versions}`);
console.log(`raw results: ${dir}`);
JS
