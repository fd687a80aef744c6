/** `npm run openapi`: rewrites apps/api/openapi.json from the route registry. */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openApiJson } from './document';

const target = join(__dirname, '..', '..', 'openapi.json');
writeFileSync(target, openApiJson());
process.stdout.write(`wrote ${relative(process.cwd(), target)}\n`);
