import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';
import {
  deletions,
  looseKey,
  SIMILAR_NAME_REASONS,
  type AliasAdded,
  type CandidateDismissed,
  type OrganizationRegistered,
  type PersonRegistered,
} from '@vigil/domain';
import { reviewItemIdSql } from './review-items';

type NameEvent = PersonRegistered | OrganizationRegistered | AliasAdded;
type Applied = NameEvent | CandidateDismissed;

/** The subject kind, the subject and the name or alias an event gives it. */
function nameOf(event: NameEvent): [subject: string, subjectId: string, name: string] {
  if (event.type === 'PersonRegistered') return ['person', event.data.personId, event.data.name];
  if (event.type === 'OrganizationRegistered') return ['organization', event.data.organizationId, event.data.name];
  return [event.data.subject, event.data.id, event.data.alias];
}

/**
 * The other subjects of the kind ($1) that one of the name's keys ($3 key, $4 position, $5 long; position -1
 * for the loose key itself) proposes, each with its strongest reason ($6, the reasons strongest first:
 * whole loose keys equal ($7: persian_letters or transliteration) before one letter apart), recorded as a
 * pair once. A letter apart: one whole key is a deletion of the other in a long word, or both share a
 * deletion at the same place, long in either (libs/domain's oneLetterApart). An existing pair keeps its
 * first time and position and takes a stronger reason. The pair's id is named by its kind and subjects
 * (reviewItemIdSql): the same after a rebuild, so a dismissal still names it.
 */
const PROPOSE_PAIRS = `
  WITH mine AS (SELECT * FROM unnest($3::text[], $4::smallint[], $5::boolean[]) AS m(key, position, long)),
  found AS (
    SELECT k.subject_id,
           min(array_position($6::text[], CASE WHEN m.position = -1 AND k.position = -1 THEN $7 ELSE 'one_letter_apart' END)) AS rank
      FROM mine m
      JOIN read_similar_keys k ON k.subject = $1 AND k.key = m.key
     WHERE k.subject_id <> $2::uuid
       AND ((m.position = -1 AND k.position = -1)
         OR (m.position = -1 AND k.long)
         OR (k.position = -1 AND m.long)
         OR (m.position >= 0 AND k.position = m.position AND (m.long OR k.long)))
     GROUP BY k.subject_id)
  INSERT INTO read_similar_pairs AS p (id, subject, first_id, second_id, reason, since, position)
  SELECT ${reviewItemIdSql(`'similar_names:' || $1 || ':' || least($2::uuid, f.subject_id) || ':' || greatest($2::uuid, f.subject_id)`)},
         $1, least($2::uuid, f.subject_id), greatest($2::uuid, f.subject_id), $6[f.rank], $8, $9
    FROM found f
  ON CONFLICT (subject, first_id, second_id) DO UPDATE SET reason = EXCLUDED.reason
   WHERE array_position($6::text[], EXCLUDED.reason) < array_position($6::text[], p.reason)`;

const STORE_KEYS = `
  INSERT INTO read_similar_keys (subject, subject_id, key, position, long)
  SELECT $1, $2::uuid, * FROM unnest($3::text[], $4::smallint[], $5::boolean[])
  ON CONFLICT DO NOTHING`;

const DISMISS = `INSERT INTO read_dismissed_candidates (id, dismissed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`;

/**
 * Who may be the same: every name and alias by its loose keys (libs/domain/src/names/similar-names.ts),
 * and each pair of persons or organisations those keys propose, with its reason. Names are taken one by
 * one in log order (a name is compared with those before it, in this batch too), so a rebuild gives the
 * same pairs, times and ids. Proposes only: nothing here changes who is who.
 *
 * The dismissals (CandidateDismissed) are kept here too, in their own table: they are events, so a rebuild
 * replays them with the pairs, and one consumer (one connection held for its lock) serves both.
 */
export class SimilarNamesProjection implements Projection {
  readonly name = 'similar-names';
  readonly handles = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded', 'CandidateDismissed'];
  readonly tables = ['read_similar_keys', 'read_similar_pairs', 'read_dismissed_candidates'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const event of events) {
      const applied = event as unknown as Applied;
      if (applied.type === 'CandidateDismissed') {
        await tx.query(DISMISS, [applied.data.candidateId, event.recordedAt]);
        continue;
      }
      const [subject, subjectId, name] = nameOf(applied);
      const key = looseKey(name);
      if (!key) continue;
      const rows = [{ key: key.key, position: -1, long: false }, ...deletions(key)];
      const values = [
        subject,
        subjectId,
        rows.map((row) => row.key),
        rows.map((row) => row.position),
        rows.map((row) => row.long),
      ];
      const sameKey = key.script === 'persian' ? 'persian_letters' : 'transliteration';
      await tx.query(PROPOSE_PAIRS, [...values, SIMILAR_NAME_REASONS, sameKey, event.recordedAt, event.position]);
      await tx.query(STORE_KEYS, values);
    }
  }
}
