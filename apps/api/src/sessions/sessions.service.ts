import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  SESSION_IDLE_MINUTES,
  SESSION_MAX_HOURS,
  type SessionSummary,
  type StaffRole,
} from '@haven/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { sql } from '../database/sql';
import { hashSessionToken, newSessionToken } from './session-token';

/** Sessions are touched at most this often, so an active user costs one write a minute. */
const TOUCH_AFTER_SECONDS = 60;

export type SessionState =
  { kind: 'none' } | { kind: 'active' | 'locked'; caller: Caller; expiresAt: Date };

interface SessionRow {
  id: string;
  user_id: string;
  role: StaffRole;
  status: 'active' | 'disabled';
  expires_at: Date;
  expired: boolean;
  idle: boolean;
  stale: boolean;
  locked_out: boolean;
}

interface ListedRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

/**
 * Server-side sessions. The browser holds a random token in an httpOnly cookie; the table
 * holds its SHA-256, the user, and three times: created, last seen (for the 15-minute idle
 * timeout) and the absolute 12-hour limit.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Starts a session for `userId` inside the caller's transaction; returns the cookie token. */
  async create(manager: EntityManager, userId: string): Promise<{ id: string; token: string }> {
    const token = newSessionToken();
    // Expired sessions of anyone go as new ones come (the index makes this cheap).
    await sql(manager, 'DELETE FROM session WHERE expires_at <= now()');
    const rows = await sql<{ id: string }>(
      manager,
      `INSERT INTO session (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(hours => $3))
       RETURNING id`,
      [hashSessionToken(token), userId, SESSION_MAX_HOURS],
    );
    return { id: rows[0].id, token };
  }

  /**
   * Resolves a cookie token. Unknown or expired → none (an expired row is deleted). A session
   * whose user has been disabled is deleted and audited (disabling ends sessions at once, so
   * this only happens in a race). Past the idle timeout → locked; the session is not touched,
   * so only unlock can revive it. During emergency lockdown a non-admin's session is deleted.
   * `touch: false` (routes a locked session may use) leaves the idle clock where it is.
   */
  async authenticate(
    token: string,
    options: { touch: boolean } = { touch: true },
  ): Promise<SessionState> {
    const rows = await sql<SessionRow>(
      this.dataSource,
      `SELECT s.id, s.user_id, u.role, u.status, s.expires_at,
              (u.role <> 'admin' AND l.since_on IS NOT NULL) AS locked_out,
              now() >= s.expires_at AS expired,
              now() - s.last_seen_at >= make_interval(mins => $2) AS idle,
              now() - s.last_seen_at >= make_interval(secs => $3) AS stale
         FROM session s JOIN app_user u ON u.id = s.user_id
         LEFT JOIN lockdown_state l ON l.id
        WHERE s.token_hash = $1`,
      [hashSessionToken(token), SESSION_IDLE_MINUTES, TOUCH_AFTER_SECONDS],
    );
    const row = rows[0];
    if (!row) return { kind: 'none' };
    if (row.expired) {
      await sql(this.dataSource, 'DELETE FROM session WHERE id = $1', [row.id]);
      return { kind: 'none' };
    }
    // Lockdown deletes every session at once; one started in a race with it ends here.
    if (row.locked_out) {
      await sql(this.dataSource, 'DELETE FROM session WHERE id = $1', [row.id]);
      return { kind: 'none' };
    }
    if (row.status !== 'active') {
      await this.dataSource.transaction(async (manager) => {
        await sql(manager, 'DELETE FROM session WHERE id = $1', [row.id]);
        await this.audit.record(manager, {
          actor: { id: row.user_id, role: row.role },
          action: 'auth.session',
          target: row.user_id,
          outcome: 'denied:disabled',
        });
      });
      return { kind: 'none' };
    }
    const caller: Caller = {
      userId: row.user_id,
      role: row.role,
      sessionId: row.id,
      locked: row.idle,
    };
    if (row.idle) return { kind: 'locked', caller, expiresAt: row.expires_at };
    if (row.stale && options.touch) {
      await sql(this.dataSource, 'UPDATE session SET last_seen_at = now() WHERE id = $1', [row.id]);
    }
    return { kind: 'active', caller, expiresAt: row.expires_at };
  }

  /** After a successful unlock: the idle clock starts again (the absolute limit does not move). */
  async revive(manager: EntityManager, sessionId: string): Promise<void> {
    await sql(
      manager,
      'UPDATE session SET last_seen_at = now() WHERE id = $1 AND expires_at > now()',
      [sessionId],
    );
  }

  async expiresAt(sessionId: string): Promise<Date | null> {
    const rows = await sql<{ expires_at: Date }>(
      this.dataSource,
      'SELECT expires_at FROM session WHERE id = $1',
      [sessionId],
    );
    return rows[0]?.expires_at ?? null;
  }

  async list(caller: Caller): Promise<SessionSummary[]> {
    const rows = await sql<ListedRow>(
      this.dataSource,
      `SELECT id, created_at, last_seen_at, expires_at FROM session
        WHERE user_id = $1 AND expires_at > now()
        ORDER BY created_at DESC`,
      [caller.userId],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      current: r.id === caller.sessionId,
    }));
  }

  /** Ends one of the caller's own sessions; false when there is no such session of theirs. */
  async end(caller: Caller, sessionId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await sql<unknown>(
        manager,
        'DELETE FROM session WHERE id = $1 AND user_id = $2 RETURNING id',
        [sessionId, caller.userId],
      );
      if (rows.length === 0) return false;
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: sessionId === caller.sessionId ? 'auth.logout' : 'session.revoke',
        target: caller.userId,
        outcome: 'ok',
      });
      return true;
    });
  }

  /** Sign out everywhere: every session of the caller, this one included. */
  async endAll(caller: Caller): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.endAllForUser(manager, caller.userId);
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: 'session.revoke_all',
        target: caller.userId,
        outcome: 'ok',
      });
    });
  }

  /** Ends every session of a user (disable, role change), inside the caller's transaction. */
  async endAllForUser(
    manager: EntityManager,
    userId: string,
    exceptSessionId?: string,
  ): Promise<number> {
    const rows = await sql<unknown>(
      manager,
      exceptSessionId
        ? 'DELETE FROM session WHERE user_id = $1 AND id <> $2 RETURNING id'
        : 'DELETE FROM session WHERE user_id = $1 RETURNING id',
      exceptSessionId ? [userId, exceptSessionId] : [userId],
    );
    return rows.length;
  }
}
