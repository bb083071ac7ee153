import type { Pool } from 'pg';
import { percentile, round } from '../stats';
import type { CaughtMail } from './mail-catcher';

export interface TallyInput {
  /** The alert mails received during the run (confirmation mails excluded). */
  mails: CaughtMail[];
  /** Accepted reports by incident id: when, and which person they named. */
  accepted: Map<string, { at: number; person: number }>;
  /** Subscription ids watching each person. */
  watchers: string[][];
  /** [start, end] of each fault, performance.now() times. */
  faultWindows: [number, number][];
  /** performance.now() at the start of the measured run: example times are given from there. */
  begin: number;
}

export interface Tally {
  /** Expected (subscription, incident) pairs that received at least one mail. */
  delivered: number;
  /** Expected pairs that received none. */
  lost: number;
  /** Mails beyond the first for any pair. */
  duplicated: number;
  /** Why each lost alert was lost, as the deliveries table tells it ('no row': never routed). */
  lostBy: Record<string, number>;
  /** Mails that match no expected pair (a wrong recipient, or a Message-ID naming no delivery). */
  unexpected: number;
  /** Lost and duplicated alerts put down to each fault, in the order of `faultWindows`; misses outside any are not listed. */
  byFault: { lost: number; duplicated: number }[];
  examples: { lost: object[]; duplicated: object[] };
  statuses: Record<string, number>;
  tries: { total: number; retried: number };
  /** Each consumer's status at the end: all `running` unless one stopped for good. */
  consumers: Record<string, string>;
  p50LatencyMs: number;
  p99LatencyMs: number;
}

/**
 * Counts per (subscription, incident): the mail's Message-ID names its delivery row (`messageIdFor`),
 * the row names the pair. Lost = an expected pair without a mail; duplicated = every mail past the first.
 */
export async function tally(pool: Pool, input: TallyInput): Promise<Tally> {
  const { rows } = await pool.query<{
    id: string;
    subscription_id: string;
    incident_id: string;
    status: string;
    attempts: number;
    last_error: string | null;
  }>(`SELECT id, subscription_id, incident_id, status, attempts, last_error FROM deliveries WHERE channel = 'email'`);
  const consumers = await pool.query<{ name: string; status: string }>(
    'SELECT name, status FROM consumer_checkpoints ORDER BY name',
  );
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const pairOf = new Map(rows.map((row) => [row.id, `${row.subscription_id}/${row.incident_id}`]));
  const rowOfPair = new Map(rows.map((row) => [`${row.subscription_id}/${row.incident_id}`, row]));
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  // Evidence that the faults bit: deliveries that needed more than one try.
  const tries = { total: 0, retried: 0 };
  for (const row of rows) {
    tries.total += row.attempts;
    if (row.attempts > 1) tries.retried++;
  }

  const arrivals = new Map<string, number[]>();
  const deliveryOfPair = new Map<string, string>();
  let unexpected = 0;
  for (const mail of input.mails) {
    const deliveryId = mail.messageId.split('@')[0];
    const pair = pairOf.get(deliveryId);
    if (!pair) {
      unexpected++;
      continue;
    }
    const times = arrivals.get(pair) ?? [];
    times.push(mail.receivedAt);
    arrivals.set(pair, times);
    deliveryOfPair.set(pair, deliveryId);
  }

  // Which fault each miss is put down to (a guess from times alone, for the README's table): the first fault
  // still running after the report was accepted (lost) or after the first mail arrived (every mail after it):
  // a mail is sent again when its outcome could not be recorded, at the fault that struck then, not when the
  // second one goes out (that may be a minute later, once the sweeper finds the row).
  const byFault = input.faultWindows.map(() => ({ lost: 0, duplicated: 0 }));
  const blame = (index: number, what: 'lost' | 'duplicated') => {
    if (index >= 0) byFault[index][what]++;
  };
  const firstFaultEndingAfter = (time: number) => input.faultWindows.findIndex(([, end]) => end >= time);

  // A few of each miss, with what the deliveries table says of them, to start the search for the cause.
  const examples: { lost: object[]; duplicated: object[] } = { lost: [], duplicated: [] };
  const describe = (row: (typeof rows)[number] | undefined) =>
    row && { deliveryId: row.id, status: row.status, attempts: row.attempts, lastError: row.last_error };

  let delivered = 0;
  let lost = 0;
  const lostBy: Record<string, number> = {};
  const latencies: number[] = [];
  const expected = new Set<string>();
  for (const [incidentId, report] of input.accepted) {
    for (const subscriptionId of input.watchers[report.person]) {
      const pair = `${subscriptionId}/${incidentId}`;
      expected.add(pair);
      const times = arrivals.get(pair);
      if (!times) {
        lost++;
        const why = rowOfPair.get(pair)?.status ?? 'no row';
        lostBy[why] = (lostBy[why] ?? 0) + 1;
        if (examples.lost.length < 10) {
          examples.lost.push({
            pair,
            acceptedAtMs: Math.round(report.at - input.begin),
            ...describe(rowOfPair.get(pair)),
          });
        }
        blame(firstFaultEndingAfter(report.at), 'lost');
        continue;
      }
      delivered++;
      const first = Math.min(...times);
      const overlapsFault = input.faultWindows.some(([start, end]) => start <= first && end >= report.at);
      if (!overlapsFault) latencies.push(first - report.at);
    }
  }
  let duplicated = 0;
  for (const [pair, times] of arrivals) {
    if (!expected.has(pair)) unexpected += times.length;
    else {
      duplicated += times.length - 1;
      if (times.length > 1 && examples.duplicated.length < 10) {
        examples.duplicated.push({
          arrivalsAtMs: times.map((time) => Math.round(time - input.begin)),
          ...describe(rowById.get(deliveryOfPair.get(pair)!)),
        });
      }
      const firstMail = Math.min(...times);
      for (let extra = 1; extra < times.length; extra++) blame(firstFaultEndingAfter(firstMail), 'duplicated');
    }
  }
  return {
    delivered,
    lost,
    duplicated,
    lostBy,
    unexpected,
    byFault,
    examples,
    statuses,
    tries,
    consumers: Object.fromEntries(consumers.rows.map((row) => [row.name, row.status])),
    p50LatencyMs: round(percentile(latencies, 50)),
    p99LatencyMs: round(percentile(latencies, 99)),
  };
}
