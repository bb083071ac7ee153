/**
 * A row of read_incidents as `to_json(i)` renders it: dates as `YYYY-MM-DD` (`infinity` for a day without a
 * year), times with microseconds.
 */
export interface IncidentRow {
  id: string;
  type: string;
  occurred_on: { value: string; precision: string; original?: unknown };
  occurred_from: string;
  occurred_to: string;
  precision_rank: number;
  persons: { personId?: string; name?: string }[];
  organizations: { organizationId?: string; name?: string }[];
  location: string | null;
  details: unknown;
  summary: string | null;
  source: unknown;
  source_id: string | null;
  /** The registered sources that reported it, as the incidents projection builds them. */
  sources: { id: string; name: string | null; kind: string; url: string | null; reportedAt: string }[];
  external_id: string | null;
  status: string;
  confirmed_by: unknown;
  retraction_reason: string | null;
  verification: string;
  conflicts: { field: string; values: { value: string; sources: string[] }[] }[];
  possible_duplicates: string[];
  officially_acknowledged: boolean;
  merged_into: string | null;
  occurred_on_disputed: boolean;
  recorded_at: string;
  position: number;
}

/** The incident as the admin API shows it, alone, in lists and in the person and organisation views. */
export function incidentView(i: IncidentRow): object {
  return {
    id: i.id,
    type: i.type,
    occurredOn: i.occurred_on.value,
    occurredOnPrecision: i.occurred_on.precision,
    // A day without a year (`--06-11`, precision 'month-day') has no range of days.
    occurredOnRange: i.occurred_on.precision === 'month-day' ? null : { from: i.occurred_from, to: i.occurred_to },
    occurredOnOriginal: i.occurred_on.original ?? null,
    // Sources disagree on the date (see `conflicts`): the incident is ordered by the earliest value.
    occurredOnDisputed: i.occurred_on_disputed,
    persons: i.persons.map((p) => ({ id: p.personId ?? null, name: p.name ?? null })),
    organizations: i.organizations.map((o) => ({ id: o.organizationId ?? null, name: o.name ?? null })),
    location: i.location,
    details: i.details,
    summary: i.summary,
    source: i.source,
    sourceId: i.source_id,
    // Partners that reported it through the signed webhook; what an admin entered is not listed (its
    // `source` is the citation the admin typed, not a registered source), though it counts as one voice.
    sources: i.sources,
    externalId: i.external_id,
    status: i.status,
    verification: i.verification,
    conflicts: i.conflicts,
    possibleDuplicates: i.possible_duplicates,
    officiallyAcknowledged: i.officially_acknowledged,
    // Set once an admin merged it into another incident: that one holds its sources and subjects now.
    mergedInto: i.merged_into,
    confirmedBy: i.confirmed_by,
    retractionReason: i.retraction_reason,
    recordedAt: i.recorded_at,
    position: i.position,
  };
}
