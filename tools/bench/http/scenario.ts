import type autocannon from 'autocannon';
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
  /**
   * Rewrites each request before it is sent (autocannon's `setupRequest`), e.g. for a fresh
   * Idempotency-Key per request. Applies to the API and to the baseline alike.
   */
  setupRequest?: (request: autocannon.Request, context: object) => autocannon.Request;
  /** Sees every response with the same per-connection context (autocannon's `onResponse`). */
  onResponse?: (status: number, body: string, context: object) => void;
  /**
   * Statuses that are the designed outcome (e.g. 200 and deliberate 503 shedding for sign-in);
   * any other counts as an error. Without it, every non-2xx does.
   */
  expectStatus?: number[];
  /** Extra environment for the API process (merged over the defaults for every scenario). */
  apiEnv?: Record<string, string>;
  budget?: {
    p95Ms?: number;
    /** p95 of the 2xx answers only (where shed requests would flatter the overall p95). */
    okP95Ms?: number;
    minRps?: number;
    minBaselineShare?: number;
    maxRssMiB?: number;
  };
}
