import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { nameKey, type Subject } from '@vigil/domain';
import { PG_POOL, WriteBatcher } from '@vigil/platform';
import { slotOf, type NameSlot } from './report-lookup';

/** A name to resolve, by its normalised keys: the name's own first, then its aliases' (see keysOf). */
export interface NameToResolve {
  subject: Subject;
  keys: string[];
}

/** $1, $2: subjects and keys. */
export const NAME_KEY_OWNERS_SQL = `SELECT s.subject, s.key, n.subject_id FROM unnest($1::text[], $2::text[]) AS s(subject, key)
               CROSS JOIN LATERAL (SELECT subject_id FROM subject_name_keys n
                                    WHERE n.subject = s.subject AND n.key = s.key LIMIT 1) n`;

/** $1, $2, $3: subjects, keys and the ids claiming them. */
export const NAME_KEY_CLAIM_SQL = `WITH claimed AS (
         INSERT INTO subject_name_keys (subject, key, subject_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ORDER BY 1, 2
         ON CONFLICT (subject, key) DO NOTHING
         RETURNING subject, key, subject_id
       )
       SELECT subject, key, subject_id FROM claimed
       UNION ALL
       SELECT c.subject, c.key, n.subject_id FROM unnest($1::text[], $2::text[]) AS c(subject, key)
         CROSS JOIN LATERAL (SELECT subject_id FROM subject_name_keys n
                              WHERE n.subject = c.subject AND n.key = c.key LIMIT 1) n`;

interface Claim {
  subject: Subject;
  key: string;
  id: string;
}

/**
 * Finds the person or organisation a name belongs to, by normalised key, and claims the keys of the
 * name and its aliases for it (see CreateSubjectNameKeys). A key claimed by another subject stays theirs.
 */
@Injectable()
export class SubjectNameKeys {
  // Concurrent reports claim together: one statement for all the names of a burst (group commit).
  private readonly claims = new WriteBatcher<Claim[], Map<string, string>>(async (batches) => {
    const owners = await this.claim(batches.flat());
    return batches.map(() => owners);
  });

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The normalised keys of a name and its aliases, the name's own first. */
  static keysOf(name: string, aliases: string[]): string[] {
    return [...new Set([name, ...aliases].map(nameKey))];
  }

  /**
   * The id each name resolves to: the subject owning the name's key, else the one owning the first
   * matching alias, else a newly claimed id. `owners` holds what was read of the names' keys before
   * (see ReportLookups). Concurrent calls for the same new name agree on one id, and so do two names of
   * one batch that share a key. One round trip when a key is unowned, a second only when a race was lost.
   * `minted` holds the new ids that won their claim: subjects with no events yet.
   */
  async resolveAll(
    names: NameToResolve[],
    owners: Map<string, string>,
  ): Promise<{ ids: string[]; minted: Set<string> }> {
    owners = new Map(owners);
    const claims: Claim[] = [];
    const minted = new Set<number>();

    const ids = names.map(({ subject, keys }, i) => {
      const known = keys.map((key) => owners.get(slotOf(subject, key))).find((id) => id !== undefined);
      const id = known ?? randomUUID();
      if (!known) minted.add(i);
      for (const key of keys) {
        if (owners.has(slotOf(subject, key))) continue;
        owners.set(slotOf(subject, key), id);
        claims.push({ subject, key, id });
      }
      return id;
    });
    if (!claims.length) return { ids, minted: new Set() };
    const claimed = await this.claims.submit(claims);
    if (!minted.size) return { ids, minted: new Set() };

    // Another report may have claimed a new name between our read and our claim: its id wins.
    const undecided = [...minted].filter((i) => !claimed.has(slotOf(names[i].subject, names[i].keys[0])));
    const late = undecided.length
      ? await this.owners(undecided.map((i) => ({ subject: names[i].subject, key: names[i].keys[0] })))
      : new Map();
    const replaced = new Map<string, string>();
    for (const i of minted) {
      const key = slotOf(names[i].subject, names[i].keys[0]);
      const winner = claimed.get(key) ?? late.get(key)!;
      if (winner !== ids[i]) replaced.set(ids[i], winner);
    }
    return {
      ids: ids.map((id) => replaced.get(id) ?? id),
      minted: new Set([...minted].map((i) => ids[i]).filter((id) => !replaced.has(id))),
    };
  }

  /**
   * Whether a person or organisation with this id has ever been named (a watch by id must name one). One
   * merged into another holds no key while the merge stands, and is known all the same.
   */
  async knows(subject: Subject, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM subject_name_keys WHERE subject = $1 AND subject_id = $2
       UNION ALL SELECT 1 FROM subject_merges WHERE subject = $1 AND merged_id = $2 LIMIT 1`,
      [subject, id],
    );
    return (rowCount ?? 0) > 0;
  }

  private async owners(slots: NameSlot[]): Promise<Map<string, string>> {
    if (!slots.length) return new Map();
    const { rows } = await this.pool.query<{ subject: Subject; key: string; subject_id: string }>({
      name: 'subject-name-key-owners',
      text: NAME_KEY_OWNERS_SQL,
      values: [slots.map((s) => s.subject), slots.map((s) => s.key)],
    });
    return new Map(rows.map((row) => [slotOf(row.subject, row.key), row.subject_id]));
  }

  /**
   * Claims the keys and returns, in the same round trip, the owner of each: ours where the claim went in,
   * the earlier owner where it was taken (by another statement, or by an earlier row of this one when two
   * reports of a batch claim one key). A key claimed by a transaction that committed after this statement
   * began is missing from the answer (the caller reads it again). Keys go in sorted, so two claiming
   * statements wait for each other's keys in one order and cannot deadlock.
   */
  private async claim(claims: Claim[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ subject: Subject; key: string; subject_id: string }>({
      name: 'subject-name-key-claim',
      text: NAME_KEY_CLAIM_SQL,
      values: [claims.map((c) => c.subject), claims.map((c) => c.key), claims.map((c) => c.id)],
    });
    return new Map(rows.map((row) => [slotOf(row.subject, row.key), row.subject_id]));
  }
}

// --- aliases and merges (docs/decisions/0018-a-merge-is-two-events-and-a-repointing-of-keys.md) -----------
// These run inside the transaction that appends the alias or merge events (EventStore.appendWith), so the
// keys move with the events or not at all: the reads before the append, the writes after it (vigil_append
// must be the transaction's first write, decision 0001).

/**
 * Makes a merge or an unmerge wait for the claims in flight, and holds new claims back until it commits:
 * SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE lock of every INSERT and UPDATE, and with itself (two
 * merges move keys one after the other). So the keys it reads stay as read until it commits, and a claim
 * blocked here reads the keys as the merge left them. Taking a lock writes nothing.
 */
export async function lockNameKeysForMerge(tx: PoolClient): Promise<void> {
  await tx.query('LOCK TABLE subject_name_keys IN SHARE ROW EXCLUSIVE MODE');
}

/** The subject `key` resolves to now, if any. */
export async function ownerOfKey(tx: PoolClient, subject: Subject, key: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ subject_id: string }>(
    'SELECT subject_id FROM subject_name_keys WHERE subject = $1 AND key = $2',
    [subject, key],
  );
  return rows[0]?.subject_id;
}

/**
 * Claims `key` for `id` (an alias an admin adds), and returns the id the key resolves to now: `id` when the
 * claim went in or the key was already its own, else the owner of a claim that came first. A concurrent
 * claim of the same key waits for this transaction, and resolves to `id` once it commits.
 */
export async function claimAliasKey(tx: PoolClient, subject: Subject, key: string, id: string): Promise<string> {
  const { rows } = await tx.query<{ subject_id: string }>(
    `WITH claimed AS (
       INSERT INTO subject_name_keys (subject, key, subject_id) VALUES ($1, $2, $3)
       ON CONFLICT (subject, key) DO NOTHING RETURNING subject_id
     )
     SELECT subject_id FROM claimed
     UNION ALL SELECT subject_id FROM subject_name_keys WHERE subject = $1 AND key = $2`,
    [subject, key, id],
  );
  return rows[0].subject_id;
}

/** The keys that resolve to `id`: what a merge of `id` moves to its survivor. */
export async function keysResolvingTo(tx: PoolClient, subject: Subject, id: string): Promise<string[]> {
  const { rows } = await tx.query<{ key: string }>(
    'SELECT key FROM subject_name_keys WHERE subject = $1 AND subject_id = $2 ORDER BY key',
    [subject, id],
  );
  return rows.map((row) => row.key);
}

/**
 * The keys held by `heldBy` (the survivor at the top of a chain) that were claimed for one of `ids` (the
 * subject an unmerge frees, and those merged into it, who follow it): what the unmerge gives back.
 */
export async function keysClaimedFor(
  tx: PoolClient,
  subject: Subject,
  heldBy: string,
  ids: string[],
): Promise<string[]> {
  const { rows } = await tx.query<{ key: string }>(
    `SELECT key FROM subject_name_keys WHERE subject = $1 AND subject_id = $2 AND claimed_for = ANY($3::uuid[])
      ORDER BY key`,
    [subject, heldBy, ids],
  );
  return rows.map((row) => row.key);
}

/**
 * These keys resolve to `to` from now on. Each remembers the subject it was claimed for (`claimed_for`,
 * kept through a chain of merges), and forgets it when it comes back to that subject.
 */
export async function repointKeys(tx: PoolClient, subject: Subject, keys: string[], to: string): Promise<void> {
  await tx.query(
    `UPDATE subject_name_keys
        SET subject_id = $3, claimed_for = nullif(coalesce(claimed_for, subject_id), $3::uuid)
      WHERE subject = $1 AND key = ANY($2::text[])`,
    [subject, keys, to],
  );
}
