import { normaliseName } from './normalise-name';

/**
 * Keys beyond the intake's, for names that may denote the same person or organisation but that the
 * intake's key (normaliseName) keeps apart on purpose: they propose a pair to a person who decides, and
 * never merge anything. Each key is compared, never shown. See docs/architecture.md, "Who may be the same".
 *
 * Three reasons, strongest first: the same loose Persian key, the same Latin transliteration key, and one
 * letter apart (in the loose or transliteration key) inside a word of eight letters or more.
 */
export const SIMILAR_NAME_REASONS = ['persian_letters', 'transliteration', 'one_letter_apart'] as const;
export type SimilarNameReason = (typeof SIMILAR_NAME_REASONS)[number];

/** Which of the two scripts a name is written in; a name mixing them (or in another script) has no loose key. */
export type NameScript = 'persian' | 'latin';

/** Shorter words than this never make a pair by one letter: Hamid / Hamed, Reza / Raza are different names. */
export const ONE_LETTER_APART_MIN_LETTERS = 8;

// Letters Persian writers and Arabic-language sites interchange for the same name: Arabic has no ژ, چ, پ or
// گ and writes ج, ب and ک/ك for them. The intake keeps them apart (نژاد ≠ نجاد can be two families); this key
// does not, so the pair reaches a person. The Arabic forms ي ك ة are already folded by normaliseName.
const LOOSE_PERSIAN_FOLDS: Readonly<Record<string, string>> = {
  '\u0698': '\u062C', // ژ → ج
  '\u0686': '\u062C', // چ → ج
  '\u067E': '\u0628', // پ → ب
  '\u06AF': '\u06A9', // گ → ک
};
const ARABIC_SCRIPT_KEY = /^[\p{Script=Arabic}\d]+$/u;
const LATIN_KEY = /^[a-z\d]+$/;

// Words, for the eight-letter rule: split on spaces only. A ZWNJ or a hyphen joins the parts of one
// compound word («میمندی‌نژاد», Amani-Nejad), so the compound counts as one long word.
const SPACES = /\s+/u;

// The ending "-nejad" (نژاد, "of the lineage of") and its spellings, as one form.
const NEJAD_ENDING = /(?:nejaad|nezhad|nejhad|neyad|nejad)$/;

// Vowels and diphthongs of transliterations of Persian, one pass from left to right (a replacement is not
// read again). Persian writes no short vowels, so sources pick a, e or o freely: e and a are one letter
// (Mehdi/Mahdi, Ahmad/Ahmed), o and u another (Mohammad/Muhammad, Hossein/Hussein). The diphthongs
// ey/ay/ei/ai are written e (Keymanesh/Kaymanesh, Heidari/Heydari): folded with e, they end up as a too.
// A final -aei/-aee/-aie/-ai (ـایی: Rezaei, Rezai, Mirzaee) stays "ai" so that it is not Reza; a final
// -ei/-ee (ـیی: Shafiei, Shafiee) is i. Nothing folds i with e: that would make Hamid Hamed.
const VOWELS = /(?<finalAi>aei|aee|aie|ai)$|(?<finalI>ei|ee)$|ey|ay|ei|ai|ou|oo|e|o/g;
const VOWEL_FOLDS: Readonly<Record<string, string>> = {
  ey: 'a',
  ay: 'a',
  ei: 'a',
  ai: 'a',
  ou: 'u',
  oo: 'u',
  e: 'a',
  o: 'u',
};

/** The letters of a word, lowercase and without diacritics, when every one of them is a–z (else undefined). */
function latinLetters(word: string): string | undefined {
  const letters = word
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
  return LATIN_KEY.test(letters) ? letters : undefined;
}

/** One word's transliteration key: the stem's spelling variants folded, the -nejad ending as one form. */
function transliterateWord(letters: string): string {
  const ending = NEJAD_ENDING.exec(letters);
  let stem = ending ? letters.slice(0, ending.index) : letters;
  stem = stem
    .replace(/th/g, 't') // Athena / Atena
    .replace(/gh/g, 'q') // Ghasemi / Qasemi, Sadegh / Sadeq
    .replace(/zh/g, 'j') // ژ written zh or j
    .replace(/^i/, 'e') // Ibrahim / Ebrahim, Ismail / Esmail
    .replace(/(?:eh|ah)$/, 'e') // Fatemeh / Fateme, Bahareh / Bahare
    .replace(/iy/g, 'i') // Dariyoush / Dariush, Siyamak / Siamak
    .replace(/([^aeiouy])y(?=[aeiou])/g, '$1i') // Maryam / Mariam, Daryoush / Dariush
    .replace(/(?<=[aeiou])j(?=[aeiou])/g, 'y') // Roja / Roya
    .replace(VOWELS, (match, finalAi?: string, finalI?: string) => (finalAi ? 'ai' : finalI ? 'i' : VOWEL_FOLDS[match]))
    .replace(/(.)\1+/g, '$1'); // Hossein / Hosein, Abbas / Abas, Saeed → saad → sad
  return stem + (ending ? 'nejad' : '');
}

/** One word's loose Persian key: the intake's key, and the letters Arabic writes for Persian ones folded. */
function loosePersianWord(word: string): string {
  return Array.from(normaliseName(word), (letter) => LOOSE_PERSIAN_FOLDS[letter] ?? letter).join('');
}

/**
 * The loose key of a name, word by word (spaces dropped), and the script it belongs to: the loose
 * Persian key for a name written in Arabic script, the transliteration key for one in Latin letters,
 * undefined for anything else (a name mixing scripts, or in another one).
 */
export interface LooseKey {
  script: NameScript;
  key: string;
  /** The key of each word in order; joined they are `key`. */
  words: string[];
}

export function looseKey(name: string): LooseKey | undefined {
  const words = name.split(SPACES).filter((word) => normaliseName(word) !== '');
  if (words.length === 0) return undefined;
  const persian = words.map(loosePersianWord);
  if (persian.every((word) => ARABIC_SCRIPT_KEY.test(word)) && persian.some((word) => /\D/.test(word))) {
    return { script: 'persian', key: persian.join(''), words: persian };
  }
  const latin = words.map(latinLetters);
  if (latin.every((word): word is string => word !== undefined)) {
    const keys = latin.map(transliterateWord).filter((word) => word !== '');
    if (keys.length > 0) return { script: 'latin', key: keys.join(''), words: keys };
  }
  return undefined;
}

/** The loose Persian key («شارمین میمندي نجاد» and «شارمین میمندی‌نژاد» give one), undefined for other scripts. */
export function loosePersianKey(name: string): string | undefined {
  const key = looseKey(name);
  return key?.script === 'persian' ? key.key : undefined;
}

/** The Latin transliteration key (Meymandinezhad and Maymandinejad give one), undefined for other scripts. */
export function transliterationKey(name: string): string | undefined {
  const key = looseKey(name);
  return key?.script === 'latin' ? key.key : undefined;
}

/**
 * One of the keys a loose key gives with one letter left out: `key` without the letter at `position`.
 * `long` says the letter lies in a word of eight letters or more. Two names are one letter apart when
 * one's loose key is a deletion of the other's, or they share a deletion at the same position (one letter
 * changed); the letter must lie in a long word of one of them (see oneLetterApart).
 */
export interface Deletion {
  key: string;
  position: number;
  long: boolean;
}

/**
 * Every deletion of a loose key of eight letters or more (none for a shorter one: it could only be one
 * letter apart from a longer name, and that name's deletions find it). Characters are code points.
 */
export function deletions({ words }: LooseKey): Deletion[] {
  const letters = words.flatMap((word) =>
    Array.from(word, () => Array.from(word).length >= ONE_LETTER_APART_MIN_LETTERS),
  );
  const key = Array.from(words.join(''));
  if (key.length < ONE_LETTER_APART_MIN_LETTERS) return [];
  const seen = new Set<string>();
  const result: Deletion[] = [];
  key.forEach((_, position) => {
    const deleted = [...key.slice(0, position), ...key.slice(position + 1)].join('');
    const id = `${position}:${deleted}`;
    if (seen.has(id)) return;
    seen.add(id);
    result.push({ key: deleted, position, long: letters[position] });
  });
  return result;
}

/**
 * True when two loose keys of one script are one letter apart inside a word of eight letters or more,
 * by the very rule the stored deletions implement (libs/projections' similar-names projection).
 */
export function oneLetterApart(a: LooseKey, b: LooseKey): boolean {
  if (a.script !== b.script || a.key === b.key) return false;
  const ofA = deletions(a);
  const ofB = deletions(b);
  // One letter more in b (or a): the shorter whole key is a deletion of the longer, in a long word.
  if (ofB.some((d) => d.long && d.key === a.key) || ofA.some((d) => d.long && d.key === b.key)) return true;
  // One letter changed: the same deletion at the same place, and that place in a long word of either.
  return ofA.some((d) => ofB.some((e) => e.key === d.key && e.position === d.position && (d.long || e.long)));
}

/** Why two names may denote the same one, the strongest reason first; undefined when nothing suggests it. */
export function similarNameReason(a: string, b: string): SimilarNameReason | undefined {
  const keyA = looseKey(a);
  const keyB = looseKey(b);
  if (!keyA || !keyB || keyA.script !== keyB.script) return undefined;
  if (keyA.key === keyB.key) return keyA.script === 'persian' ? 'persian_letters' : 'transliteration';
  return oneLetterApart(keyA, keyB) ? 'one_letter_apart' : undefined;
}
