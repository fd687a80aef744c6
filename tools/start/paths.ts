import { join, resolve } from 'node:path';

/** Where the build puts what `npm start`, the benchmark and the browser tests run. */
export const workspaceRoot = resolve(__dirname, '../..');
export const API_ENTRY = join(workspaceRoot, 'dist/apps/api/apps/api/src/main.js');
export const WEB_DIST = join(workspaceRoot, 'dist/apps/web');
export const INTAKE_DIST = join(workspaceRoot, 'dist/apps/intake');
