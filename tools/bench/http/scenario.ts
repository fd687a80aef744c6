import type pg from 'pg';

/** One HTTP load scenario: the API route under test and, when it has one, the bare baseline. */
export interface HttpScenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** The SQL a bare Fastify + pg handler runs for the baseline, with its parameters. */
  baseline?: { sql: string; params?: unknown[] };
  /** Data the scenario needs, written before the API starts. */
  seed?(db: pg.Client, scale: number): Promise<void>;
  budget?: { p95Ms?: number; minRps?: number; minBaselineShare?: number; maxRssMiB?: number };
}
