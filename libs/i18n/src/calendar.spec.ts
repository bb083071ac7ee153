import { dayInBothCalendars } from './calendar';
import { chooseLanguage, directionOf } from './languages';
import { localDigits } from './digits';

describe('dates in both calendars', () => {
  it('says a day in the reader’s calendar first, the other beside it', () => {
    expect(dayInBothCalendars('2026-12-01', 'en')).toBe('1 December 2026 (10 Azar 1405)');
    expect(dayInBothCalendars('2026-12-01', 'fa')).toBe('۱۰ آذر ۱۴۰۵ (۱ دسامبر ۲۰۲۶)');
  });

  it('reads a Date in UTC, so a server in another zone says the same day', () => {
    expect(dayInBothCalendars(new Date('2025-03-20T23:30:00Z'), 'en')).toBe('20 March 2025 (30 Esfand 1403)');
    expect(dayInBothCalendars(new Date('2025-03-21T00:30:00Z'), 'en')).toBe('21 March 2025 (1 Farvardin 1404)');
  });

  it('writes Persian digits only in Persian', () => {
    expect(localDigits('Case 2024-17', 'fa')).toBe('Case ۲۰۲۴-۱۷');
    expect(localDigits(2024, 'en')).toBe('2024');
  });
});

describe('choosing the language', () => {
  it('takes ?lang= first, then Accept-Language by weight, else English', () => {
    expect(chooseLanguage('fa', 'en')).toBe('fa');
    expect(chooseLanguage('de', 'fa-IR,en;q=0.5')).toBe('fa');
    expect(chooseLanguage(undefined, 'de, en;q=0.4, fa;q=0.9')).toBe('fa');
    expect(chooseLanguage(undefined, 'fa;q=0, en;q=0.1')).toBe('en');
    expect(chooseLanguage(undefined, undefined)).toBe('en');
    expect(chooseLanguage(['fa'], 'de')).toBe('en');
  });

  it('turns the page right to left for Persian', () => {
    expect(directionOf('fa')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});
