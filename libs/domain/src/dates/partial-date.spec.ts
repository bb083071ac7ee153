import { InvalidPartialDateError } from './invalid-partial-date.error';
import { hasYear, parsePartialDate } from './partial-date';

describe(parsePartialDate.name, () => {
  it('keeps a Gregorian year with its whole range', () => {
    expect(parsePartialDate('2020')).toEqual({
      value: '2020',
      precision: 'year',
      from: '2020-01-01',
      to: '2020-12-31',
    });
  });

  it('keeps a Gregorian month with its last day', () => {
    expect(parsePartialDate('2020-02')).toEqual({
      value: '2020-02',
      precision: 'month',
      from: '2020-02-01',
      to: '2020-02-29',
    });
    expect(parsePartialDate('2021-02')).toMatchObject({ to: '2021-02-28' });
  });

  it('keeps a Gregorian day as a one-day range', () => {
    expect(parsePartialDate('2020-06-21')).toEqual({
      value: '2020-06-21',
      precision: 'day',
      from: '2020-06-21',
      to: '2020-06-21',
    });
  });

  it.each(['2020-02-29', '2000-02-29', '2021-12-31', '1000-01-01', '9999-12-31'])('accepts the real day %s', (text) => {
    expect(parsePartialDate(text).value).toBe(text);
  });

  it.each([
    ['2021-02-29', 'not a leap year'],
    ['1900-02-29', 'century not divisible by 400'],
    ['2021-02-30', 'no such day'],
    ['2021-04-31', 'April has 30 days'],
    ['2021-01-00', 'day zero'],
    ['2021-13', 'month 13'],
    ['2021-00', 'month zero'],
    ['0000', 'year zero'],
    ['0999', 'before 1000'],
    ['20210', 'five-digit year'],
    ['21', 'two-digit year'],
    ['2021-1-5', 'unpadded parts'],
    ['2021/01/05', 'wrong separator'],
    [' 2021', 'surrounding space'],
    ['2021-01-05T00:00', 'a time'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (text) => {
    expect(() => parsePartialDate(text)).toThrow(InvalidPartialDateError);
  });

  it('says what is wrong with an impossible day', () => {
    expect(() => parsePartialDate('2021-02-29')).toThrow('"2021-02-29" is not a valid date: that month has 28 days');
  });

  it('gives the refusal a stable code', () => {
    expect(() => parsePartialDate('2021-13')).toThrow(expect.objectContaining({ code: 'invalid_partial_date' }));
  });

  describe('with the Jalali calendar', () => {
    it('converts a day and keeps the original', () => {
      expect(parsePartialDate('1399-04-01', 'jalali')).toEqual({
        value: '2020-06-21',
        precision: 'day',
        from: '2020-06-21',
        to: '2020-06-21',
        original: { calendar: 'jalali', value: '1399-04-01' },
      });
    });

    it('turns a month into its exact Gregorian interval without claiming a Gregorian month', () => {
      expect(parsePartialDate('1399-04', 'jalali')).toEqual({
        value: '2020-06-21/2020-07-21',
        precision: 'month',
        from: '2020-06-21',
        to: '2020-07-21',
        original: { calendar: 'jalali', value: '1399-04' },
      });
    });

    it('turns a year into its exact Gregorian interval', () => {
      expect(parsePartialDate('1399', 'jalali')).toEqual({
        value: '2020-03-20/2021-03-20',
        precision: 'year',
        from: '2020-03-20',
        to: '2021-03-20',
        original: { calendar: 'jalali', value: '1399' },
      });
    });

    it('accepts Esfand 30 in a leap year', () => {
      expect(parsePartialDate('1399-12-30', 'jalali').value).toBe('2021-03-20');
    });

    it.each([
      ['1400-12-30', 'Esfand 30 of a common year'],
      ['1399-12-31', 'Esfand never has 31 days'],
      ['1399-07-31', 'Mehr has 30 days'],
      ['1399-13-01', 'month 13'],
      ['1399-13', 'month 13'],
      ['1399-04-00', 'day zero'],
      ['0999', 'before 1000'],
      ['3178', 'beyond the convertible range'],
    ])('refuses %j (%s)', (text) => {
      expect(() => parsePartialDate(text, 'jalali')).toThrow(InvalidPartialDateError);
    });
  });

  describe('a day whose year is unknown (--MM-DD)', () => {
    it('keeps the day and month, with no range a year could be read from', () => {
      expect(parsePartialDate('--06-11')).toEqual({ value: '--06-11', precision: 'month-day' });
    });

    it('accepts 29 February, a day of some years', () => {
      expect(parsePartialDate('--02-29').value).toBe('--02-29');
    });

    it('is not a dated date', () => {
      expect(hasYear(parsePartialDate('--06-11'))).toBe(false);
      expect(hasYear(parsePartialDate('2020-06-11'))).toBe(true);
    });

    it.each([
      ['--02-30', 'February never has 30 days'],
      ['--04-31', 'April has 30 days'],
      ['--13-01', 'month 13'],
      ['--00-10', 'month zero'],
      ['--06-00', 'day zero'],
      ['--6-11', 'unpadded'],
      ['-06-11', 'one dash'],
      ['--06', 'a month alone'],
      ['--06-11-2020', 'a year after'],
    ])('refuses %j (%s)', (text) => {
      expect(() => parsePartialDate(text)).toThrow(InvalidPartialDateError);
    });

    it('says what is wrong with an impossible day', () => {
      expect(() => parsePartialDate('--02-30')).toThrow(
        '"--02-30" is not a valid date: that month has at most 29 days',
      );
    });

    it('refuses a Jalali day without a year: it has no Gregorian day', () => {
      expect(() => parsePartialDate('--03-21', 'jalali')).toThrow(
        '"--03-21" is not a valid date: a Jalali day without a year has no Gregorian equivalent',
      );
    });
  });
});
