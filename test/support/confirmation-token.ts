import type { Pool } from 'pg';
import { SecretBox } from '@vigil/platform';

/**
 * The confirmation token of the latest subscribe request, read from its confirmation mail's row as the
 * worker would read it: for suites whose worker must not send that mail (a child process whose SMTP
 * server the test holds). A subscription confirmed before the worker takes the job gets no mail at all.
 */
export async function latestConfirmationToken(pool: Pool, secretsKey: string): Promise<string> {
  const { rows } = await pool.query<{ contentBox: string }>(
    `SELECT content_box AS "contentBox" FROM confirmation_mails ORDER BY created_at DESC LIMIT 1`,
  );
  if (!rows[0]) throw new Error('no confirmation mail was recorded');
  return (JSON.parse(new SecretBox(secretsKey).open(rows[0].contentBox)) as { token: string }).token;
}
