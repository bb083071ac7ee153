import type { Pool, PoolClient } from 'pg';

/** What the work on a checked-out client may say about it. */
export interface ClientLease {
  /** The connection is not fit for the next user: it is destroyed instead of going back to the pool. */
  markBroken(error: Error): void;
}

/**
 * Checks a client out of the pool for `work` and always gives it back. A connection that dies while it is
 * checked out makes the client emit 'error', with no query to fail when it happens between two statements;
 * unheard, that ends the process. Heard here, it marks the client broken. A broken client is destroyed on
 * release rather than handed to the next user in an unknown state.
 */
export async function withClient<T>(
  pool: Pool,
  work: (client: PoolClient, lease: ClientLease) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const markBroken = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', markBroken);
  try {
    return await work(client, { markBroken });
  } finally {
    client.off('error', markBroken);
    client.release(broken);
  }
}
