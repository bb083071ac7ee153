import { translatorFor, type Language } from '@vigil/i18n';
import { resolutionFromForm, verificationFacts, type VerifiedIncidentView } from './incident-verification';

const context = (language: Language) => ({ language, t: translatorFor(language), here: '/admin', csrf: 'x' });
const partner = { id: 'b4f1c2de-0000-4000-8000-000000000001', name: 'IHR', kind: 'hr_ngo', url: null, reportedAt: '' };
const incident = (fields: Partial<VerifiedIncidentView>): VerifiedIncidentView => ({
  id: 'b4f1c2de-0000-4000-8000-000000000009',
  sourceId: partner.id,
  sources: [partner],
  verification: 'reported',
  officiallyAcknowledged: false,
  conflicts: [],
  possibleDuplicates: [],
  mergedInto: null,
  ...fields,
});
const words = (view: VerifiedIncidentView, language: Language = 'en') =>
  /data-verification="\w+">([^<]*)</.exec(String(verificationFacts(context(language), view)))?.[1];

/** The API lists registered sources only; the admin's voice counts as the alert mails count it. */
describe('verificationFacts', () => {
  it("counts the admin's voice in an incident the admin recorded and a partner corroborated", () => {
    const view = incident({ sourceId: null, verification: 'corroborated' });
    expect(words(view)).toBe('corroborated by 2 independent sources');
    expect(words(view, 'fa')).toBe('تأییدشده از سوی ۲ منبع مستقل');
  });

  it("counts it in a corroborated incident whose other voice is not listed (an admin's report merged in)", () => {
    expect(words(incident({ verification: 'corroborated' }))).toBe('corroborated by 2 independent sources');
  });

  it('counts only the listed sources when the admin did not speak', () => {
    const other = { ...partner, id: 'b4f1c2de-0000-4000-8000-000000000002', name: 'Other' };
    expect(words(incident({ verification: 'corroborated', sources: [partner, other] }))).toBe(
      'corroborated by 2 independent sources',
    );
    expect(words(incident({}))).toBe('reported by one source');
  });

  it('says a dispute about the date as such, and which', () => {
    const conflicts = [{ field: 'occurredOn', values: [{ value: '2020-09-06', sources: ['admin'] }] }];
    expect(words(incident({ verification: 'disputed', conflicts }))).toBe('disputed: sources disagree on the date');
  });
});

describe('resolutionFromForm', () => {
  it('makes the API body of a value, of "separate", and of no choice (which the API refuses)', () => {
    expect(resolutionFromForm({ field: 'occurredOn', choice: '2020-09-05', note: ' why ' })).toEqual({
      field: 'occurredOn',
      value: '2020-09-05',
      note: 'why',
    });
    expect(resolutionFromForm({ field: 'occurredOn', choice: 'separate', note: '' })).toEqual({
      field: 'occurredOn',
      separate: true,
    });
    expect(resolutionFromForm({ field: 'occurredOn' })).toEqual({ field: 'occurredOn' });
  });
});
