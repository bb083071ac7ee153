import { writeFileSync } from 'node:fs';
import { createPgPool, migrateDatabase } from '@vigil/platform';
import { ScaleLog } from './scale-log';

/**
 * Builds the scale bench's log in a database that stays (the bench drops its own): migrates DATABASE_URL,
 * grows it to `size` events (default a million) as bench/scale.bench.ts does, ANALYZEs it as autovacuum would,
 * and writes the subjects a measurement needs (the watched person and organisation, ...) as JSON to `out`.
 * For investigating a grown database by hand; see docs/scaling.md.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/scale1m npx ts-node --swc -r tsconfig-paths/register \
 *     bench/scale/grow-log.ts 1000000 /tmp/scale1m.json
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const size = Number(process.argv[2] ?? 1_000_000);
  const out = process.argv[3];
  await migrateDatabase(url);
  const pool = createPgPool(url, 4, 'vigil-grow-log');
  try {
    const log = new ScaleLog(Math.round(size / 1_000));
    for (let next = 100_000; ; next = Math.min(size, next + 100_000)) {
      const seconds = await log.growTo(pool, next);
      process.stdout.write(`${JSON.stringify({ events: log.events, seconds: Math.round(seconds) })}\n`);
      if (next >= size) break;
    }
    await pool.query('ANALYZE');
    if (out)
      writeFileSync(
        out,
        JSON.stringify({
          events: log.events,
          incidents: log.incidents,
          watchedPerson: log.watchedPerson,
          memberOfWatched: log.memberOfWatched,
          busyPerson: log.busyPerson,
          watchedOrganization: log.watchedOrganization,
          firstOrganization: log.organizations[0],
        }),
      );
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
