import { meetsThreshold, officiallyAcknowledged, verificationOf, type VerificationFacts } from './verification';

const facts = (overrides: Partial<VerificationFacts>): VerificationFacts => ({
  sources: [{ sourceId: 'ihr', kind: 'hr_ngo' }],
  confirmed: false,
  retracted: false,
  openConflicts: 0,
  ...overrides,
});

describe('the verification rule', () => {
  it('calls one source reported', () => {
    expect(verificationOf(facts({}))).toBe('reported');
  });

  it('calls two different sources corroborated', () => {
    const sources = [
      { sourceId: 'ihr', kind: 'hr_ngo' as const },
      { sourceId: 'hengaw', kind: 'hr_ngo' as const },
    ];
    expect(verificationOf(facts({ sources }))).toBe('corroborated');
  });

  it('does not count one source twice', () => {
    const sources = [
      { sourceId: 'ihr', kind: 'hr_ngo' as const },
      { sourceId: 'ihr', kind: 'hr_ngo' as const },
    ];
    expect(verificationOf(facts({ sources }))).toBe('reported');
  });

  it('never lets an anonymous source corroborate', () => {
    const sources = [
      { sourceId: 'ihr', kind: 'hr_ngo' as const },
      { sourceId: 'tip', kind: 'anonymous' as const },
    ];
    expect(verificationOf(facts({ sources }))).toBe('reported');
  });

  it('puts an admin confirmation above the sources, an open conflict above that, a retraction above all', () => {
    expect(verificationOf(facts({ confirmed: true }))).toBe('confirmed');
    expect(verificationOf(facts({ confirmed: true, openConflicts: 1 }))).toBe('disputed');
    expect(verificationOf(facts({ openConflicts: 1, retracted: true }))).toBe('retracted');
  });

  it('measures thresholds by what is established, disputes aside, and never a retracted incident', () => {
    const two = [
      { sourceId: 'ihr', kind: 'hr_ngo' as const },
      { sourceId: 'hengaw', kind: 'hr_ngo' as const },
    ];
    expect(meetsThreshold(facts({}), 'reported')).toBe(true);
    expect(meetsThreshold(facts({}), 'corroborated')).toBe(false);
    expect(meetsThreshold(facts({ sources: two, openConflicts: 1 }), 'corroborated')).toBe(true);
    expect(meetsThreshold(facts({ sources: two }), 'confirmed')).toBe(false);
    expect(meetsThreshold(facts({ confirmed: true }), 'confirmed')).toBe(true);
    expect(meetsThreshold(facts({ confirmed: true, retracted: true }), 'reported')).toBe(false);
  });

  it('says officially acknowledged once an official or state media source reported it', () => {
    expect(officiallyAcknowledged([{ sourceId: 'ihr', kind: 'hr_ngo' }])).toBe(false);
    expect(officiallyAcknowledged([{ sourceId: 'irna', kind: 'state_media' }])).toBe(true);
    expect(officiallyAcknowledged([{ sourceId: 'judiciary', kind: 'official' }])).toBe(true);
  });
});
