import { SOURCE_KINDS, type SourceKind, type Verification } from '@vigil/domain';

/** What a text needs of an alert's incident to say how established it is (as the payload carries it). */
export interface VerifiedIncident {
  verification?: Verification;
  sources?: { id: string; name: string; kind: SourceKind }[];
  conflicts?: { field: string }[];
}

/** The facts a conflict can be about, as a sentence names them. */
const FIELD_WORDS: Record<string, string> = { occurredOn: 'the date' };

const NUMBER_WORDS = ['no', 'one', 'two', 'three'];
const sourcesCount = (n: number, adjective = ''): string =>
  `${n < 2 ? NUMBER_WORDS[n] : n} ${adjective}source${n === 1 ? '' : 's'}`;

/**
 * The incident's verification in words, for every text that tells a watcher about it (the alert mails,
 * and pages): "reported by one source", "corroborated by 2 independent sources", "disputed: sources disagree
 * on the date", "confirmed", "retracted". The sources themselves are named by the caller, next to it. Empty
 * for an alert routed before incidents had a verification.
 */
export function verificationInWords(incident: VerifiedIncident): string {
  const sources = incident.sources ?? [];
  const independent = new Set(sources.filter((s) => SOURCE_KINDS[s.kind]?.corroborates).map((s) => s.id)).size;
  switch (incident.verification) {
    case 'reported':
      // Several sources that do not corroborate each other (an anonymous one among them) are still one report.
      return sources.length > 1
        ? `reported by ${sourcesCount(sources.length)}, not independently corroborated (an anonymous source does not count)`
        : 'reported by one source';
    case 'corroborated':
      return `corroborated by ${sourcesCount(independent, 'independent ')}`;
    case 'disputed': {
      const fields = (incident.conflicts ?? []).map((c) => FIELD_WORDS[c.field] ?? c.field);
      return fields.length ? `disputed: sources disagree on ${fields.join(' and ')}` : 'disputed: sources disagree';
    }
    case 'confirmed':
      return 'confirmed';
    case 'retracted':
      return 'retracted';
    default:
      return '';
  }
}
