/**
 * The dashboard's sign-in route JS, gzip (run by `npm run bench`, or alone:
 * `npx tsx tools/bench/web-bundle.ts`). Builds apps/web with its own Vite config into a
 * temporary directory, with a manifest, and sums the gzipped size of every JS chunk the browser
 * must fetch and run to show and use /sign-in: the entry, the app start module main.tsx always
 * loads, their static imports, and the shell's strings in the starting language. Lazily loaded
 * pages (with the rest of the strings) and the crypto workers are not counted. Budget (DESIGN.md): ≤ 200 KB gzip.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { printSuite } from './crypto-node';
import type { Measurement, MeasurementSuite } from './types';

const workspace = resolve(__dirname, '../..');

interface ManifestChunk {
  file: string;
  src?: string;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * Dynamic imports that every visit of /sign-in performs: the app itself, and the shell's strings
 * of the starting language (English is measured; vite.config.ts's `localeShell`).
 */
const ALWAYS_LOADED = [/\/app\/start\.tsx$/, /haven-locale-shell:.*\/locales\/en\.json\.js$/];

/** The manifest keys of every chunk the sign-in route loads. */
export function signInChunks(manifest: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    for (const next of chunk.imports ?? []) visit(next);
    for (const next of chunk.dynamicImports ?? []) {
      if (ALWAYS_LOADED.some((pattern) => pattern.test(next))) visit(next);
    }
  };
  visit('index.html');
  return [...seen].filter((key) => manifest[key].file.endsWith('.js'));
}

async function run(): Promise<Measurement[]> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'haven-web-bundle-'));
  try {
    await build({
      configFile: join(workspace, 'apps/web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    const manifest = JSON.parse(
      await readFile(join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Record<string, ManifestChunk>;
    const sizes = await Promise.all(
      signInChunks(manifest).map(async (key) => ({
        file: manifest[key].file,
        kb: gzipSync(await readFile(join(outDir, manifest[key].file))).length / 1000,
      })),
    );
    sizes.sort((a, b) => b.kb - a.kb);
    const total = sizes.reduce((sum, s) => sum + s.kb, 0);
    return [
      {
        name: `dashboard sign-in route JS, gzip (${sizes.length} chunks; largest ${sizes
          .slice(0, 3)
          .map((s) => `${s.file.replace(/^assets\//, '')} ${s.kb.toFixed(1)}`)
          .join(', ')})`,
        value: total,
        unit: 'KB',
        budget: { op: '<=', value: 200 },
      },
    ];
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export const webBundleSuite: MeasurementSuite = {
  title: 'Dashboard bundle',
  run,
};

if (process.argv[1]?.endsWith('web-bundle.ts')) {
  printSuite(webBundleSuite).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
