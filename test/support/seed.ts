import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The incidents of the case that started the project (test/fixtures), as a partner reports them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function seedReports(): any[] {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures/imam-ali-society.json'), 'utf8'));
}
