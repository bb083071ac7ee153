import { DEFAULT_SOURCE_KIND, SOURCE_KIND_NAMES, SOURCE_KINDS, SOURCE_RELIABILITIES } from './source-kinds';

describe('source kinds', () => {
  it('lists the kinds of the contract, hr_ngo first and the default', () => {
    expect(SOURCE_KIND_NAMES).toEqual([
      'hr_ngo',
      'independent_media',
      'state_media',
      'official',
      'lawyer',
      'family',
      'witness',
      'anonymous',
      'other',
    ]);
    expect(DEFAULT_SOURCE_KIND).toBe('hr_ngo');
  });

  it('lets no anonymous source corroborate, and counts only official and state media as acknowledgement', () => {
    expect(SOURCE_KIND_NAMES.filter((kind) => !SOURCE_KINDS[kind].corroborates)).toEqual(['anonymous']);
    expect(SOURCE_KIND_NAMES.filter((kind) => SOURCE_KINDS[kind].acknowledges)).toEqual(['state_media', 'official']);
  });

  it('grades reliability A to F, upper case', () => {
    expect(SOURCE_RELIABILITIES).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });
});
