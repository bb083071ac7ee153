import type { Pool, PoolClient } from 'pg';
import { isDependencyUnavailable } from '../errors/dependency-unavailable';
import { withClient } from './with-client';

/**
 * Runs `work` in one transaction on a client of its own: COMMIT when it returns, ROLLBACK when it throws.
 * The error `work` threw is the one that surfaces, even when the ROLLBACK fails too; a client whose ROLLBACK
 * failed (its connection broke, say) is destroyed rather than handed back to the pool in an unknown state.
 * When the database itself is unreachable or timing out there is no ROLLBACK to wait for: the client is
 * destroyed at once, and PostgreSQL rolls back the transaction of a connection that ends.
 * The client is checked out with withClient, so a connection that dies mid-transaction is handled there.
 * This is the only place in Vigil that writes BEGIN, COMMIT or ROLLBACK.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, lease) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isDependencyUnavailable(error)) lease.markBroken(error as Error);
      else await client.query('ROLLBACK').catch((rollbackError: Error) => lease.markBroken(rollbackError));
      throw error;
    }
  });
}
