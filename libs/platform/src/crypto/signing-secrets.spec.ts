import type { Pool } from 'pg';
import { SecretBox } from './secret-box';
import { SigningSecrets } from './signing-secrets';

describe(SigningSecrets.name, () => {
  /** A pool that knows no owner and counts what it is asked (the one stand-in of this unit). */
  const emptyPool = () => {
    const asked: string[] = [];
    const pool = {
      query: async (_: string, [id]: [string]) => {
        asked.push(id);
        return { rows: [] };
      },
    } as unknown as Pool;
    return { pool, asked };
  };
  const secretsOn = (pool: Pool) =>
    new SigningSecrets(pool, new SecretBox('k'.repeat(32)), 'source_secrets', 'source_id');

  it('remembers an unknown owner, so asking again costs no query', async () => {
    const { pool, asked } = emptyPool();
    const secrets = secretsOn(pool);
    for (let i = 0; i < 5; i++) expect(await secrets.valid('ghost')).toEqual([]);
    expect(asked).toEqual(['ghost']);
    secrets.forget('ghost');
    await secrets.valid('ghost');
    expect(asked).toEqual(['ghost', 'ghost']);
  });

  it('remembers at most 10,000 owners, the oldest going first', async () => {
    const { pool, asked } = emptyPool();
    const secrets = secretsOn(pool);
    for (let i = 0; i <= 10_000; i++) await secrets.valid(`invented-${i}`);
    asked.length = 0;
    await secrets.valid('invented-10000');
    await secrets.valid('invented-1');
    expect(asked).toEqual([]);
    await secrets.valid('invented-0');
    expect(asked).toEqual(['invented-0']);
  });
});
