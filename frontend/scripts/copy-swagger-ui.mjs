// Copies the Swagger UI assets from swagger-ui-dist into the build output
// (<outDir>/swagger-ui/), so the back end's interactive API page
// (/api/v1/docs) never needs a CDN. Run after `vite build`.
// Usage: node scripts/copy-swagger-ui.mjs [outDir]
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', '..', 'platform_core', 'static', 'dist'));
const require = createRequire(import.meta.url);
const srcDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const destDir = join(outDir, 'swagger-ui');

const required = ['swagger-ui-bundle.js', 'swagger-ui.css'];
const optional = ['swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png', 'LICENSE', 'NOTICE'];

if (!existsSync(outDir)) {
  console.error(`copy-swagger-ui: output folder ${outDir} does not exist; run vite build first`);
  process.exit(1);
}
mkdirSync(destDir, { recursive: true });
const copied = [];
for (const name of [...required, ...optional]) {
  const from = join(srcDir, name);
  if (!existsSync(from)) {
    if (required.includes(name)) {
      console.error(`copy-swagger-ui: ${from} is missing`);
      process.exit(1);
    }
    continue;
  }
  copyFileSync(from, join(destDir, name));
  copied.push(name);
}
const { version } = require('swagger-ui-dist/package.json');
console.log(`copy-swagger-ui: swagger-ui-dist ${version} -> ${destDir} (${copied.join(', ')})`);
