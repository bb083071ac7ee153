import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on a client of its own: COMMIT when it returns, ROLLBACK when it throws.
 * The error `work` threw is the one that surfaces, even when the ROLLBACK fails too; a client whose ROLLBACK
 * failed (its connection broke, say) is destroyed rather than handed back to the pool in an unknown state.
 * This is the only place in Vigil that writes BEGIN, COMMIT or ROLLBACK.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
