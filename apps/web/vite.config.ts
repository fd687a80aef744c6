// Dashboard build. The production page is served under a strict CSP (no inline scripts, styles
// only from 'self' or with the per-response nonce), so the build must emit nothing inline:
// no module-preload polyfill, no inlined assets.
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { SHELL_SECTIONS } from './src/modules/i18n/utils/shell-sections';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `src/locales/<language>.json?shell`: the language's shell sections only (see
 * src/modules/i18n/utils/shell-sections.ts), so the sign-in route does not load every page's
 * strings. The locale files stay whole; this only picks from them.
 */
function localeShell(): Plugin {
  const prefix = '\0haven-locale-shell:';
  return {
    name: 'haven-locale-shell',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.json?shell')) return null;
      const resolved = await this.resolve(source.slice(0, -'?shell'.length), importer);
      return resolved ? `${prefix}${resolved.id}.js` : null;
    },
    async load(id) {
      if (!id.startsWith(prefix)) return null;
      const file = id.slice(prefix.length, -'.js'.length);
      this.addWatchFile(file);
      const all = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      const shell = Object.fromEntries(SHELL_SECTIONS.map((section) => [section, all[section]]));
      return `export default ${JSON.stringify(shell)};\n`;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [localeShell(), react()],
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
        // @haven/contracts holds only zod schemas and constants; its one import-time effect is
        // registering schema metadata in zod's global registry for the OpenAPI document, which
        // the dashboard never reads. So a contract module nothing here uses can be dropped.
        // Without this, importing the barrel puts every feature's schemas in the sign-in
        // route's chunk (the budget is 200 KB gzip).
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
