import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from './consumer';

/**
 * Every name and alias of every person and organisation by normalised key (the events carry the key,
 * computed at intake): search by any spelling, and (later) matching watches to subjects.
 */
export class NameIndexProjection implements Projection {
  readonly name = 'name-index';
  readonly handles = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded'];
  readonly tables = ['read_name_index'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const names = events.map(({ type, data }) => {
      const d = data as Record<string, string>;
      if (type === 'PersonRegistered') return { subject: 'person', key: d.key, subject_id: d.personId, name: d.name };
      if (type === 'OrganizationRegistered') return { subject: 'organization', key: d.key, subject_id: d.organizationId, name: d.name };
      return { subject: d.subject, key: d.key, subject_id: d.id, name: d.alias };
    });
    await tx.query(
      `INSERT INTO read_name_index (subject, key, subject_id, name)
       SELECT subject, key, subject_id, name FROM jsonb_to_recordset($1::jsonb) AS r(subject text, key text, subject_id uuid, name text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(names)],
    );
  }
}
