import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createAddressHasher, keyedHash, normaliseUsername } from '@haven/crypto';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';
import { ServerKeys } from './server-keys';

/** Failures before delays start, then 2^(n-3) s, capped. */
export const FREE_FAILURES = 3;
export const MAX_DELAY_SECONDS = 15 * 60;
/** Hard cap per account per rolling hour. */
export const MAX_FAILURES_PER_HOUR = 100;
/** Per client address (hashed, in memory): failures per window. */
export const ADDRESS_MAX_FAILURES = 50;
export const ADDRESS_WINDOW_MS = 15 * 60 * 1000;
/** Bound on remembered addresses; the oldest are forgotten first. */
const ADDRESS_MAX_ENTRIES = 50_000;

/** Delay after the n-th consecutive failure: none for the first three, then 2, 4, 8 … 900 s. */
export function delayAfter(consecutiveFailures: number): number {
  if (consecutiveFailures <= FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

interface ThrottleRow {
  consecutive_failures: number;
  wait_delay: number;
  hour_count: number;
  wait_hour: number;
}

/**
 * Sign-in throttling, two ways (docs/accounts.md):
 *
 * - **Per account**, in PostgreSQL so every API process agrees: a row per keyed hash of the
 *   normalised username, so unknown usernames are throttled exactly like real ones (throttling
 *   does not reveal which accounts exist) and the table names nobody.
 * - **Per client address**, in this process's memory only: the address is replaced by a keyed
 *   BLAKE2b under a random key rotated at UTC midnight, and never stored or logged.
 */
@Injectable()
export class ThrottleService {
  private readonly addressHasher = createAddressHasher();
  private addressDay = Number.NaN;
  private readonly addressFailures = new Map<string, number[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ServerKeys,
  ) {}

  /** The account's throttling key: keyed BLAKE2b-256 of the normalised username. */
  subjectOf(username: string): Buffer {
    let name: string;
    try {
      name = normaliseUsername(username);
    } catch {
      name = username;
    }
    return Buffer.from(keyedHash(this.keys.throttle, 'haven/login-throttle/v1', name));
  }

  /** Seconds until the account may try again, or 0. */
  async accountWait(subject: Buffer): Promise<number> {
    const rows = await sql<ThrottleRow>(
      this.dataSource,
      `SELECT consecutive_failures,
              extract(epoch FROM last_failure_at - now())::float8 AS wait_delay,
              (SELECT count(*)::int FROM unnest(recent_failures) t
                WHERE t > now() - interval '1 hour') AS hour_count,
              coalesce(extract(epoch FROM
                (SELECT min(t) FROM unnest(recent_failures) t
                  WHERE t > now() - interval '1 hour') + interval '1 hour' - now()), 0)::float8
                AS wait_hour
         FROM login_throttle WHERE subject = $1`,
      [subject],
    );
    const row = rows[0];
    if (!row) return 0;
    const delayWait = row.wait_delay + delayAfter(row.consecutive_failures);
    const hourWait = row.hour_count >= MAX_FAILURES_PER_HOUR ? row.wait_hour : 0;
    return Math.max(0, delayWait, hourWait);
  }

  async recordFailure(subject: Buffer): Promise<void> {
    await sql(
      this.dataSource,
      `INSERT INTO login_throttle AS t (subject, consecutive_failures, last_failure_at, recent_failures)
       VALUES ($1, 1, now(), ARRAY[now()])
       ON CONFLICT (subject) DO UPDATE SET
         consecutive_failures = t.consecutive_failures + 1,
         last_failure_at = now(),
         recent_failures = coalesce(
           (SELECT array_agg(f ORDER BY f) FROM (
              SELECT f FROM unnest(t.recent_failures) f
               WHERE f > now() - interval '1 hour'
               ORDER BY f DESC LIMIT $2) kept),
           '{}') || now()`,
      [subject, MAX_FAILURES_PER_HOUR - 1],
    );
    // Rows idle for an hour carry nothing that still matters.
    await sql(
      this.dataSource,
      `DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 hour'`,
    );
  }

  /** A success ends the run of consecutive failures (the hourly count stays). */
  async recordSuccess(subject: Buffer): Promise<void> {
    await sql(
      this.dataSource,
      'UPDATE login_throttle SET consecutive_failures = 0 WHERE subject = $1 AND consecutive_failures > 0',
      [subject],
    );
  }

  /** Seconds until this address may try again, or 0. */
  addressWait(address: string, now = Date.now()): number {
    const recent = this.recentFailures(address, now);
    if (recent.length < ADDRESS_MAX_FAILURES) return 0;
    return Math.ceil((recent[0] + ADDRESS_WINDOW_MS - now) / 1000);
  }

  addressFailure(address: string, now = Date.now()): void {
    const key = this.addressKey(address);
    const recent = this.recentFailures(address, now);
    recent.push(now);
    this.addressFailures.delete(key);
    this.addressFailures.set(key, recent.slice(-ADDRESS_MAX_FAILURES));
    if (this.addressFailures.size > ADDRESS_MAX_ENTRIES) {
      const oldest = this.addressFailures.keys().next().value;
      if (oldest !== undefined) this.addressFailures.delete(oldest);
    }
  }

  private recentFailures(address: string, now: number): number[] {
    const list = this.addressFailures.get(this.addressKey(address)) ?? [];
    return list.filter((t) => t > now - ADDRESS_WINDOW_MS);
  }

  /** The hashed address; the map is emptied when the day (and so the key) changes. */
  private addressKey(address: string): string {
    const day = this.addressHasher.day();
    if (day !== this.addressDay) {
      this.addressFailures.clear();
      this.addressDay = day;
    }
    return this.addressHasher.hash(address || 'unknown');
  }
}
