import { BlankNameError } from './blank-name.error';

/**
 * Matching keys for person and organisation names. The key is only ever compared, never shown: the
 * name as given is stored next to it. Two spellings that a reader of Persian or of a transliteration
 * would take for the same name must give the same key; two different names must not.
 */

// Arabic letter forms that Persian writes differently, folded to the Persian letter. Runs after NFKD,
// which has already split hamza and madda off their seats (أ إ آ ؤ ئ ۀ → seat + combining mark) and
// turned presentation forms (ﻛ ﯼ ﻻ …) into plain letters, so only undecomposable forms are listed.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي Arabic yeh → ی
  '\u0649': '\u06CC', // ى alef maksura → ی
  '\u0643': '\u06A9', // ك Arabic kaf → ک
  '\u0629': '\u0647', // ة teh marbuta → ه
  '\u06D5': '\u0647', // ە ae (what remains of ۀ) → ه
  '\u06C1': '\u0647', // ہ heh goal (what remains of ۂ) → ه
  '\u0671': '\u0627', // ٱ alef wasla → ا
  '\u0672': '\u0627', // ٲ alef with wavy hamza above → ا
  '\u0673': '\u0627', // ٳ alef with wavy hamza below → ا
};

// Dropping the marks NFKD split off is a deliberate choice for the hamza and the madda too: آ → ا,
// ؤ → و, ئ → ی. Persian spelling of these is unsettled in practice (آزاده/ازاده, رئیسی/رییسی,
// مؤمن/مومن all occur for the same person), and the seat letter still carries the name.
const COMBINING_MARKS = /\p{M}/gu;

// What is not a letter or a digit does not distinguish names: spaces, ZWNJ/ZWJ (U+200C/D), bidi and
// other format marks (Cf), hyphens, dots, apostrophes. Tatweel (ـ) and the spacing modifier letters
// left after NFKD (ʼ ʻ ʾ ʿ of transliterations, U+02B0–U+02FF) and the high hamza ٴ are letters to
// Unicode but only decoration or a hamza sign here.
const NOT_NAME_CHARACTERS = /[^\p{L}\p{N}]|[\u0640\u02B0-\u02FF\u0674]/gu;

const PERSIAN_DIGIT_ZERO = 0x06f0; // ۰
const ARABIC_INDIC_DIGIT_ZERO = 0x0660; // ٠

function foldCharacter(character: string): string {
  const folded = LETTER_FOLDS[character];
  if (folded !== undefined) return folded;
  const code = character.codePointAt(0)!;
  if (code >= PERSIAN_DIGIT_ZERO && code <= PERSIAN_DIGIT_ZERO + 9) return String(code - PERSIAN_DIGIT_ZERO);
  if (code >= ARABIC_INDIC_DIGIT_ZERO && code <= ARABIC_INDIC_DIGIT_ZERO + 9) {
    return String(code - ARABIC_INDIC_DIGIT_ZERO);
  }
  return character;
}

/** The matching key of a name: "Mohammad-Reza", «محمدرضا» and «محمد‌رضا» each give one key. */
export function normaliseName(text: string): string {
  // toLowerCase, not toLocaleLowerCase: the key must not depend on the server's locale (Turkish İ/ı).
  // It runs after NFKD so that İ has already lost its dot as a combining mark.
  const decomposed = text.normalize('NFKD').toLowerCase().replace(COMBINING_MARKS, '');
  return Array.from(decomposed, foldCharacter).join('').replace(NOT_NAME_CHARACTERS, '');
}

/** True when nothing of the name is left to match on ("  ", "‌", "-"); callers must refuse such a name. */
export function isBlankName(text: string): boolean {
  return normaliseName(text) === '';
}

/** The key of a name that must be matchable: throws BlankNameError when nothing is left of it. */
export function nameKey(text: string): string {
  const key = normaliseName(text);
  if (key === '') throw new BlankNameError(text);
  return key;
}

// Where one word of a name ends and the next begins: spaces and the ZWNJ (U+200C) that Persian writes
// inside a word («میمندی‌نژاد» → میمندی, نژاد), which the whole-name key drops as it drops a space.
const WORD_BREAKS = /[\s\u200C]+/u;

/** One word of a name as written, and the key of the name from that word on. */
export interface NameWord {
  word: string;
  key: string;
}

/**
 * Each word of a name with the key of the name from that word to its end, in order, each key once and
 * none blank: search matches a prefix of these besides the whole key, so that the beginning of any word,
 * and of the words after it, finds the name ("Imam Ali Popular Student Relief Society" → …,
 * reliefsociety, society: `relief` and `Relief Society` both find it).
 */
export function nameWords(text: string): NameWord[] {
  const words = text
    .split(WORD_BREAKS)
    .map((word) => ({ word, key: normaliseName(word) }))
    .filter(({ key }) => key !== '');
  const byKey = new Map<string, NameWord>();
  words.forEach(({ word }, i) => {
    const key = words
      .slice(i)
      .map((later) => later.key)
      .join('');
    if (!byKey.has(key)) byKey.set(key, { word, key });
  });
  return [...byKey.values()];
}
