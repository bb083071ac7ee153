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
  statuses: Record<string, number>;
  p50LatencyMs: number;
  p99LatencyMs: number;
}

/**
 * Counts per (subscription, incident): the mail's Message-ID names its delivery row (`messageIdFor`),
 * the row names the pair. Lost = an expected pair without a mail; duplicated = every mail past the first.
 */
export async function tally(pool: Pool, input: TallyInput): Promise<Tally> {
  const { rows } = await pool.query<{ id: string; subscription_id: string; incident_id: string; status: string }>(
    `SELECT id, subscription_id, incident_id, status FROM deliveries WHERE channel = 'email'`,
  );
  const pairOf = new Map(rows.map((row) => [row.id, `${row.subscription_id}/${row.incident_id}`]));
  const rowOfPair = new Map(rows.map((row) => [`${row.subscription_id}/${row.incident_id}`, row]));
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;

  const arrivals = new Map<string, number[]>();
  let unexpected = 0;
  for (const mail of input.mails) {
    const pair = pairOf.get(mail.messageId.split('@')[0]);
    if (!pair) {
      unexpected++;
      continue;
    }
    const times = arrivals.get(pair) ?? [];
    times.push(mail.receivedAt);
    arrivals.set(pair, times);
  }

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
    else duplicated += times.length - 1;
  }
  return {
    delivered,
    lost,
    duplicated,
    lostBy,
    unexpected,
    statuses,
    p50LatencyMs: round(percentile(latencies, 50)),
    p99LatencyMs: round(percentile(latencies, 99)),
  };
}
