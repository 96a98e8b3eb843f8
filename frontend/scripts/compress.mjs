// Writes file.br (brotli, quality 11) and file.gz (gzip, level 9) beside every text file of the build,
// once at build time, so the server sends whichever the browser accepts without compressing per
// request (platform_core/web.py chooses by Accept-Encoding). Node's own zlib does both; a variant
// is kept only when it is smaller than the file.
//
//   node scripts/compress.mjs        # after `vite build` (npm run build runs it)
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../../platform_core/static/dist/', import.meta.url));
const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.xml', '.wasm']);
const MIN_BYTES = 256; // below this the headers outweigh what compression saves

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.vite') yield* files(path);
    } else if (TEXT.has(extname(entry.name))) {
      yield path;
    }
  }
}

let plain = 0;
let br = 0;
let gz = 0;
let count = 0;
for (const path of files(dist)) {
  const data = readFileSync(path);
  for (const suffix of ['.br', '.gz']) {
    try {
      unlinkSync(path + suffix); // a stale variant of an earlier build must never be served
    } catch {
      // none
    }
  }
  if (data.length < MIN_BYTES) continue;
  const variants = {
    '.br': brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    '.gz': gzipSync(data, { level: 9 }),
  };
  count += 1;
  plain += data.length;
  for (const [suffix, bytes] of Object.entries(variants)) {
    if (bytes.length < data.length) writeFileSync(path + suffix, bytes);
    if (suffix === '.br') br += Math.min(bytes.length, data.length);
    else gz += Math.min(bytes.length, data.length);
  }
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `compress: ${count} files under ${relative(process.cwd(), dist) || '.'}: ${kb(plain)} -> brotli ${kb(br)}, gzip ${kb(gz)}`,
);
