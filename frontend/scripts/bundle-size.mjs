// Prints the gzipped size of what the browser downloads on a first visit to a page: the app's
// entry (index.html's script and CSS) and the page's lazy route chunk, each with every chunk it
// imports statically, read from the Vite manifest of the last build.
//
//   node scripts/bundle-size.mjs                       # the portal's first load (the default)
//   node scripts/bundle-size.mjs src/pages/TicketPage.tsx
//   node scripts/bundle-size.mjs --max-kb 400          # exit 1 when the portal exceeds 400 KB
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../../platform_core/static/dist/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8'));
const args = process.argv.slice(2);
const maxIndex = args.indexOf('--max-kb');
const maxKb = maxIndex >= 0 ? Number(args[maxIndex + 1]) : null;
const routes = args.filter((arg, i) => !arg.startsWith('--') && (maxIndex < 0 || i !== maxIndex + 1));
if (!routes.length) routes.push('src/pages/portal/PortalHome.tsx');

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the manifest; build first (npm run build)`);
  seen.add(key);
  for (const child of chunk.imports ?? []) closure(child, seen);
  return seen;
}

const gz = (file) => gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;
let failed = false;
for (const route of routes) {
  const keys = closure('index.html');
  closure(route, keys);
  const files = new Set();
  for (const key of keys) {
    files.add(manifest[key].file);
    for (const css of manifest[key].css ?? []) files.add(css);
  }
  const rows = [...files].map((file) => [file, gz(file)]).sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, size]) => sum + size, 0);
  console.log(`First load of ${route} (entry + route, static imports), gzipped:`);
  for (const [file, size] of rows) console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
  console.log(`  ${(total / 1024).toFixed(1).padStart(7)} KB  total`);
  if (maxKb !== null && total / 1024 > maxKb) {
    console.log(`  over the ${maxKb} KB budget`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
