import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from './consumer';
import { RECORDED_TYPES, dateColumns, isRecorded, personStatusOf } from './incident-events';
import { appendAliases } from './subject-aliases';

/**
 * Persons: names, aliases, memberships, and the status of the latest non-retracted status-bearing
 * incident by occurredOn (not by arrival: a release reported before its arrest still ends 'released').
 */
export class PersonsProjection implements Projection {
  readonly name = 'persons';
  readonly handles = ['PersonRegistered', 'AliasAdded', 'MembershipRecorded', ...Object.keys(RECORDED_TYPES), 'IncidentRetracted'];
  readonly tables = ['read_persons', 'read_person_memberships', 'read_person_status_facts'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const registered = [];
    const aliases: { id: string; alias: string }[] = [];
    const memberships = [];
    const facts = [];
    const retracted: string[] = [];
    for (const event of events) {
      const data = event.data as Record<string, string>;
      if (event.type === 'PersonRegistered') registered.push({ id: data.personId, name: data.name });
      else if (event.type === 'AliasAdded' && data.subject === 'person') aliases.push({ id: data.id, alias: data.alias });
      else if (event.type === 'MembershipRecorded') {
        memberships.push({ person_id: data.personId, organization_id: data.organizationId, role: data.role ?? '', position: event.position });
      } else if (event.type === 'IncidentRetracted') retracted.push(data.incidentId);
      else if (isRecorded(event)) {
        const status = personStatusOf(event);
        if (!status) continue;
        for (const person of event.data.persons) {
          facts.push({ person_id: person.personId, incident_id: event.data.incidentId, status, position: event.position, ...dateColumns(event.data.occurredOn) });
        }
      }
    }

    if (registered.length) {
      await tx.query(
        `INSERT INTO read_persons (id, name) SELECT id, name FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(registered)],
      );
    }
    await appendAliases(tx, 'read_persons', aliases);
    if (memberships.length) {
      await tx.query(
        `INSERT INTO read_person_memberships (person_id, organization_id, role, position)
         SELECT person_id, organization_id, role, position
           FROM jsonb_to_recordset($1::jsonb) AS r(person_id uuid, organization_id uuid, role text, position bigint)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(memberships)],
      );
    }
    const touched = new Set(facts.map((fact) => fact.person_id));
    if (facts.length) {
      await tx.query(
        `INSERT INTO read_person_status_facts (person_id, incident_id, status, occurred_on, occurred_from, occurred_to, precision_rank, position)
         SELECT person_id, incident_id, status, occurred_on, occurred_from, occurred_to, precision_rank, position
           FROM jsonb_to_recordset($1::jsonb) AS r(person_id uuid, incident_id uuid, status text, occurred_on jsonb,
                occurred_from date, occurred_to date, precision_rank smallint, position bigint)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(facts)],
      );
    }
    if (retracted.length) {
      const { rows } = await tx.query<{ person_id: string }>(
        `UPDATE read_person_status_facts SET retracted = true WHERE incident_id = ANY($1::uuid[]) RETURNING person_id`,
        [retracted],
      );
      rows.forEach((row) => touched.add(row.person_id));
    }
    if (touched.size) await this.recomputeStatus(tx, [...touched]);
  }

  /** Latest by occurredOn; an equal start sorts the more precise date later; arrival breaks the last tie. */
  private async recomputeStatus(tx: PoolClient, personIds: string[]): Promise<void> {
    await tx.query(
      `UPDATE read_persons p
          SET status = coalesce(latest.status, 'unknown'), status_since = latest.occurred_on, status_incident_id = latest.incident_id
         FROM unnest($1::uuid[]) AS t(id)
         LEFT JOIN LATERAL (
           SELECT f.status, f.occurred_on, f.incident_id FROM read_person_status_facts f
            WHERE f.person_id = t.id AND NOT f.retracted
            ORDER BY f.occurred_from DESC, f.precision_rank DESC, f.occurred_to DESC, f.position DESC
            LIMIT 1
         ) latest ON true
        WHERE p.id = t.id`,
      [personIds],
    );
  }
}
