import type { Subject } from '@vigil/domain';

/** One entry of a watch list: a subject by id, or by the key of a name (known or not yet). */
export interface Watch {
  subject: Subject;
  subjectId?: string;
  key?: string;
  /** As the subscriber wrote it, to show back to them. */
  label: string;
}

// Defined once, in the domain's table of incident types; re-exported for the subscription tables here.
export type { IncidentTypeName } from '@vigil/domain';
