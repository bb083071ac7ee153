import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NameEntry {
  fa: string;
  latin: string[];
}

/** Common Persian given and family names, each in Persian script with the Latin spellings sources use. */
export const PERSIAN_NAMES: { given: NameEntry[]; family: NameEntry[] } = JSON.parse(
  readFileSync(join(__dirname, '../test/fixtures/persian-names.json'), 'utf8'),
);
