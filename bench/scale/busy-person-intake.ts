import { randomUUID } from 'node:crypto';
import {
  decideReport,
  incidentStreamId,
  parsePartialDate,
  type IncidentEvent,
  type PartialDate,
  type RecordIncident,
} from '@vigil/domain';
import { EventStore, type StreamAppend } from '@vigil/event-store';
import { createLogger, createPgPool, ErrorReporter, Metrics } from '@vigil/platform';
import { IncidentMatchIndex } from '../../apps/api/src/intake/incident-match-index';
import { percentile } from '../stats';

/**
 * A report about a person already named by many incidents of its type (docs/scaling.md, "One person, fifty
 * reports a second"): what the intake's matching costs for a famous prisoner with `--incidents` arrests (1,000
 * by default, a week apart, each reported by two sources) against a person with ten, in turns in one run.
 * Each report goes the intake's usual way (IncidentMatchIndex: the candidates read without the lock and
 * folded, decideReport, then vigil_record_reports' lock, check, append and index rows); half of them are a
 * third source of an arrest already recorded, half a new arrest on a day no other is near.
 *   DATABASE_URL=<an empty, migrated database> npx ts-node --swc -r tsconfig-paths/register \
 *     bench/scale/busy-person-intake.ts [--incidents 1000] [--reports 200]
 */
const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_DAY = Date.parse('2005-01-01');
const SPACING_DAYS = 7;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Person {
  personId: string;
  name: string;
  /** Days of her arrests, in order. */
  days: string[];
}

const source = (n: number) => ({ sourceId: randomUUID(), name: `Monitor ${n}`, kind: 'hr_ngo' as const });

function recordedEvent(person: Person, incidentId: string, occurredOn: PartialDate, by: number): IncidentEvent {
  return {
    type: 'ArrestRecorded',
    schemaVersion: 2,
    data: {
      incidentId,
      reportedBy: source(by),
      externalId: `arrest-${incidentId}`,
      occurredOn,
      persons: [{ personId: person.personId, name: person.name, key: person.name.toLowerCase() }],
      organizations: [],
      details: { authority: 'security forces' },
      source: { name: `Monitor ${by}`, status: 'confirmed' },
    },
  } as IncidentEvent;
}

/** A person with `count` arrests a week apart, each with a second source, and their index rows. */
async function personWith(store: EventStore, index: IncidentMatchIndex, count: number): Promise<Person> {
  const person: Person = { personId: randomUUID(), name: `Prisoner ${count}`, days: [] };
  for (let start = 0; start < count; start += 200) {
    const appends: StreamAppend[] = [];
    const ids: string[] = [];
    for (let i = start; i < Math.min(count, start + 200); i++) {
      const incidentId = randomUUID();
      const day = isoDay(FIRST_DAY + i * SPACING_DAYS * DAY_MS);
      person.days.push(day);
      ids.push(incidentId);
      const occurredOn = parsePartialDate(day);
      const first = recordedEvent(person, incidentId, occurredOn, 1);
      const second = {
        type: 'SourceAdded',
        schemaVersion: 1,
        data: { incidentId, reportedBy: source(2), source: { name: 'Monitor 2' }, occurredOn },
      };
      appends.push({ streamId: incidentStreamId(incidentId), expected: 'no_stream', events: [first, second] });
    }
    await store.transaction(async (tx) => {
      await tx.append(appends);
      await index.add(
        tx.client,
        ids.flatMap((incidentId) => IncidentMatchIndex.rowsOf('arrest', incidentId, [person], [])),
      );
    });
  }
  return person;
}

/** One report about `person` the intake's usual way; its wall time in ms. */
async function report(index: IncidentMatchIndex, person: Person, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  // Even reports: a third source of one of her arrests; odd ones: a new arrest, far from every other.
  const day =
    n % 2 === 0
      ? person.days[(n * 7919) % person.days.length]
      : isoDay(FIRST_DAY + (person.days.length + n) * SPACING_DAYS * DAY_MS);
  const occurredOn = parsePartialDate(day);
  const on = [{ subject: 'person' as const, id: person.personId }];
  const read = await index.candidates(undefined, [], 'arrest', on, occurredOn);
  if ('replayed' in read) throw new Error('no report is sent twice here');
  const command = {
    kind: 'RecordIncident',
    type: 'arrest',
    incidentId: randomUUID(),
    reportedBy: source(3 + n),
    occurredOn,
    persons: [{ personId: person.personId, name: person.name, isNew: false, aliases: [] }],
    organizations: [],
    details: { authority: 'security forces' },
    source: { name: `Monitor ${3 + n}`, status: 'confirmed' },
  } as unknown as RecordIncident;
  const decided = decideReport(
    command,
    [...read.candidates.values()].map((c) => c.state),
  );
  if (decided.outcome === 'duplicate') throw new Error('every report comes from a source of its own');
  const expected = read.candidates.get(decided.incidentId)?.version ?? 'no_stream';
  const appends: StreamAppend[] = [
    { streamId: incidentStreamId(decided.incidentId), expected, events: decided.events },
  ];
  const rows =
    decided.outcome === 'recorded' ? IncidentMatchIndex.rowsOf('arrest', decided.incidentId, [person], []) : [];
  await index.record({ type: 'arrest', on, candidates: read.candidates, occurredOn }, rows, appends, {});
  if (n % 2 === 1) person.days.push(day);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const pool = createPgPool(process.env.DATABASE_URL!, 4, 'vigil-busy-person');
  const store = new EventStore(pool, new Metrics(false), new ErrorReporter(createLogger('bench', 'silent')));
  const index = new IncidentMatchIndex(pool, store);
  try {
    const incidents = option('incidents', 1_000);
    const famous = await personWith(store, index, incidents);
    const quiet = await personWith(store, index, 10);
    await pool.query('ANALYZE events, incident_match_subjects');
    // Absent before the candidates were read by date (decision 0036): the script measures both.
    if ((await pool.query("SELECT to_regclass('incident_match_dates') AS t")).rows[0].t)
      await pool.query('ANALYZE incident_match_dates');
    const times = { famous: [] as number[], quiet: [] as number[] };
    const reports = option('reports', 200);
    // The first ten of each warm the connections' plans and are not counted.
    for (let n = 0; n < reports + 10; n++) {
      const [a, b] = [await report(index, famous, n), await report(index, quiet, n)];
      if (n < 10) continue;
      times.famous.push(a);
      times.quiet.push(b);
    }
    const figures = (ms: number[]) => ({
      p50Ms: Math.round(percentile(ms, 50) * 100) / 100,
      p99Ms: Math.round(percentile(ms, 99) * 100) / 100,
    });
    process.stdout.write(
      `${JSON.stringify({ incidents, reports, famous: figures(times.famous), quiet: figures(times.quiet) })}\n`,
    );
  } finally {
    await store.drain();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
