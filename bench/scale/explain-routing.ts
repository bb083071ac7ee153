import { createPgPool } from '@vigil/platform';
import { ROUTE_RECORDED_SQL } from '../../libs/alerts/src/alert-router';

const TYPES = ['uuid', 'uuid[]', 'uuid[]', 'text[]', 'text[]', 'text', 'timestamptz', 'bigint', 'text[]'];

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the recorded routing (alert-router-route-recorded) for the first incident
 * recorded at or after a position of a grown log (bench/scale/grow-log.ts), as a custom and as its generic
 * plan, in a transaction rolled back. Each plan is run twice and the second run printed (the first warms
 * the cache). For the router's catch-up in docs/scaling.md.
 *   DATABASE_URL=… npx ts-node --swc -r tsconfig-paths/register bench/scale/explain-routing.ts 900000 \
 *     [force_custom_plan,force_generic_plan]
 */
async function main(): Promise<void> {
  const pool = createPgPool(process.env.DATABASE_URL!, 1, 'vigil-explain-routing');
  const client = await pool.connect();
  try {
    const { rows } = await client.query(
      `SELECT position, type, data, recorded_at FROM events
        WHERE position >= $1 AND type LIKE '%Recorded' AND type <> 'MembershipRecorded' ORDER BY position LIMIT 1`,
      [Number(process.argv[2] ?? 900_000)],
    );
    const [{ position, type, data, recorded_at: recordedAt }] = rows;
    const persons = data.persons as { personId: string; key: string }[];
    const organizations = data.organizations as { organizationId: string; key: string }[];
    const values = [
      data.incidentId,
      persons.map((p) => p.personId),
      organizations.map((o) => o.organizationId),
      persons.map((p) => p.key),
      organizations.map((o) => o.key),
      type,
      (recordedAt as Date).toISOString(),
      position,
      ['reported'],
    ];
    const literal = (value: unknown) =>
      client.escapeLiteral(Array.isArray(value) ? `{${value.map((v) => `"${v}"`).join(',')}}` : String(value));
    const parameters = [
      ...values.map((value, i) => `${literal(value)}::${TYPES[i]}`),
      `${literal([data.incidentId])}::uuid[]`,
      `'explain'`,
    ];
    process.stdout.write(`position ${position}, ${type}, ${persons.length} person(s)\n`);
    for (const mode of (process.argv[3] ?? 'force_custom_plan,force_generic_plan').split(',')) {
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL plan_cache_mode = ${mode}`);
        await client.query(`PREPARE routing AS ${ROUTE_RECORDED_SQL}`);
        let plan: string[] = [];
        for (let run = 0; run < 2; run++) {
          const explained = await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE routing(${parameters.join(', ')})`);
          plan = explained.rows.map((row) => row['QUERY PLAN'] as string);
        }
        process.stdout.write(`--- ${mode}\n${plan.join('\n')}\n`);
      } finally {
        await client.query('ROLLBACK');
        await client.query('DEALLOCATE ALL');
      }
    }
  } finally {
    client.release();
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
