import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Flask app (platform_core) serves this folder: /assets/* and the other
// files as they are, and index.html for every client-side route.
const outDir = fileURLToPath(new URL('../platform_core/static/dist', import.meta.url));
const backend = process.env.GONGDAN_BACKEND ?? 'http://127.0.0.1:5000';

interface ChunkInfo {
  name: string;
  isDynamicEntry: boolean;
  moduleIds: readonly string[];
}

/**
 * Shared chunks are named after one of their modules; when that module is a
 * small app file but the chunk is mostly libraries (antd, react), call it
 * "vendor" so the file names tell what they hold. Route chunks keep their
 * page names (UsersPage-<hash>.js, ...).
 */
function chunkFileName(chunk: ChunkInfo): string {
  if (!chunk.isDynamicEntry && chunk.moduleIds.length) {
    const libs = chunk.moduleIds.filter((id) => id.includes('/node_modules/')).length;
    const namedAfterAppFile = chunk.moduleIds.some(
      (id) => !id.includes('/node_modules/') && /[\\/]src[\\/]/.test(id) && id.replace(/\.[^./\\]+$/, '').endsWith(`/${chunk.name}`),
    );
    if (namedAfterAppFile && libs * 2 > chunk.moduleIds.length) return 'assets/vendor-[hash].js';
  }
  return 'assets/[name]-[hash].js';
}

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    // react-jsonschema-form imports lodash-es while its json-schema-merge-allof requires lodash:
    // one copy of lodash instead of two keeps about 10 KB (gzipped) off every form page.
    alias: [{ find: /^lodash-es\/(.*)$/, replacement: 'lodash/$1' }],
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // .vite/manifest.json: which chunks each entry and route loads (scripts/bundle-size.mjs reads it).
    manifest: true,
    rolldownOptions: {
      output: {
        chunkFileNames: chunkFileName,
        // Every module the entry imports statically is loaded on every page anyway: one file for all of
        // them. Left to automatic splitting, how many files the shell became depended on the rest of the
        // route graph (the designer's flow page becoming tabs split it into 7, +1.8 KB gzipped on every
        // portal page); as one file the portal's first loads are about 7 KB smaller than before.
        codeSplitting: { groups: [{ name: 'shell', tags: ['$initial'] }] },
      },
    },
    // antd is one large vendor chunk; the admin pages are split per route.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
