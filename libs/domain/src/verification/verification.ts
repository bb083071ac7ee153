import { SOURCE_KINDS, type SourceKind } from '../sources/source-kinds';

/**
 * How far an incident is established (docs/architecture.md, "Verification"). One rule derives it from
 * what the incident's events say; the read models, the alert router and the mails all ask this rule.
 */
export const VERIFICATIONS = ['reported', 'corroborated', 'confirmed', 'disputed', 'retracted'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

/** What a subscription may ask for before it hears of an incident, weakest first. */
export const VERIFICATION_THRESHOLDS = ['reported', 'corroborated', 'confirmed'] as const;
export type VerificationThreshold = (typeof VERIFICATION_THRESHOLDS)[number];
export const DEFAULT_VERIFICATION_THRESHOLD: VerificationThreshold = 'reported';

/** A source as the rule sees it: who (an id, or 'admin' for what an admin entered) and what kind of voice. */
export interface VerifyingSource {
  sourceId: string;
  kind: SourceKind;
}

/** The facts of an incident the rule reads, kept by whoever needs the verification (evolved from its events). */
export interface VerificationFacts {
  sources: readonly VerifyingSource[];
  confirmed: boolean;
  retracted: boolean;
  /** Conflicts flagged and not yet resolved. */
  openConflicts: number;
}

/**
 * Two sources are independent when they are different sources. A kind that does not corroborate
 * (`anonymous`) may report an incident but is never counted towards corroboration: an anonymous source
 * plus one named source is still `reported`.
 */
export function independentSources(sources: readonly VerifyingSource[]): number {
  return new Set(sources.filter((source) => SOURCE_KINDS[source.kind].corroborates).map((s) => s.sourceId)).size;
}

/** What the sources and the admin say, disputes aside: the level a threshold is measured against. */
export function establishedLevel(facts: VerificationFacts): VerificationThreshold | 'retracted' {
  if (facts.retracted) return 'retracted';
  if (facts.confirmed) return 'confirmed';
  return independentSources(facts.sources) >= 2 ? 'corroborated' : 'reported';
}

/** The incident's `verification`: retracted, else disputed while a conflict is open, else the established level. */
export function verificationOf(facts: VerificationFacts): Verification {
  const level = establishedLevel(facts);
  if (level === 'retracted') return 'retracted';
  return facts.openConflicts > 0 ? 'disputed' : level;
}

/**
 * Whether an incident is established enough for a subscription asking for `threshold`. A dispute on a
 * fact (a date) does not undo what the sources agree on (that it happened); a retraction does.
 */
export function meetsThreshold(facts: VerificationFacts, threshold: VerificationThreshold): boolean {
  const level = establishedLevel(facts);
  if (level === 'retracted') return false;
  return VERIFICATION_THRESHOLDS.indexOf(level) >= VERIFICATION_THRESHOLDS.indexOf(threshold);
}

/** `officiallyAcknowledged`: a source whose kind speaks for the state reported it (attribution, not proof). */
export function officiallyAcknowledged(sources: readonly VerifyingSource[]): boolean {
  return sources.some((source) => SOURCE_KINDS[source.kind].acknowledges);
}
