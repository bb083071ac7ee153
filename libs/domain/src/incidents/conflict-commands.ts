import type { PartialDate } from '../dates/partial-date';
import type { ConflictField } from './incident.events';

// The admin's commands on what the sources of incidents say (docs/architecture.md, "Matching").

/**
 * An admin settles a conflict: `value` stands, or `separate` (the disputing sources reported another
 * event, recorded as `separatedAs`, an id the caller mints like a report's).
 */
export interface ResolveConflict {
  kind: 'ResolveConflict';
  incidentId: string;
  field: ConflictField;
  value?: PartialDate;
  separate?: { separatedAs: string };
  note?: string;
}

/** An admin says `incidentId` and `into` are one event: `into` absorbs it. */
export interface MergeIncident {
  kind: 'MergeIncident';
  incidentId: string;
  into: string;
  note?: string;
}
