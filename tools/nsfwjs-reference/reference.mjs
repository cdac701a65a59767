// Runs nsfwjs 4.4.0 itself (its own load() + infer()/classify() path, bundled
// models, tfjs pure-JS "cpu" backend) on every image in fixtures/images/ and
// writes fixtures/expected/nsfwjs-4.4.0.json.
//
// Run by hand (not by CI):  cd tools/nsfwjs-reference && npm ci && node reference.mjs
//
// Decoding: sharp/libvips (mozjpeg = libjpeg-turbo decoder, libpng) to raw 8-bit RGB, alpha
// dropped, no EXIF auto-orientation, embedded ICC profiles ignored, i.e. the
// stored pixels, like tfjs-node's tf.node.decodeImage(buf, 3). The fixtures are
// additionally required to be plain 8-bit RGB PNGs / 3-component YCbCr JPEGs
// without ICC profile or EXIF orientation, so that any faithful decoder
// (ImageIO included) must produce the same bytes; rgbSha256 lets a Java test
// check that.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import dns from "node:dns";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

// ---- Network guard: the bundled models must load without any network access.
const networkAttempts = [];
function denyNetwork(what) {
  return function () {
    networkAttempts.push(what);
    throw new Error(`network access attempted (${what}); the reference must run offline`);
  };
}
globalThis.fetch = denyNetwork("fetch");
net.Socket.prototype.connect = denyNetwork("net.Socket.connect");
dns.lookup = denyNetwork("dns.lookup");

const require = createRequire(import.meta.url);
const tf = await import("@tensorflow/tfjs");
const nsfwjs = await import("nsfwjs");
const sharp = (await import("sharp")).default;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const IMAGES_DIR = path.join(REPO, "fixtures", "images");
const OUT_FILE = path.join(REPO, "fixtures", "expected", "nsfwjs-4.4.0.json");

const LABELS = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"];
const CLASSIFY_CHECKS = 3;
// key in the output -> nsfwjs bundled model name (its own option defaults
// from DEFAULT_MODELS apply: InceptionV3 gets size 299, MobileNetV2Mid type "graph").
const MODELS = [
  ["mobilenet_v2", "MobileNetV2", 224],
  ["inception_v3", "InceptionV3", 299],
  ["mobilenet_v2_mid", "MobileNetV2Mid", 224],
];

function pkgVersion(name) {
  // Resolve the package's own package.json through node's resolution.
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const pj = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pj.name === name) return pj.version;
    } catch {
      /* keep walking up */
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find package.json of ${name}`);
    dir = up;
  }
}

// sharp's prebuilt libvips decodes JPEG with mozjpeg, a libjpeg-turbo fork
// whose decoder is libjpeg-turbo's (islow IDCT, fancy upsampling).
function jpegDecoder() {
  const v = sharp.versions;
  if (v.mozjpeg) return `mozjpeg ${v.mozjpeg} (libjpeg-turbo decoder)`;
  if (v.jpeg) return `libjpeg-turbo ${v.jpeg}`;
  return "JPEG decoder unknown";
}

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

async function decode(file) {
  const bytes = readFileSync(file);
  const input = { autoOrient: false, ignoreIcc: true, failOn: "warning" };
  const meta = await sharp(bytes, input).metadata();
  const problems = [];
  if (meta.format !== "jpeg" && meta.format !== "png") problems.push(`format ${meta.format}`);
  if (meta.channels !== 3) problems.push(`${meta.channels} channels (need RGB, no alpha/gray)`);
  if (meta.depth !== "uchar") problems.push(`depth ${meta.depth}`);
  if (meta.space !== "srgb") problems.push(`colour space ${meta.space}`);
  if (meta.hasProfile || meta.icc) problems.push("embedded ICC profile");
  if (meta.orientation !== undefined && meta.orientation !== 1) problems.push(`EXIF orientation ${meta.orientation}`);
  if (meta.isPalette || meta.paletteBitDepth) problems.push("palette PNG");
  if (meta.bitsPerSample !== undefined && meta.bitsPerSample !== 8) problems.push(`${meta.bitsPerSample} bits per sample`);
  if ((meta.pages ?? 1) !== 1) problems.push(`${meta.pages} pages`);
  if (problems.length) {
    throw new Error(`${path.basename(file)} is not a plain fixture: ${problems.join(", ")}`);
  }
  const { data, info } = await sharp(bytes, input)
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== meta.width || info.height !== meta.height ||
      data.length !== info.width * info.height * 3) {
    throw new Error(`${path.basename(file)}: unexpected raw output ${JSON.stringify(info)}`);
  }
  return { bytes, rgb: data, width: info.width, height: info.height, format: meta.format };
}

function roundTripExact(values) {
  // tfjs returns Float32Array; Number(f32) is exact and JSON prints the
  // shortest decimal that round-trips to that double (hence to the float32).
  return Array.from(values, Number);
}

async function main() {
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}, expected cpu`);

  const names = readdirSync(IMAGES_DIR)
    .filter((n) => /\.(png|jpe?g)$/i.test(n))
    .sort();
  if (names.length === 0) throw new Error(`no images in ${IMAGES_DIR}`);

  const images = {};
  const decoded = {};
  for (const name of names) {
    const d = await decode(path.join(IMAGES_DIR, name));
    decoded[name] = d;
    images[name] = {
      sha256: sha256(d.bytes),
      format: d.format,
      width: d.width,
      height: d.height,
      rgbSha256: sha256(d.rgb),
    };
  }

  const models = {};
  for (const [key, nsfwName, expectedSize] of MODELS) {
    const t0 = Date.now();
    const model = await nsfwjs.load(nsfwName);
    if (model.options.size !== expectedSize) {
      throw new Error(`${nsfwName}: nsfwjs chose size ${model.options.size}, expected ${expectedSize}`);
    }
    const results = {};
    for (const name of names) {
      const d = decoded[name];
      const img = tf.tensor3d(Int32Array.from(d.rgb), [d.height, d.width, 3], "int32");
      // Raw 5-class output in index order, straight from nsfwjs's infer().
      const logits = model.infer(img);
      if (logits.shape.length !== 2 || logits.shape[0] !== 1 || logits.shape[1] !== 5) {
        throw new Error(`${nsfwName}: unexpected output shape ${logits.shape}`);
      }
      const probs = roundTripExact(await logits.data());
      logits.dispose();
      // Cross-check with the public classify() API (sorted, with class names):
      // same label mapping, and a second inference gives bit-identical floats.
      // Only on the first few images, since it doubles the (slow) inference.
      if (names.indexOf(name) < CLASSIFY_CHECKS) {
        const top = await model.classify(img, 5);
        for (const { className, probability } of top) {
          const i = LABELS.indexOf(className);
          if (i < 0 || Math.fround(probs[i]) !== Math.fround(probability)) {
            throw new Error(`${nsfwName} ${name}: classify() disagrees with infer() for ${className}`);
          }
        }
      }
      img.dispose();
      const sum = probs.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-4) throw new Error(`${nsfwName} ${name}: probabilities sum to ${sum}`);
      results[name] = probs;
      const best = probs.indexOf(Math.max(...probs));
      console.log(`${key.padEnd(17)} ${name.padEnd(26)} ${LABELS[best].padEnd(8)} ` +
        probs.map((p) => p.toFixed(4)).join(" "));
    }
    model.dispose();
    models[key] = results;
    console.log(`${key}: ${names.length} images in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  if (networkAttempts.length) throw new Error(`network access attempted: ${networkAttempts}`);

  const generator = [
    `nsfwjs ${pkgVersion("nsfwjs")} (bundled models via load(name), raw infer() output)`,
    `@tensorflow/tfjs ${pkgVersion("@tensorflow/tfjs")} backend ${tf.getBackend()}`,
    `sharp ${pkgVersion("sharp")} (libvips ${sharp.versions.vips}, ${jpegDecoder()}, ` +
      `${sharp.versions.spng ? `libspng ${sharp.versions.spng}` : `libpng ${sharp.versions.png}`}` +
      `; removeAlpha, autoOrient false, ignoreIcc)`,
    `node ${process.version}`,
  ].join("; ");

  const out = {
    generator,
    labels: LABELS,
    inputSizes: Object.fromEntries(MODELS.map(([k, , s]) => [k, s])),
    models,
    images,
  };
  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, format(out));
  console.log(`wrote ${path.relative(REPO, OUT_FILE)}`);
}

// JSON.stringify with 2-space indent, but arrays of scalars (probability
// vectors, labels) on one line. Key order is insertion order, which is fixed
// above (images sorted by file name).
function format(obj) {
  const text = JSON.stringify(obj, null, 2);
  return text.replace(/\[\n\s+((?:-?[\d.e+-]+|"[^"\n]*")(?:,\n\s+(?:-?[\d.e+-]+|"[^"\n]*"))*)\n\s+\]/g,
    (_, inner) => `[${inner.split(/,\n\s+/).join(", ")}]`) + "\n";
}

await main();
