// libvips' side of tools/bench/decode-table.sh: decode time per image through sharp, one thread,
// full resolution, first frame, to raw pixels. Best of ROUNDS (default 3) after one warm-up pass.
//   node tools/bench/decode-sharp.mjs DIR [ROUNDS]     (sharp from tools/nsfwjs-bench/node_modules)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../nsfwjs-bench/package.json', import.meta.url));
const sharp = require('sharp');
sharp.concurrency(1);
sharp.cache(false);
const dir = process.argv[2];
const rounds = Number(process.argv[3] ?? 3);
const files = readdirSync(dir).filter(f => f !== 'SOURCES').sort();
const decode = buf => sharp(buf, { limitInputPixels: false }).raw().toBuffer();
for (const f of files) await decode(readFileSync(join(dir, f))).catch(() => {});
console.log('file\tvipsMs');
for (const f of files) {
  const buf = readFileSync(join(dir, f));
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    try { await decode(buf); } catch { best = NaN; break; }
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`${f}\t${best.toFixed(1)}`);
}
