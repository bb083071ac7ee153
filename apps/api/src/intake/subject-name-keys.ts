import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { nameKey, type Subject } from '@vigil/domain';
import { PG_POOL } from '@vigil/platform';

export interface NameToResolve {
  subject: Subject;
  name: string;
  aliases: string[];
}

const slot = (subject: Subject, key: string): string => `${subject}\u0000${key}`;

/**
 * Finds the person or organisation a name belongs to, by normalised key, and claims the keys of the
 * name and its aliases for it (see CreateSubjectNameKeys). A key claimed by another subject stays theirs.
 */
@Injectable()
export class SubjectNameKeys {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * The id each name resolves to: the subject owning the name's key, else the one owning the first
   * matching alias, else a newly claimed id. Concurrent calls for the same new name agree on one id,
   * and so do two names of one batch that share a key. Two round trips, a third only when a race was lost.
   */
  async resolveAll(names: NameToResolve[]): Promise<string[]> {
    const keysOf = names.map(({ name, aliases }) => [...new Set([name, ...aliases].map(nameKey))]);
    const owners = await this.owners(names.flatMap(({ subject }, i) => keysOf[i].map((key) => ({ subject, key }))));
    const claims: { subject: Subject; key: string; id: string }[] = [];
    const minted = new Set<number>();

    const ids = names.map(({ subject }, i) => {
      const known = keysOf[i].map((key) => owners.get(slot(subject, key))).find((id) => id !== undefined);
      const id = known ?? randomUUID();
      if (!known) minted.add(i);
      for (const key of keysOf[i]) {
        if (owners.has(slot(subject, key))) continue;
        owners.set(slot(subject, key), id);
        claims.push({ subject, key, id });
      }
      return id;
    });
    if (!claims.length) return ids;
    const claimed = await this.claim(claims);
    if (!minted.size) return ids;

    // Another report may have claimed a new name between our read and our claim: its id wins.
    const undecided = [...minted].filter((i) => !claimed.has(slot(names[i].subject, keysOf[i][0])));
    const late = undecided.length
      ? await this.owners(undecided.map((i) => ({ subject: names[i].subject, key: keysOf[i][0] })))
      : new Map();
    const replaced = new Map<string, string>();
    for (const i of minted) {
      const key = slot(names[i].subject, keysOf[i][0]);
      const winner = claimed.get(key) ?? late.get(key)!;
      if (winner !== ids[i]) replaced.set(ids[i], winner);
    }
    return ids.map((id) => replaced.get(id) ?? id);
  }

  /** Whether a person or organisation with this id has ever been named (a watch by id must name one). */
  async knows(subject: Subject, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM subject_name_keys WHERE subject = $1 AND subject_id = $2 LIMIT 1',
      [subject, id],
    );
    return (rowCount ?? 0) > 0;
  }

  private async owners(slots: { subject: Subject; key: string }[]): Promise<Map<string, string>> {
    if (!slots.length) return new Map();
    const { rows } = await this.pool.query<{ subject: Subject; key: string; subject_id: string }>({
      name: 'subject-name-key-owners',
      text: `SELECT n.subject, n.key, n.subject_id FROM subject_name_keys n
               JOIN unnest($1::text[], $2::text[]) AS s(subject, key) ON n.subject = s.subject AND n.key = s.key`,
      values: [slots.map((s) => s.subject), slots.map((s) => s.key)],
    });
    return new Map(rows.map((row) => [slot(row.subject, row.key), row.subject_id]));
  }

  /**
   * Claims the keys and returns, in the same round trip, the owner of each: ours where the claim went in,
   * the earlier owner where it was taken. A key claimed by a transaction that committed after this
   * statement began is missing from the answer (the caller reads it again).
   */
  private async claim(claims: { subject: Subject; key: string; id: string }[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ subject: Subject; key: string; subject_id: string }>({
      name: 'subject-name-key-claim',
      text: `WITH claimed AS (
         INSERT INTO subject_name_keys (subject, key, subject_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
         ON CONFLICT (subject, key) DO NOTHING
         RETURNING subject, key, subject_id
       )
       SELECT subject, key, subject_id FROM claimed
       UNION ALL
       SELECT n.subject, n.key, n.subject_id FROM subject_name_keys n
         JOIN unnest($1::text[], $2::text[]) AS c(subject, key) ON n.subject = c.subject AND n.key = c.key`,
      values: [claims.map((c) => c.subject), claims.map((c) => c.key), claims.map((c) => c.id)],
    });
    return new Map(rows.map((row) => [slot(row.subject, row.key), row.subject_id]));
  }
}
