import { verificationInWords } from './verification-words';

const ihr = { id: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' as const };
const hengaw = { id: 'hengaw', name: 'Hengaw', kind: 'hr_ngo' as const };
const tip = { id: 'tip', name: 'A tip', kind: 'anonymous' as const };

describe(verificationInWords.name, () => {
  it.each([
    [{ verification: 'reported' as const, sources: [ihr] }, 'reported by one source'],
    [{ verification: 'corroborated' as const, sources: [ihr, hengaw] }, 'corroborated by 2 independent sources'],
    [
      { verification: 'disputed' as const, sources: [ihr, hengaw], conflicts: [{ field: 'occurredOn' }] },
      'disputed: sources disagree on the date',
    ],
    [{ verification: 'confirmed' as const, sources: [ihr] }, 'confirmed'],
    [{ verification: 'retracted' as const, sources: [ihr] }, 'retracted'],
  ])('says %j as "%s"', (incident, words) => {
    expect(verificationInWords(incident)).toBe(words);
  });

  it('counts only the independent sources', () => {
    expect(verificationInWords({ verification: 'corroborated', sources: [ihr, hengaw, tip] })).toBe(
      'corroborated by 2 independent sources',
    );
  });

  it('does not call two sources one when an anonymous one keeps them from corroborating', () => {
    expect(verificationInWords({ verification: 'reported', sources: [ihr, tip] })).toMatch(
      /^reported by 2 sources, not independently corroborated/,
    );
  });

  it('says nothing of an alert routed before incidents had a verification', () => {
    expect(verificationInWords({})).toBe('');
  });
});
