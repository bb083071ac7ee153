import type { Pool } from 'pg';
import { SecretBox } from './secret-box';

/** A column of sealed values, and how to seal one of its values again. */
export interface SealedColumn {
  table: string;
  /** Names the row: the associated data's source. Need not be unique: the update also matches the old value. */
  rowKey: string;
  column: string;
  /** The associated data a value was sealed with, from its row key; '' when none. */
  associatedData?: (rowKey: string) => string;
  /** Other columns that follow the plaintext (a blind index), set in the same update. */
  derived?: (plaintext: string) => Record<string, unknown>;
}

const BATCH = 500;

/**
 * Seals again with the current key every value of a column the current key did not seal: sealed under
 * SECRETS_KEY_PREVIOUS, in the older v1 format, or still in clear from before sealing existed. Each update
 * matches the old value too, so a value changed meanwhile is left to its writer. Returns how many went.
 * A value no key opens stops the pass with an error: it must be looked at, not skipped forever.
 */
export async function resealColumn(pool: Pool, box: SecretBox, sealed: SealedColumn): Promise<number> {
  const { table, rowKey, column } = sealed;
  let resealed = 0;
  for (;;) {
    const { rows } = await pool.query<{ key: string; value: string }>(
      `SELECT ${rowKey}::text AS key, ${column} AS value FROM ${table}
        WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 LIMIT ${BATCH}`,
      [box.currentSealPattern],
    );
    for (const { key, value } of rows) {
      const associatedData = sealed.associatedData?.(key) ?? '';
      const plaintext = SecretBox.isSealed(value) ? box.open(value, associatedData) : value;
      const derived = Object.entries(sealed.derived?.(plaintext) ?? {});
      await pool.query(
        `UPDATE ${table} SET ${[column, ...derived.map(([name]) => name)].map((name, i) => `${name} = $${i + 3}`).join(', ')}
          WHERE ${rowKey}::text = $1 AND ${column} = $2`,
        [key, value, box.seal(plaintext, associatedData), ...derived.map(([, v]) => v)],
      );
      resealed++;
    }
    if (rows.length < BATCH) return resealed;
  }
}
