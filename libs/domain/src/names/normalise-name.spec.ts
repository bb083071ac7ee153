import { isBlankName, normaliseName, nameWords } from './normalise-name';

const ZWNJ = '\u200C';

describe(normaliseName.name, () => {
  it.each([
    ['SHARMIN  MAYMANDINEJAD', 'Sharmin Maymandinejad'],
    ['Shérmin', 'Shermin'],
    ['Mohammadreza', 'Mohammad Reza'],
    ['Mohammadreza', 'Mohammad-Reza'],
    ['Imam Ali Popular Student Relief Society', 'imam-ali  popular.student relief society'],
    ["Ja'far", 'Jaʼfar'],
    ['İlkay', 'ilkay'],
    ['میمندي', 'میمندی'],
    ['میمندى', 'میمندی'],
    [`میمندی${ZWNJ}نژاد`, 'میمندی نژاد'],
    [`میمندی${ZWNJ}نژاد`, 'میمندینژاد'],
    ['كتايون', 'کتایون'],
    ['ﻛﺘﺎﻳﻮﻥ', 'کتایون'],
    ['فاطمة', 'فاطمه'],
    ['محمّد', 'محمد'],
    ['مـحـمـد', 'محمد'],
    ['أحمد', 'احمد'],
    ['إسماعيل', 'اسماعیل'],
    ['آزاده', 'ازاده'],
    ['رئیسی', 'رییسی'],
    ['مؤمنی', 'مومنی'],
    ['\u200Fکتایون\u200E', 'کتایون'],
    ['\u2067کتایون\u2069', 'کتایون'],
    ['\uFEFFکتایون', 'کتایون'],
    ['۱۲۳', '123'],
    ['١٢٣', '123'],
  ])('gives %j and %j the same key', (left, right) => {
    expect(normaliseName(left)).toBe(normaliseName(right));
  });

  it.each([
    ['نجاد', 'نژاد'],
    ['Meymandinejad', 'Maymandinejad'],
    ['کتایون', 'کتایوں'],
    ['Reza 1', 'Reza 2'],
  ])('tells %j and %j apart', (left, right) => {
    expect(normaliseName(left)).not.toBe(normaliseName(right));
  });

  it('keeps only lower-case letters and ASCII digits of a mixed name', () => {
    expect(normaliseName(' Sharmin Maymandinejad (۱۳۹۹) ')).toBe('sharminmaymandinejad1399');
  });

  it('folds Arabic letter forms to the Persian letters', () => {
    expect(normaliseName('كي')).toBe('\u06A9\u06CC');
  });

  it('gives the same key whatever the input normalisation form', () => {
    const composed = 'Shérmin آزاده'.normalize('NFC');
    expect(normaliseName(composed)).toBe(normaliseName(composed.normalize('NFD')));
  });
});

describe(isBlankName.name, () => {
  it.each(['', '   ', ZWNJ, ' - . ', 'ـ', '\u200F'])('treats %j as blank', (text) => {
    expect(isBlankName(text)).toBe(true);
  });

  it.each(['a', '۱', 'ی'])('treats %j as a name', (text) => {
    expect(isBlankName(text)).toBe(false);
  });
});

describe('nameWords', () => {
  const keys = (text: string) => nameWords(text).map((word) => word.key);

  it('keys the name from each word on, split at spaces and ZWNJ, with the letter forms folded', () => {
    expect(nameWords('Sharmin  Maymandinejad')).toEqual([
      { word: 'Sharmin', key: 'sharminmaymandinejad' },
      { word: 'Maymandinejad', key: 'maymandinejad' },
    ]);
    expect(keys('شارمین میمندی\u200Cنژاد')).toEqual(['شارمینمیمندینژاد', 'میمندینژاد', 'نژاد']);
    expect(keys('شارمين ميمندي نجاد')).toEqual(['شارمینمیمندینجاد', 'میمندینجاد', 'نجاد']);
  });

  it('drops words with nothing to match and repeats no key', () => {
    expect(keys(' Ali - Ali \u200F')).toEqual(['aliali', 'ali']);
    expect(keys('Ali Ali Ali')).toEqual(['alialiali', 'aliali', 'ali']);
    expect(keys('Ali Reza Ali Reza')).toEqual(['alirezaalireza', 'rezaalireza', 'alireza', 'reza']);
  });
});
