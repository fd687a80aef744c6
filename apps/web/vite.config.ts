// Dashboard build. The production page is served under a strict CSP (no inline scripts, styles
// only from 'self' or with the per-response nonce), so the build must emit nothing inline:
// no module-preload polyfill, no inlined assets.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    // Exact-match aliases mirroring tsconfig.base.json paths (a prefix alias would also
    // rewrite '@haven/crypto/testing', which the app must never bundle).
    alias: [
      { find: /^@haven\/contracts$/, replacement: `${workspace}libs/contracts/src/index.ts` },
      { find: /^@haven\/crypto$/, replacement: `${workspace}libs/crypto/src/index.ts` },
    ],
  },
  build: {
    outDir: `${workspace}dist/apps/web`,
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    rolldownOptions: {
      treeshake: {
        // @haven/contracts holds only zod schemas and constants (no import-time effects), so a
        // contract module nothing uses can be dropped. Without this, importing the barrel puts
        // every feature's schemas in the sign-in route's chunk (the budget is 200 KB gzip).
        moduleSideEffects: (id) => !id.startsWith(`${workspace}libs/contracts/src/`),
      },
    },
  },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    port: 4200,
    strictPort: true,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: { host: '127.0.0.1', port: 4200, strictPort: true },
});
