import { INCIDENT_TYPES, INCIDENT_TYPE_BY_EVENT, RECORDED_EVENT_TYPES } from '@vigil/domain';
import { PRECISION_RANK_SQL } from './occurred-order';

/** The event types that record an incident (ArrestRecorded …), from the domain's table of incident types. */
export const RECORDED_TYPES: readonly string[] = Object.values(RECORDED_EVENT_TYPES);

/** A constant of the domain's table as an SQL literal (they are identifiers and words, never input). */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const incidentType = `CASE e.type ${Object.entries(INCIDENT_TYPE_BY_EVENT)
  .map(([event, type]) => `WHEN ${literal(event)} THEN ${literal(type)}`)
  .join(' ')} END`;

const personStatus = `CASE e.type ${Object.values(INCIDENT_TYPES)
  .flatMap(({ recordedAs, personStatus: given }) => {
    if (!given) return [];
    const status = literal(given.status);
    if (!('whenDetail' in given)) return [`WHEN ${literal(recordedAs)} THEN ${status}`];
    const { field, equals } = given.whenDetail;
    return [
      `WHEN ${literal(recordedAs)} THEN CASE WHEN e.data->'details'->>${literal(field)} = ${literal(equals)} THEN ${status} END`,
    ];
  })
  .join(' ')} END`;

/**
 * Projections build their rows in SQL straight from the log rows of the batch (`e`, by position), so
 * the event data never makes a round trip through JavaScript. These are the shared column expressions.
 */
export const SQL = {
  /** The public incident type of a recording event. */
  incidentType,
  occurredFrom: `(e.data->'occurredOn'->>'from')::date`,
  occurredTo: `(e.data->'occurredOn'->>'to')::date`,
  /** See occurred-order.ts, the one home of the order of incidents by when they happened. */
  precisionRank: PRECISION_RANK_SQL,
  /** The status an incident gives the persons it names (the table's personStatus), or null. */
  personStatus,
};

export const positionsOf = (events: { position: number; type: string }[], keep: (type: string) => boolean): number[] =>
  events.filter((event) => keep(event.type)).map((event) => event.position);
