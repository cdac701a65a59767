// Times nsfwjs 4.4.0 on the @tensorflow/tfjs-backend-wasm backend, the comparison point for
// keshikaran's benchmarks (tools/bench/compare.sh). Run by hand, not by CI.
//
//   node bench.mjs --folder DIR --model MobileNetV2|InceptionV3 [--latency-images DIR] [--rounds N] [--json]
//   node bench.mjs --folder DIR --model MobileNetV2 --folder-only    # the whole-run counterpart of the
//                  keshikaran CLI: start, load, then only the folder pass (what compare.sh times as a process)
//
// Measures, in one process:
//   modelMs      warm latency of nsfwjs's infer() on an input already at the model's size (no
//                resize): the model alone. Median of --rounds calls.
//   imageMs      warm latency of infer() on each decoded latency image (cast, /255, resizeBilinear,
//                model), excluding decoding. Mean over the images of each image's median.
//   folder       every file in --folder read, decoded by sharp and classified with infer(), as an
//                nsfwjs user on Node would, with the next file's decode (sharp runs on libuv's
//                threads) overlapping the current inference. Files per second, wall clock.
//
// Decoding is sharp's, as in tools/nsfwjs-reference: raw 8-bit RGB, alpha removed.
// Offline: the models are those bundled in the nsfwjs package; fetch, DNS and TCP connects throw.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import dns from "node:dns";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";

function denyNetwork(what) {
  return () => {
    throw new Error(`network access attempted (${what}); the benchmark must run offline`);
  };
}
globalThis.fetch = denyNetwork("fetch");
net.Socket.prototype.connect = denyNetwork("net.Socket.connect");
dns.lookup = denyNetwork("dns.lookup");

const require = createRequire(import.meta.url);
const tf = await import("@tensorflow/tfjs");
const wasm = await import("@tensorflow/tfjs-backend-wasm");
const nsfwjs = await import("nsfwjs");
const sharp = (await import("sharp")).default;

const MODELS = { MobileNetV2: 224, InceptionV3: 299 };
// sharp reads the first frame of an animated GIF or WebP, as keshikaran does with --max-frames 1.
const IMAGE = /\.(png|jpe?g|webp|gif)$/i;

function parseArgs(argv) {
  const args = { rounds: 20, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--folder") args.folder = argv[++i];
    else if (a === "--model") args.model = argv[++i];
    else if (a === "--latency-images") args.latencyImages = argv[++i];
    else if (a === "--rounds") args.rounds = Number(argv[++i]);
    else if (a === "--json") args.json = true;
    else if (a === "--folder-only") args.folderOnly = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.folder || !(args.model in MODELS)) {
    throw new Error("usage: node bench.mjs --folder DIR --model MobileNetV2|InceptionV3 "
      + "[--latency-images DIR] [--rounds N] [--json]");
  }
  args.latencyImages ??= args.folder;
  return args;
}

function listImages(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...listImages(p));
    else if (IMAGE.test(name)) out.push(p);
  }
  return out;
}

async function decode(file) {
  const { data, info } = await sharp(readFileSync(file))
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], "int32");
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeInfer(model, input, rounds) {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const out = model.infer(input);
    out.dataSync();
    times.push(performance.now() - t0);
    out.dispose();
  }
  return times;
}

function pkgVersion(name) {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const pj = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pj.name === name) return pj.version;
    } catch {
      /* keep walking up */
    }
    const up = path.dirname(dir);
    if (up === dir) return "?";
    dir = up;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const size = MODELS[args.model];

  // Node has no wasm threads in tfjs (tfjs#3830), so this is the single-threaded SIMD build.
  const wasmDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist/";
  wasm.setWasmPaths(wasmDir);
  await tf.setBackend("wasm");
  await tf.ready();
  if (tf.getBackend() !== "wasm") throw new Error(`backend is ${tf.getBackend()}, expected wasm`);
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");

  const loadStart = performance.now();
  const model = await nsfwjs.load(args.model);
  const loadMs = performance.now() - loadStart;

  let modelMs = NaN;
  let imageMs = NaN;
  let latencyFiles = [];
  if (!args.folderOnly) {
    // The model alone: an input already at its size skips nsfwjs's resize.
    const square = tf.randomUniform([size, size, 3], 0, 255, "int32", 42);
    timeInfer(model, square, 5);
    modelMs = median(timeInfer(model, square, args.rounds));
    square.dispose();

    // From decoded pixels: nsfwjs's cast, /255 and resize, then the model.
    latencyFiles = listImages(args.latencyImages);
    const perImage = [];
    for (const f of latencyFiles) {
      const img = await decode(f);
      timeInfer(model, img, 2);
      perImage.push(median(timeInfer(model, img, Math.max(3, Math.round(args.rounds / 4)))));
      img.dispose();
    }
    imageMs = perImage.reduce((a, b) => a + b, 0) / perImage.length;
  }

  // Whole folder, decode included.
  const files = listImages(args.folder);
  const t0 = performance.now();
  let next = decode(files[0]);
  let scoreSum = 0;
  for (let i = 0; i < files.length; i++) {
    const img = await next;
    if (i + 1 < files.length) next = decode(files[i + 1]);
    const out = model.infer(img);
    const p = out.dataSync();
    scoreSum += p[1] + p[3] + p[4];
    out.dispose();
    img.dispose();
  }
  const folderSeconds = (performance.now() - t0) / 1000;

  const result = {
    tool: "nsfwjs",
    versions: `nsfwjs ${pkgVersion("nsfwjs")}, @tensorflow/tfjs ${pkgVersion("@tensorflow/tfjs")}, `
      + `tfjs-backend-wasm ${pkgVersion("@tensorflow/tfjs-backend-wasm")} (simd ${simd}, threads ${threads}), `
      + `sharp ${pkgVersion("sharp")}, node ${process.version}`,
    model: args.model,
    loadMs: round(loadMs),
    modelMs: round(modelMs),
    imageMs: round(imageMs),
    latencyImages: latencyFiles.length,
    folderFiles: files.length,
    folderSeconds: round(folderSeconds),
    folderImagesPerSecond: round(files.length / folderSeconds),
    meanScore: round(scoreSum / files.length, 4),
  };
  if (args.json) {
    console.log(JSON.stringify(result));
  } else {
    for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(22)} ${v}`);
  }
  model.dispose();
}

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

await main();
