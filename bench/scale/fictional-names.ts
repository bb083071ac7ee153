import names from './persian-names.json';

/**
 * Names of people and organisations that do not exist, made of common Persian given names and surnames
 * (persian-names.json, a copy of the seed list): half in Persian script, half in Latin, each with the other
 * script's spelling as its alias, so that the name tables and the search hold both scripts as a real log does.
 * A person is "given given family" (Mohammad Reza Rahimi): 70 × 70 × 66 = 323,400 distinct names, handed out
 * by a bijection of the index so that neighbours do not share their first word.
 */
interface Spelling {
  fa: string;
  latin: string[];
}

const GIVEN: Spelling[] = names.given;
const FAMILY: Spelling[] = names.family;
export const PERSON_NAMES = GIVEN.length * GIVEN.length * FAMILY.length;
/** Coprime with PERSON_NAMES (2³·3·5²·7²·11), so i → i·STRIDE mod PERSON_NAMES visits every name once. */
const STRIDE = 7_919;

export interface FictionalName {
  name: string;
  alias: string;
}

function spell(parts: Spelling[], persian: boolean, variant: number): string {
  return parts.map((part) => (persian ? part.fa : part.latin[variant % part.latin.length])).join(' ');
}

/** The i-th person's name (0 ≤ i < PERSON_NAMES), in one script, with the other script's as alias. */
export function personName(i: number): FictionalName {
  if (i < 0 || i >= PERSON_NAMES) throw new Error(`only ${PERSON_NAMES} fictional person names`);
  const n = (i * STRIDE) % PERSON_NAMES;
  const parts = [
    GIVEN[n % GIVEN.length],
    GIVEN[Math.floor(n / GIVEN.length) % GIVEN.length],
    FAMILY[Math.floor(n / (GIVEN.length * GIVEN.length))],
  ];
  const persian = i % 2 === 0;
  return { name: spell(parts, persian, i), alias: spell(parts, !persian, i) };
}

const KINDS = [
  { fa: 'انجمن', latin: 'Society' },
  { fa: 'کانون', latin: 'Association' },
  { fa: 'اتحادیه', latin: 'Union' },
  { fa: 'بنیاد', latin: 'Foundation' },
  { fa: 'مؤسسه', latin: 'Institute' },
];
export const ORGANIZATION_NAMES = KINDS.length * FAMILY.length * GIVEN.length;

/** The i-th organisation's name ("Rahimi Ali Society" / «انجمن رحیمی علی»), with the other script's as alias. */
export function organizationName(i: number): FictionalName {
  if (i < 0 || i >= ORGANIZATION_NAMES) throw new Error(`only ${ORGANIZATION_NAMES} fictional organisation names`);
  const kind = KINDS[i % KINDS.length];
  const family = FAMILY[Math.floor(i / KINDS.length) % FAMILY.length];
  const given = GIVEN[Math.floor(i / (KINDS.length * FAMILY.length))];
  const fa = `${kind.fa} ${family.fa} ${given.fa}`;
  const latin = `${family.latin[0]} ${given.latin[0]} ${kind.latin}`;
  return i % 2 === 0 ? { name: fa, alias: latin } : { name: latin, alias: fa };
}

/** Words a searcher would type: a surname's beginning, in either script. */
export function searchWord(i: number): string {
  const family = FAMILY[i % FAMILY.length];
  const word = i % 2 === 0 ? family.fa : family.latin[0];
  return word.slice(0, Math.max(3, word.length - 2));
}
