import { isNewlyDocumented } from './newly-documented';
import { parsePartialDate } from './partial-date';

describe(isNewlyDocumented.name, () => {
  const at = (iso: string) => new Date(iso);

  it('Given a day 31 days before the recording, then it is newly documented', () => {
    expect(isNewlyDocumented(parsePartialDate('2020-06-21'), at('2020-07-22T08:00:00Z'))).toBe(true);
  });

  it('Given a day exactly 30 days before the recording, then it is news', () => {
    expect(isNewlyDocumented(parsePartialDate('2020-06-21'), at('2020-07-21T23:59:00Z'))).toBe(false);
  });

  it('Given a month, then it is measured from its last day', () => {
    expect(isNewlyDocumented(parsePartialDate('2020-06'), at('2020-07-30T00:00:00Z'))).toBe(false);
    expect(isNewlyDocumented(parsePartialDate('2020-06'), at('2020-07-31T00:00:00Z'))).toBe(true);
  });

  it('Given a Jalali day, then its Gregorian day counts', () => {
    expect(isNewlyDocumented(parsePartialDate('1399-04-01', 'jalali'), at('2026-01-01T00:00:00Z'))).toBe(true);
  });

  it('Given a day without a year, then it can never be known to be old', () => {
    expect(isNewlyDocumented(parsePartialDate('--06-11'), at('2999-01-01T00:00:00Z'))).toBe(false);
  });
});
