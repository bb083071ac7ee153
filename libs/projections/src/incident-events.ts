import { INCIDENT_TYPES, INCIDENT_TYPE_BY_EVENT, RECORDED_EVENT_TYPES } from '@vigil/domain';
import { OCCURRED_FROM_SQL, OCCURRED_TO_SQL, PRECISION_RANK_SQL } from './occurred-order';

/** The event types that record an incident (ArrestRecorded …), from the domain's table of incident types. */
export const RECORDED_TYPES: readonly string[] = Object.values(RECORDED_EVENT_TYPES);

/**
 * The domain's table of incident types as SQL receives it, a parameter rather than text in the statement:
 * `$n::jsonb ->> e.type` is the public type of a recording event ({"ArrestRecorded": "arrest", …}).
 */
export const INCIDENT_TYPE_BY_EVENT_PARAM = JSON.stringify(INCIDENT_TYPE_BY_EVENT);

/**
 * The status each incident type gives the persons it names, as rows for `jsonb_to_recordset($n::jsonb)
 * AS rule(event_type text, status text, detail text, equals text)`: an event matches its type's rule
 * when the rule names no detail, or when its details hold `equals` under `detail` (a ruling: a sentence).
 */
export const PERSON_STATUS_RULES_PARAM = JSON.stringify(
  Object.values(INCIDENT_TYPES).flatMap(({ recordedAs, personStatus }) =>
    personStatus
      ? [
          {
            event_type: recordedAs,
            status: personStatus.status,
            detail: 'whenDetail' in personStatus ? personStatus.whenDetail.field : null,
            equals: 'whenDetail' in personStatus ? personStatus.whenDetail.equals : null,
          },
        ]
      : [],
  ),
);

/**
 * Projections build their rows in SQL straight from the log rows of the batch (`e`, by position), so
 * the event data never makes a round trip through JavaScript. These are the shared column expressions.
 */
export const SQL = {
  /** See occurred-order.ts, the one home of the order of incidents by when they happened. */
  occurredFrom: OCCURRED_FROM_SQL,
  occurredTo: OCCURRED_TO_SQL,
  precisionRank: PRECISION_RANK_SQL,
};

export const positionsOf = (events: { position: number; type: string }[], keep: (type: string) => boolean): number[] =>
  events.filter((event) => keep(event.type)).map((event) => event.position);

/**
 * The source that reported a recording event `e` (it must select `schema_version`), as
 * `{sourceId, name, kind}` or NULL for an admin's report: the upcast of the recording events' schema
 * version 1 (libs/domain, IncidentRecordedData.reportedBy). A version 1 event has only `sourceId`; its
 * source was an `hr_ngo`, the one kind there was, and its name is the sources table's (sources are never
 * renamed nor deleted, so a rebuild reads the same). The AddSourceKinds migration fills rows projected
 * before it the same way.
 */
export const REPORTED_BY_SQL = `CASE
  WHEN e.schema_version >= 2 THEN e.data->'reportedBy'
  WHEN e.data ? 'sourceId' THEN jsonb_build_object(
    'sourceId', e.data->'sourceId',
    'name', (SELECT to_jsonb(s.name) FROM sources s WHERE s.id::text = e.data->>'sourceId'),
    'kind', 'hr_ngo')
END`;
