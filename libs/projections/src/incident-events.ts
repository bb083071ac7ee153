/** The five "an incident happened" event types, and the public incident type each stands for. */
export const RECORDED_TYPES: Record<string, string> = {
  ArrestRecorded: 'arrest',
  ReleaseRecorded: 'release',
  RulingRecorded: 'ruling',
  ExecutionRecorded: 'execution',
  HarassmentRecorded: 'harassment',
};

export const isRecordedType = (type: string): boolean => type in RECORDED_TYPES;

/**
 * Projections build their rows in SQL straight from the log rows of the batch (`e`, by position), so
 * the event data never makes a round trip through JavaScript. These are the shared column expressions.
 */
export const SQL = {
  incidentType: `CASE e.type ${Object.entries(RECORDED_TYPES)
    .map(([event, type]) => `WHEN '${event}' THEN '${type}'`)
    .join(' ')} END`,
  occurredFrom: `(e.data->'occurredOn'->>'from')::date`,
  occurredTo: `(e.data->'occurredOn'->>'to')::date`,
  /** Equal starts sort the more precise date later. */
  precisionRank: `CASE e.data->'occurredOn'->>'precision' WHEN 'year' THEN 1 WHEN 'month' THEN 2 ELSE 3 END`,
  /** The status an incident gives the persons it names (docs/api.md, "Admin read API"), or null. */
  personStatus: `CASE e.type WHEN 'ArrestRecorded' THEN 'detained' WHEN 'ReleaseRecorded' THEN 'released'
    WHEN 'ExecutionRecorded' THEN 'executed'
    WHEN 'RulingRecorded' THEN CASE WHEN e.data->'details'->>'outcome' = 'sentence' THEN 'sentenced' END END`,
};

export const positionsOf = (events: { position: number; type: string }[], keep: (type: string) => boolean): number[] =>
  events.filter((event) => keep(event.type)).map((event) => event.position);
