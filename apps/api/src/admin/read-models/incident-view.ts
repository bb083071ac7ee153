import { newestOccurredFirst } from '@vigil/projections';

/** The incident as the admin API and outgoing webhooks show it; built in SQL from read_incidents `i`. */
export const INCIDENT_JSON = `json_build_object(
  'id', i.id, 'type', i.type, 'occurredOn', i.occurred_on->>'value',
  'occurredOnPrecision', i.occurred_on->>'precision', 'occurredOnRange', json_build_object('from', i.occurred_from, 'to', i.occurred_to),
  'occurredOnOriginal', i.occurred_on->'original',
  'persons', (SELECT coalesce(json_agg(json_build_object('id', p->>'personId', 'name', p->>'name')), '[]'::json)
              FROM jsonb_array_elements(i.persons) p),
  'organizations', (SELECT coalesce(json_agg(json_build_object('id', o->>'organizationId', 'name', o->>'name')), '[]'::json)
                    FROM jsonb_array_elements(i.organizations) o), 'location', i.location, 'details', i.details,
  'summary', i.summary, 'source', i.source, 'sourceId', i.source_id, 'externalId', i.external_id,
  'status', i.status, 'confirmedBy', i.confirmed_by, 'retractionReason', i.retraction_reason,
  'recordedAt', i.recorded_at, 'position', i.position)`;

/** Newest first by occurredOn (the order's one home is newestOccurredFirst, in @vigil/projections). */
export const NEWEST_FIRST = newestOccurredFirst('i');

/** The incidents of one subject, newest first, as a JSON array (for person and organisation views). */
export const subjectIncidentsJson = (idColumn: string) => `coalesce((
  SELECT json_agg(${INCIDENT_JSON} ORDER BY ${NEWEST_FIRST})
    FROM read_incident_subjects si JOIN read_incidents i ON i.id = si.incident_id
   WHERE si.subject_id = ${idColumn}), '[]'::json)`;
