import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';

/**
 * Every name and alias of every person and organisation by normalised key (the events carry the key,
 * computed at intake), for search by any spelling.
 */
export class NameIndexProjection implements Projection {
  readonly name = 'name-index';
  readonly handles = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded'];
  readonly tables = ['read_name_index'];
  readonly readsData = false;

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    await tx.query(
      `INSERT INTO read_name_index (subject, key, subject_id, name)
       SELECT CASE e.type WHEN 'PersonRegistered' THEN 'person' WHEN 'OrganizationRegistered' THEN 'organization' ELSE e.data->>'subject' END,
              e.data->>'key',
              coalesce(e.data->>'personId', e.data->>'organizationId', e.data->>'id')::uuid,
              coalesce(e.data->>'alias', e.data->>'name')
         FROM events e WHERE e.position = ANY($1::bigint[])
       ON CONFLICT DO NOTHING`,
      [events.map((event) => event.position)],
    );
  }
}
