import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';
import { nameWords, type AliasAdded, type OrganizationRegistered, type PersonRegistered } from '@vigil/domain';

type NameEvent = PersonRegistered | OrganizationRegistered | AliasAdded;

interface WordRow {
  subject: string;
  key: string;
  subjectId: string;
  fromAlias: boolean;
  whole: boolean;
  word: string;
}

/** The rows of one name or alias: its whole key (as intake computed it), then the key from each later word on. */
function rowsOf(event: NameEvent): WordRow[] {
  const [subject, subjectId, text, fromAlias] =
    event.type === 'PersonRegistered'
      ? ['person', event.data.personId, event.data.name, false]
      : event.type === 'OrganizationRegistered'
        ? ['organization', event.data.organizationId, event.data.name, false]
        : [event.data.subject, event.data.id, event.data.alias, true];
  return [
    { subject, subjectId, fromAlias, key: event.data.key, whole: true, word: text },
    // The first word's row would repeat the whole key.
    ...nameWords(text)
      .filter(({ key }) => key !== event.data.key)
      .map(({ word, key }) => ({ subject, subjectId, fromAlias, key, whole: false, word })),
  ];
}

/**
 * Every name and alias of every person and organisation, whole and from each word on, by normalised key: what
 * search matches a prefix of (apps/api/src/read-models/subject-search.ts). Keys come from
 * libs/domain's normalisation, so a rebuild gives the same rows; the first row of a key wins.
 */
export class NameWordsProjection implements Projection {
  readonly name = 'name-words';
  readonly handles = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded'];
  readonly tables = ['read_name_words'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const rows = events.flatMap((event) => rowsOf(event as unknown as NameEvent));
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO read_name_words (subject, key, subject_id, from_alias, whole, word)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::boolean[], $5::boolean[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((row) => row.subject),
        rows.map((row) => row.key),
        rows.map((row) => row.subjectId),
        rows.map((row) => row.fromAlias),
        rows.map((row) => row.whole),
        rows.map((row) => row.word),
      ],
    );
  }
}
