/**
 * Must be the first import of main.tsx. Zod 4 compiles object parsers with `new Function` when
 * it can, and probes for that ability when each object schema is created; under our CSP
 * (no 'unsafe-eval') the probe fails and is reported as a CSP violation even though Zod
 * recovers. Jitless mode skips the probe; the schemas in @haven/contracts are created at import
 * time, so this has to run before anything imports them.
 */
import { config } from 'zod';

config({ jitless: true });
