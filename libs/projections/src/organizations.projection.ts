import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';
import { positionsOf } from './incident-events';
import { appendAliases } from './subject-aliases';

/** Organisations: names, aliases, and 'dissolved' while a dissolution ruling stands (not retracted). */
export class OrganizationsProjection implements Projection {
  readonly name = 'organizations';
  readonly handles = ['OrganizationRegistered', 'AliasAdded', 'OrganizationDissolved', 'IncidentRetracted'];
  readonly tables = ['read_organizations', 'read_organization_dissolutions'];
  readonly readsData = false;

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const registered = positionsOf(events, (type) => type === 'OrganizationRegistered');
    const dissolved = positionsOf(events, (type) => type === 'OrganizationDissolved');
    const retracted = positionsOf(events, (type) => type === 'IncidentRetracted');
    if (registered.length) {
      await tx.query(
        `INSERT INTO read_organizations (id, name) SELECT (e.data->>'organizationId')::uuid, e.data->>'name' FROM events e
          WHERE e.position = ANY($1::bigint[]) ON CONFLICT (id) DO NOTHING`,
        [registered],
      );
    }
    await appendAliases(
      tx,
      'organization',
      positionsOf(events, (type) => type === 'AliasAdded'),
    );
    const touched: string[] = [];
    if (dissolved.length) {
      const { rows } = await tx.query<{ organization_id: string }>(
        `INSERT INTO read_organization_dissolutions (organization_id, incident_id)
         SELECT (e.data->>'organizationId')::uuid, (e.data->>'incidentId')::uuid FROM events e WHERE e.position = ANY($1::bigint[])
         ON CONFLICT DO NOTHING RETURNING organization_id`,
        [dissolved],
      );
      touched.push(...rows.map((row) => row.organization_id));
    }
    if (retracted.length) {
      const { rows } = await tx.query<{ organization_id: string }>(
        `UPDATE read_organization_dissolutions d SET retracted = true FROM events e
          WHERE e.position = ANY($1::bigint[]) AND d.incident_id = (e.data->>'incidentId')::uuid RETURNING d.organization_id`,
        [retracted],
      );
      touched.push(...rows.map((row) => row.organization_id));
    }
    if (touched.length) {
      await tx.query(
        `UPDATE read_organizations o
            SET status = CASE WHEN EXISTS (SELECT 1 FROM read_organization_dissolutions d
                                            WHERE d.organization_id = o.id AND NOT d.retracted) THEN 'dissolved' ELSE 'active' END
          WHERE o.id = ANY($1::uuid[])`,
        [[...new Set(touched)]],
      );
    }
  }
}
