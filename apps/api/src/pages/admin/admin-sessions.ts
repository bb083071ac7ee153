import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';

/** A console session lasts 12 hours from sign-in, however busy (docs/api.md, "Admin console"). */
export const SESSION_HOURS = 12;
export const SESSION_SECONDS = SESSION_HOURS * 3600;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (id: string): Buffer => createHash('sha256').update(id).digest();

/**
 * The one home of the admin_sessions table (docs/decisions/0020-admin-console-sessions.md). A session id is 32
 * random bytes that only the admin's browser holds; the table keeps its SHA-256, so whoever reads the database
 * cannot sign in with it. Stored, not signed: signing out ends the session everywhere at once.
 */
@Injectable()
export class AdminSessions {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** A new session id; sessions that ended are swept at the same time (there are few). */
  async start(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.pool.query(`DELETE FROM admin_sessions WHERE expires_at <= now()`);
    await this.pool.query(
      `INSERT INTO admin_sessions (id_hash, expires_at) VALUES ($1, now() + make_interval(hours => $2))`,
      [hashOf(id), SESSION_HOURS],
    );
    return id;
  }

  /** Whether `id` is a session that has not ended. */
  async isLive(id: string | undefined): Promise<boolean> {
    if (!id || !SESSION_ID.test(id)) return false;
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM admin_sessions WHERE id_hash = $1 AND expires_at > now()`,
      [hashOf(id)],
    );
    return rowCount === 1;
  }

  async end(id: string | undefined): Promise<void> {
    if (!id || !SESSION_ID.test(id)) return;
    await this.pool.query(`DELETE FROM admin_sessions WHERE id_hash = $1`, [hashOf(id)]);
  }
}
