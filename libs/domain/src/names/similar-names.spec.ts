import {
  deletions,
  looseKey,
  loosePersianKey,
  oneLetterApart,
  similarNameReason,
  transliterationKey,
} from './similar-names';

const ZWNJ = '\u200C';

describe(loosePersianKey.name, () => {
  it.each([
    [`شارمین میمندی${ZWNJ}نژاد`, 'شارمین میمندي نجاد'], // Arabic yeh, a space for the ZWNJ, ج for ژ
    ['پویا', 'بویا'],
    ['گلرخ', 'كلرخ'],
    ['چمران', 'جمران'],
    ['فاطمه', 'فاطمة'],
    [`کی${ZWNJ}منش`, 'کیمنش'],
  ])('gives %j and %j one key', (left, right) => {
    expect(loosePersianKey(left)).toBeDefined();
    expect(loosePersianKey(left)).toBe(loosePersianKey(right));
  });

  it.each([
    ['حامد', 'حمید'],
    ['رحیمی', 'رحمانی'],
  ])('keeps %j and %j apart', (left, right) => {
    expect(loosePersianKey(left)).not.toBe(loosePersianKey(right));
  });

  it('has no loose Persian key for a Latin name, nor one mixing scripts', () => {
    expect(loosePersianKey('Sharmin')).toBeUndefined();
    expect(loosePersianKey('Sharmin میمندی')).toBeUndefined();
    expect(looseKey('Sharmin میمندی')).toBeUndefined();
  });
});

describe(transliterationKey.name, () => {
  it.each([
    ['Meymandinejad', 'Maymandinejad'],
    ['Meymandinejad', 'Meymandineyad'],
    ['Meymandinejad', 'Meymandinezhad'],
    ['Meymandinejad', 'Meymandinejaad'],
    ['Keymanesh', 'Kaymanesh'],
    ['Katayoun', 'Katayun'],
    ['Katayoun', 'Katayoon'],
    ['Hossein', 'Hussein'],
    ['Mohammad', 'Muhammad'],
    ['Mehdi', 'Mahdi'],
    ['Fatemeh', 'Fateme'],
    ['Sara', 'Sarah'],
    ['Saeed', 'Said'],
    ['Saeid', 'Said'],
    ['Ghasemi', 'Qasemi'],
    ['Heidari', 'Haydari'],
    ['Maryam', 'Mariam'],
    ['Ebrahim', 'Ibrahim'],
    ['Rezaei', 'Rezai'],
    ['Shafiei', 'Shafiee'],
    ['Amani-Nejad', 'Amaninezhad'],
    ['Amani Nejad', 'Amaninejad'],
    ['Sharmin Maymandinejad', 'SHARMIN  MEYMANDINEZHAD'],
    ['Katayoun', 'Kätâyoun'],
  ])('gives %j and %j one key', (left, right) => {
    expect(transliterationKey(left)).toBeDefined();
    expect(transliterationKey(left)).toBe(transliterationKey(right));
  });

  it.each([
    ['Hamid', 'Hamed'],
    ['Rahimi', 'Rahmani'],
    ['Reza', 'Rezaei'],
    ['Sharmin Maymandinejad', 'Zahra Rahimi'],
    ['Hamed Yavari', 'Hossein Amaninejad'],
  ])('keeps %j and %j apart', (left, right) => {
    expect(transliterationKey(left)).not.toBe(transliterationKey(right));
  });

  it('has no transliteration key for a name in Persian or another script', () => {
    expect(transliterationKey('میمندی')).toBeUndefined();
    expect(transliterationKey('Шармин')).toBeUndefined();
    expect(looseKey('  - ')).toBeUndefined();
  });
});

describe(deletions.name, () => {
  it('leaves out each letter of a key of eight letters or more, and marks those of long words', () => {
    const key = looseKey('Ki Manesh')!;
    expect(key.key).toBe('kimanash');
    const found = deletions(key);
    expect(found).toHaveLength(8);
    expect(found[1]).toEqual({ key: 'kmanash', position: 1, long: false });
    expect(deletions(looseKey('Keymanesh')!)[1]).toEqual({ key: 'kmanash', position: 1, long: true });
  });

  it('gives none for a shorter key', () => {
    expect(deletions(looseKey('Ali Reza')!)).toEqual([]);
  });
});

describe(oneLetterApart.name, () => {
  it.each([
    ['Keymanesh', 'Ki Manesh'], // a letter changed in the long word of one of them
    ['Sharmin Maymandinejad', 'Sharmin Maymandenejad'],
    ['Khosravani', 'Khosravini'],
    ['Sotoudehnia', 'Sotoudenia'],
  ])('finds %j and %j one letter apart', (left, right) => {
    expect(oneLetterApart(looseKey(left)!, looseKey(right)!)).toBe(true);
  });

  it('finds a letter more or less in a long word', () => {
    expect(oneLetterApart(looseKey('Maymandinejad')!, looseKey('Maymandnejad')!)).toBe(true);
    expect(oneLetterApart(looseKey('Maymandnejad')!, looseKey('Maymandinejad')!)).toBe(true);
  });

  it.each([
    ['Hamid Rahimi', 'Hamed Rahimi'], // whole names of eleven letters, but the letter lies in a five-letter word
    ['Ali Karimi', 'Ali Rahimi'],
    ['Maymandinejad', 'Maymandinejad'],
    ['Maymandinejad', 'Mymndinejad'], // two letters
    ['Tabrizian', 'Tabrizi'], // two letters more
  ])('keeps %j and %j apart', (left, right) => {
    expect(oneLetterApart(looseKey(left)!, looseKey(right)!)).toBe(false);
  });

  it('never pairs names of two scripts', () => {
    expect(oneLetterApart(looseKey('میمندی‌نژاد')!, looseKey('Maymandinejad')!)).toBe(false);
  });
});

describe(similarNameReason.name, () => {
  it.each([
    ['Sharmin Maymandinejad', 'Sharmin Meymandineyad', 'transliteration'],
    ['Sharmin Maymandinejad', 'Sharmin Meymandinezhad', 'transliteration'],
    [`شارمین میمندی${ZWNJ}نژاد`, 'شارمین میمندي نجاد', 'persian_letters'],
    ['Morteza Keymanesh', 'Morteza Kaymanesh', 'transliteration'],
    ['Morteza Keymanesh', 'Morteza Ki Manesh', 'one_letter_apart'],
    ['Katayoun Afrazeh', 'Katayun Afrazeh', 'transliteration'],
  ])('gives %j and %j the reason %s', (left, right, reason) => {
    expect(similarNameReason(left, right)).toBe(reason);
    expect(similarNameReason(right, left)).toBe(reason);
  });

  it.each([
    ['Sharmin Maymandinejad', 'Zahra Rahimi'],
    ['Hamed Yavari', 'Hossein Amaninejad'],
    ['Hamid', 'Hamed'],
    ['Sharmin Maymandinejad', `شارمین میمندی${ZWNJ}نژاد`],
  ])('gives %j and %j none', (left, right) => {
    expect(similarNameReason(left, right)).toBeUndefined();
  });
});
