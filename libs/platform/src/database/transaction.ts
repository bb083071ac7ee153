import type { Pool, PoolClient } from 'pg';
import { isDependencyUnavailable } from '../errors/dependency-unavailable';

/**
 * Runs `work` in one transaction on a client of its own: COMMIT when it returns, ROLLBACK when it throws.
 * The error `work` threw is the one that surfaces, even when the ROLLBACK fails too; a client whose ROLLBACK
 * failed (its connection broke, say) is destroyed rather than handed back to the pool in an unknown state.
 * When the database itself is unreachable or timing out there is no ROLLBACK to wait for: the client is
 * destroyed at once, and PostgreSQL rolls back the transaction of a connection that ends.
 * This is the only place in Vigil that writes BEGIN, COMMIT or ROLLBACK.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies between two statements makes the client emit 'error' with no query to fail;
  // unheard, that would end the process. Heard, it marks the client broken and the next statement fails.
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isDependencyUnavailable(error)) broken = error as Error;
    else {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
