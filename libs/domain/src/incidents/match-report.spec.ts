import { parsePartialDate } from '../dates/partial-date';
import { matchIncident, matchReport, type IncidentMatch, type MatchCandidate, type MatchSubject } from './match-report';

// Fictional ids; the seed's people stand behind the names used in the table's cases.
const SHARMIN = 'p-sharmin';
const KATAYOUN = 'p-katayoun';
const MORTEZA = 'p-morteza';
const RAHIMI = 'p-rahimi';
const AMANINEJAD = 'p-amaninejad';
const YAVARI = 'p-yavari';
const SOCIETY = 'o-society';
const OTHER_NGO = 'o-other';

const report = (changes: Partial<Omit<MatchSubject, 'occurredOn'>> & { on: string | string[] }): MatchSubject => ({
  type: 'arrest',
  personIds: [],
  organizationIds: [],
  details: {},
  ...changes,
  occurredOn: [changes.on].flat().map((text) => parsePartialDate(text)),
});
const incident = (changes: Parameters<typeof report>[0], open = true): MatchCandidate => ({
  incidentId: 'incident',
  open,
  ...report(changes),
});

describe('the matching rule', () => {
  const cases: [string, MatchSubject, MatchCandidate, IncidentMatch][] = [
    [
      'the arrests of 21 June 2020 reported again by another group naming only Katayoun Afrazeh',
      report({ on: '2020-06-21', personIds: [KATAYOUN] }),
      incident({ on: '2020-06-21', personIds: [SHARMIN, KATAYOUN, MORTEZA], organizationIds: [SOCIETY] }),
      'same',
    ],
    [
      'a month matches a day of that month (equal at the coarser precision)',
      report({ on: '2020-06', personIds: [KATAYOUN] }),
      incident({ on: '2020-06-21', personIds: [KATAYOUN] }),
      'same',
    ],
    [
      'a year matches a day of that year',
      report({ on: '2020-06-21', personIds: [KATAYOUN] }),
      incident({ on: '2020', personIds: [KATAYOUN] }),
      'same',
    ],
    [
      'a Jalali month matches a day inside it (1399-04 is 21 June … 21 July 2020)',
      report({ on: '2020-06-25', personIds: [KATAYOUN] }),
      { ...incident({ on: '2020', personIds: [KATAYOUN] }), occurredOn: [parsePartialDate('1399-04', 'jalali')] },
      'same',
    ],
    [
      'another month is another arrest',
      report({ on: '2020-07', personIds: [KATAYOUN] }),
      incident({ on: '2020-06-21', personIds: [KATAYOUN] }),
      'different',
    ],
    [
      "Zahra Rahimi's arrest on 5 vs 6 September 2020: a date conflict",
      report({ on: '2020-09-05', personIds: [RAHIMI] }),
      incident({ on: '2020-09-06', personIds: [RAHIMI], organizationIds: [SOCIETY] }),
      'date_conflict',
    ],
    [
      'three days apart is still a conflict',
      report({ on: '2020-09-09', personIds: [RAHIMI] }),
      incident({ on: '2020-09-06', personIds: [RAHIMI] }),
      'date_conflict',
    ],
    [
      'four days apart is another event',
      report({ on: '2020-09-10', personIds: [RAHIMI] }),
      incident({ on: '2020-09-06', personIds: [RAHIMI] }),
      'different',
    ],
    [
      'days a few apart but other persons besides a shared one: not the same persons, no conflict',
      report({ on: '2020-09-05', personIds: [RAHIMI, KATAYOUN] }),
      incident({ on: '2020-09-06', personIds: [RAHIMI, SHARMIN] }),
      'different',
    ],
    [
      'the Hamedan executions "on 11 June" without a year and with one: never by year, a possible duplicate',
      report({ type: 'execution', on: '--06-11', personIds: [AMANINEJAD, YAVARI] }),
      incident({ type: 'execution', on: '2021-06-11', personIds: [AMANINEJAD, YAVARI] }),
      'possible_duplicate',
    ],
    [
      'the Hamedan executions "on 11 June" twice without a year: the same',
      report({ type: 'execution', on: '--06-11', personIds: [YAVARI] }),
      incident({ type: 'execution', on: '--06-11', personIds: [AMANINEJAD, YAVARI] }),
      'same',
    ],
    [
      'a day without a year and a dated month: apart',
      report({ type: 'execution', on: '--06-11', personIds: [YAVARI] }),
      incident({ type: 'execution', on: '2021-06', personIds: [YAVARI] }),
      'different',
    ],
    [
      'another type is another event',
      report({ type: 'release', on: '2020-09-06', personIds: [RAHIMI] }),
      incident({ on: '2020-09-06', personIds: [RAHIMI] }),
      'different',
    ],
    [
      'no shared person',
      report({ on: '2020-06-21', personIds: [RAHIMI], organizationIds: [SOCIETY] }),
      incident({ on: '2020-06-21', personIds: [KATAYOUN], organizationIds: [SOCIETY] }),
      'different',
    ],
    [
      'an organisation counts when neither names a person',
      report({ type: 'harassment', on: '2018-04', organizationIds: [SOCIETY], details: { kind: 'digital_attack' } }),
      incident({
        type: 'harassment',
        on: '2018-04-26',
        organizationIds: [SOCIETY],
        details: { kind: 'digital_attack' },
      }),
      'same',
    ],
    [
      'an organisation does not count when one of them names a person',
      report({ on: '2020-06-21', organizationIds: [SOCIETY] }),
      incident({ on: '2020-06-21', personIds: [SHARMIN], organizationIds: [SOCIETY] }),
      'different',
    ],
    [
      'a ruling dissolving the society is not the ruling sentencing someone the same day (outcome)',
      report({ type: 'ruling', on: '2021-03-03', organizationIds: [SOCIETY], details: { outcome: 'dissolution' } }),
      incident({ type: 'ruling', on: '2021-03-03', organizationIds: [SOCIETY], details: { outcome: 'other' } }),
      'different',
    ],
    [
      'a raid is not a summons the same day (harassment kind)',
      report({ type: 'harassment', on: '2020-06-21', organizationIds: [SOCIETY], details: { kind: 'raid' } }),
      incident({ type: 'harassment', on: '2020-06-21', organizationIds: [SOCIETY], details: { kind: 'summons' } }),
      'different',
    ],
    [
      'other organisations, no person: apart',
      report({ type: 'harassment', on: '2020-06-21', organizationIds: [OTHER_NGO], details: { kind: 'raid' } }),
      incident({ type: 'harassment', on: '2020-06-21', organizationIds: [SOCIETY], details: { kind: 'raid' } }),
      'different',
    ],
    [
      'a retracted or merged incident matches nothing',
      report({ on: '2020-06-21', personIds: [KATAYOUN] }),
      incident({ on: '2020-06-21', personIds: [KATAYOUN] }, false),
      'different',
    ],
    [
      'a disputed incident matches either of its values',
      report({ on: '2020-09-05', personIds: [RAHIMI] }),
      incident({ on: ['2020-09-06', '2020-09-05'], personIds: [RAHIMI] }),
      'same',
    ],
  ];

  it.each(cases)('%s', (_name, given, candidate, expected) => {
    expect(matchIncident(given, candidate)).toBe(expected);
  });

  describe('over several candidates', () => {
    const katayoun = report({ on: '2020-06-21', personIds: [KATAYOUN] });
    const a = { ...incident({ on: '2020-06-21', personIds: [KATAYOUN] }), incidentId: 'a' };
    const b = { ...incident({ on: '2020-06', personIds: [KATAYOUN, SHARMIN] }), incidentId: 'b' };
    const later = { ...incident({ on: '2020-08-01', personIds: [KATAYOUN] }), incidentId: 'later' };

    it('one match: that incident', () => {
      expect(matchReport(katayoun, [later, a])).toEqual({ kind: 'same', incidentId: 'a' });
    });

    it('several matches: a new incident listing them all as possible duplicates', () => {
      expect(matchReport(katayoun, [b, later, a])).toEqual({ kind: 'new', possibleDuplicates: ['a', 'b'] });
    });

    it('no match: a new incident with no possible duplicate', () => {
      expect(matchReport(katayoun, [later])).toEqual({ kind: 'new', possibleDuplicates: [] });
    });

    it('a match wins over a conflict', () => {
      const near = { ...incident({ on: '2020-06-23', personIds: [KATAYOUN] }), incidentId: 'near' };
      expect(matchReport(katayoun, [near, a])).toEqual({ kind: 'same', incidentId: 'a' });
      expect(matchReport(katayoun, [near])).toEqual({ kind: 'date_conflict', incidentId: 'near' });
    });
  });
});
