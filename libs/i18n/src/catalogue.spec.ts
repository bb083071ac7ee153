import { en } from './messages/en';
import { CATALOGUES, placeholdersOf, translate } from './catalogue';
import { LANGUAGES } from './languages';

describe('message catalogues', () => {
  const keys = Object.keys(en);

  it.each(LANGUAGES)('%s has every key of the English catalogue, none empty and none extra', (language) => {
    const catalogue = CATALOGUES[language] as Record<string, string>;
    expect(keys.filter((key) => !Object.hasOwn(catalogue, key))).toEqual([]);
    expect(Object.keys(catalogue).filter((key) => !Object.hasOwn(en, key))).toEqual([]);
    expect(keys.filter((key) => !catalogue[key]?.trim())).toEqual([]);
  });

  it.each(LANGUAGES)('%s takes the same placeholders as English in every message', (language) => {
    const catalogue = CATALOGUES[language] as Record<string, string>;
    const differing = keys.filter(
      (key) =>
        placeholdersOf(catalogue[key] ?? '').join() !== placeholdersOf((en as Record<string, string>)[key]).join(),
    );
    expect(differing).toEqual([]);
  });

  it('fills placeholders, writing numbers in Persian digits in Persian', () => {
    expect(translate('en', 'error.csrf.title')).toBe('This form has expired');
    (CATALOGUES.en as Record<string, string>)['test.count'] = '{n} names for {who}';
    (CATALOGUES.fa as Record<string, string>)['test.count'] = '{n} نام برای {who}';
    try {
      expect(translate('en', 'test.count' as never, { n: 12, who: 'A1' })).toBe('12 names for A1');
      expect(translate('fa', 'test.count' as never, { n: 12, who: 'A1' })).toBe('۱۲ نام برای A1');
    } finally {
      delete (CATALOGUES.en as Record<string, string>)['test.count'];
      delete (CATALOGUES.fa as Record<string, string>)['test.count'];
    }
  });
});
