import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from './consumer';
import { appendAliases } from './subject-aliases';

/** Organisations: names, aliases, and 'dissolved' while a dissolution ruling stands (not retracted). */
export class OrganizationsProjection implements Projection {
  readonly name = 'organizations';
  readonly handles = ['OrganizationRegistered', 'AliasAdded', 'OrganizationDissolved', 'IncidentRetracted'];
  readonly tables = ['read_organizations', 'read_organization_dissolutions'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const registered = [];
    const aliases: { id: string; alias: string }[] = [];
    const dissolutions = [];
    const retracted: string[] = [];
    for (const event of events) {
      const data = event.data as Record<string, string>;
      if (event.type === 'OrganizationRegistered') registered.push({ id: data.organizationId, name: data.name });
      else if (event.type === 'AliasAdded' && data.subject === 'organization') aliases.push({ id: data.id, alias: data.alias });
      else if (event.type === 'OrganizationDissolved') dissolutions.push({ organization_id: data.organizationId, incident_id: data.incidentId });
      else if (event.type === 'IncidentRetracted') retracted.push(data.incidentId);
    }
    if (registered.length) {
      await tx.query(
        `INSERT INTO read_organizations (id, name) SELECT id, name FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(registered)],
      );
    }
    await appendAliases(tx, 'read_organizations', aliases);
    const touched = new Set(dissolutions.map((d) => d.organization_id));
    if (dissolutions.length) {
      await tx.query(
        `INSERT INTO read_organization_dissolutions (organization_id, incident_id)
         SELECT organization_id, incident_id FROM jsonb_to_recordset($1::jsonb) AS r(organization_id uuid, incident_id uuid)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(dissolutions)],
      );
    }
    if (retracted.length) {
      const { rows } = await tx.query<{ organization_id: string }>(
        `UPDATE read_organization_dissolutions SET retracted = true WHERE incident_id = ANY($1::uuid[]) RETURNING organization_id`,
        [retracted],
      );
      rows.forEach((row) => touched.add(row.organization_id));
    }
    if (touched.size) {
      await tx.query(
        `UPDATE read_organizations o
            SET status = CASE WHEN EXISTS (SELECT 1 FROM read_organization_dissolutions d
                                            WHERE d.organization_id = o.id AND NOT d.retracted) THEN 'dissolved' ELSE 'active' END
          WHERE o.id = ANY($1::uuid[])`,
        [[...touched]],
      );
    }
  }
}
