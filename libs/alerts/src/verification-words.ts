import { independentSources, type SourceKind, type Verification } from '@vigil/domain';
import { translate, type Language } from '@vigil/i18n';

/** What a text needs of an alert's incident to say how established it is (as the payload carries it). */
export interface VerifiedIncident {
  verification?: Verification;
  sources?: { id: string; name: string; kind: SourceKind }[];
  conflicts?: { field: string }[];
}

/**
 * The incident's verification in words, for every text that tells a watcher about it (the alert mails,
 * and pages), from the message catalogue of the reader's language: "reported by one source",
 * "corroborated by 2 independent sources", "disputed: sources disagree on the date", "confirmed",
 * "retracted". The sources themselves are named by the caller, next to it. Empty for an alert routed
 * before incidents had a verification.
 */
export function verificationInWords(incident: VerifiedIncident, language: Language = 'en'): string {
  const sources = incident.sources ?? [];
  switch (incident.verification) {
    case 'reported':
      // Several sources that do not corroborate each other (an anonymous one among them) are still one report.
      return sources.length > 1
        ? translate(language, 'verification.reported.many', { n: sources.length })
        : translate(language, 'verification.reported.one');
    case 'corroborated':
      return translate(language, 'verification.corroborated', {
        n: independentSources(sources.map(({ id, kind }) => ({ sourceId: id, kind }))),
      });
    case 'disputed': {
      const aboutTheDate = (incident.conflicts ?? []).some((conflict) => conflict.field === 'occurredOn');
      return translate(language, aboutTheDate ? 'verification.disputed.date' : 'verification.disputed');
    }
    case 'confirmed':
      return translate(language, 'verification.confirmed');
    case 'retracted':
      return translate(language, 'verification.retracted');
    default:
      return '';
  }
}
