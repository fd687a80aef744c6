// Public intake page build. It is served from its own origin under
// `style-src 'self'` and `img-src 'self'` (no nonce, no data: URLs), so the build must emit
// nothing inline: no module-preload polyfill, no inlined assets, CSS in a file.
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
    // Exact-match aliases mirroring tsconfig.base.json paths.
    alias: [
      { find: /^@haven\/contracts$/, replacement: `${workspace}libs/contracts/src/index.ts` },
      { find: /^@haven\/crypto$/, replacement: `${workspace}libs/crypto/src/index.ts` },
    ],
  },
  build: {
    outDir: `${workspace}dist/apps/intake`,
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 4300,
    strictPort: true,
    // Production exposes only the intake endpoints on this origin; development mirrors that.
    proxy: { '/api/intake': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: { host: '127.0.0.1', port: 4300, strictPort: true },
});
