import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Responses per HTTP status. */
  statuses: Record<number, number>;
  /** p95 latency of the 2xx responses alone (ms). */
  okP95: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? NaN;
}

/** Drives one URL with autocannon; latencies are collected per response for exact percentiles. */
export async function load(opts: {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** Called for every request (autocannon `requests[0].setupRequest`). */
  setupRequest?: (request: autocannon.Request, context: object) => autocannon.Request;
  /** Called for every response, with the same per-connection context. */
  onResponse?: (status: number, body: string, context: object) => void;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const okLatencies: number[] = [];
  const statuses: Record<number, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        method: opts.method,
        headers: opts.headers,
        body: opts.body,
        connections: opts.connections,
        duration: opts.seconds,
        ...(opts.setupRequest || opts.onResponse
          ? { requests: [{ setupRequest: opts.setupRequest, onResponse: opts.onResponse }] }
          : {}),
      },
      (err, res) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) okLatencies.push(ms);
    });
  });
  latencies.sort((a, b) => a - b);
  okLatencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || opts.seconds),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
    okP95: percentile(okLatencies, 95),
  };
}
