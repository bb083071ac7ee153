/**
 * What kind of voice a source is: the vocabulary the verification rule reads (docs/architecture.md,
 * "Sources"). Each kind says what a report from such a source is worth on its own; the rule of issue 13
 * reads `corroborates` (may a second source of this kind make an incident corroborated) and
 * `acknowledges` (does a report of this kind mean the state acknowledged the event, a fact about
 * attribution, not a proof). The list is one table: the admin API's DTO and the rule derive from it.
 */
export const SOURCE_KINDS = {
  /** A human-rights organisation documenting cases (the default: every source before kinds existed). */
  hr_ngo: { corroborates: true, acknowledges: false },
  /** Media independent of the state. */
  independent_media: { corroborates: true, acknowledges: false },
  /** Media the state runs or controls: its report means the state says so. */
  state_media: { corroborates: true, acknowledges: true },
  /** A state body (judiciary, prison authority, ministry) speaking for itself. */
  official: { corroborates: true, acknowledges: true },
  /** The lawyer of a person the report names. */
  lawyer: { corroborates: true, acknowledges: false },
  /** A relative of a person the report names. */
  family: { corroborates: true, acknowledges: false },
  /** Someone who saw it. */
  witness: { corroborates: true, acknowledges: false },
  /** Nobody knows who: it may report, never corroborate on its own. */
  anonymous: { corroborates: false, acknowledges: false },
  other: { corroborates: true, acknowledges: false },
} as const satisfies Record<string, { corroborates: boolean; acknowledges: boolean }>;

export type SourceKind = keyof typeof SOURCE_KINDS;

/** Every kind, in the table's order. */
export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as readonly SourceKind[];

/** The kind of a source created without one, and of every source that existed before kinds. */
export const DEFAULT_SOURCE_KIND: SourceKind = 'hr_ngo';

/**
 * The admiralty (NATO) scale of a source's reliability, as an admin judges it: A completely reliable,
 * B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.
 * Optional: no grade means nobody graded the source yet (not the same as F).
 */
export const SOURCE_RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];

/** The source that sent a report, as the event recording it keeps it: who said it, whatever happens to the source later. */
export interface ReportingSource {
  sourceId: string;
  name: string;
  kind: SourceKind;
}
