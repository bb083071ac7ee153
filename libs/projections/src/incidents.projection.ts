import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from './consumer';
import { RECORDED_TYPES, dateColumns, isRecorded } from './incident-events';

/** Incidents with their persons, organisations, source and status (recorded, confirmed, retracted). */
export class IncidentsProjection implements Projection {
  readonly name = 'incidents';
  readonly handles = [...Object.keys(RECORDED_TYPES), 'IncidentConfirmed', 'IncidentRetracted'];
  readonly tables = ['read_incidents', 'read_incident_subjects'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const incidents = [];
    const subjects = [];
    const confirmed = [];
    const retracted = [];
    for (const event of events) {
      if (isRecorded(event)) {
        const { data } = event;
        incidents.push({
          id: data.incidentId,
          type: RECORDED_TYPES[event.type],
          ...dateColumns(data.occurredOn),
          persons: data.persons.map((p) => ({ id: p.personId, name: p.name })),
          organizations: data.organizations.map((o) => ({ id: o.organizationId, name: o.name })),
          location: data.location ?? null,
          details: data.details,
          summary: data.summary ?? null,
          source: data.source,
          source_id: data.sourceId ?? null,
          external_id: data.externalId ?? null,
          recorded_at: event.recordedAt,
          position: event.position,
        });
        subjects.push(
          ...data.persons.map((p) => ({ subject: 'person', subject_id: p.personId, incident_id: data.incidentId })),
          ...data.organizations.map((o) => ({ subject: 'organization', subject_id: o.organizationId, incident_id: data.incidentId })),
        );
      } else if (event.type === 'IncidentConfirmed') {
        const data = event.data as { incidentId: string; source?: unknown };
        confirmed.push({ id: data.incidentId, confirmed_by: data.source ?? null });
      } else if (event.type === 'IncidentRetracted') {
        const data = event.data as { incidentId: string; reason: string };
        retracted.push({ id: data.incidentId, reason: data.reason });
      }
    }
    // One statement per kind of change; within a batch an incident is recorded before it is corrected.
    if (incidents.length) {
      await tx.query(
        `INSERT INTO read_incidents (id, type, occurred_on, occurred_from, occurred_to, precision_rank, persons, organizations,
                                     location, details, summary, source, source_id, external_id, recorded_at, position)
         SELECT id, type, occurred_on, occurred_from, occurred_to, precision_rank, persons, organizations,
                location, details, summary, source, source_id, external_id, recorded_at, position
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, type text, occurred_on jsonb, occurred_from date, occurred_to date,
                precision_rank smallint, persons jsonb, organizations jsonb, location text, details jsonb, summary text,
                source jsonb, source_id text, external_id text, recorded_at timestamptz, position bigint)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(incidents)],
      );
    }
    if (subjects.length) {
      await tx.query(
        `INSERT INTO read_incident_subjects (subject, subject_id, incident_id)
         SELECT subject, subject_id, incident_id FROM jsonb_to_recordset($1::jsonb) AS r(subject text, subject_id uuid, incident_id uuid)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(subjects)],
      );
    }
    if (confirmed.length) {
      await tx.query(
        `UPDATE read_incidents i SET status = 'confirmed', confirmed_by = c.confirmed_by
           FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, confirmed_by jsonb)
          WHERE i.id = c.id AND i.status = 'recorded'`,
        [JSON.stringify(confirmed)],
      );
    }
    if (retracted.length) {
      await tx.query(
        `UPDATE read_incidents i SET status = 'retracted', retraction_reason = r.reason
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, reason text) WHERE i.id = r.id`,
        [JSON.stringify(retracted)],
      );
    }
  }
}
