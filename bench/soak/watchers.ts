import { simpleParser } from 'mailparser';
import { waitFor } from '../../test/support/wait-for';
import type { MailCatcher } from './mail-catcher';

export interface Watchers {
  /** Subscription ids watching person `p` (all confirmed). */
  byPerson: string[][];
  personName(p: number): string;
}

/** A distinct client address per subscriber (the API believes X-Forwarded-For from 127.0.0.1 here). */
const clientAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function inBatches<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

/**
 * `count` email subscriptions as subscribers make them, through the API: subscribe, receive the
 * confirmation mail, confirm with its link. Subscriber i watches person ⌊i / perPerson⌋, so every report
 * naming one of those persons alerts exactly `perPerson` subscribers.
 */
export async function confirmWatchers(
  base: string,
  catcher: MailCatcher,
  count: number,
  perPerson: number,
): Promise<Watchers> {
  const personName = (p: number) => `Soak Person ${p}`;
  const email = (i: number) => `soak-watcher-${i}@example.org`;
  catcher.keepRaw = true;
  await inBatches(count, 8, async (i) => {
    const response = await fetch(`${base}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(i) },
      body: JSON.stringify({ email: email(i), watch: { persons: [personName(Math.floor(i / perPerson))] } }),
    });
    if (response.status !== 202) throw new Error(`subscribe answered ${response.status}: ${await response.text()}`);
  });
  await waitFor(() => catcher.raw.length >= count, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: `${count} confirmation mails`,
  });
  catcher.keepRaw = false;
  const tokens = new Map<string, string>();
  for (const { to, data } of catcher.raw.splice(0)) {
    const { text = '' } = await simpleParser(data);
    const token = /\/v1\/subscriptions\/confirm\?token=([^\s"<>&]+)/.exec(text)?.[1];
    if (!token) throw new Error(`no confirmation link in the mail to ${to.join(', ')}`);
    tokens.set(to[0], decodeURIComponent(token));
  }
  const byPerson: string[][] = Array.from({ length: Math.ceil(count / perPerson) }, () => []);
  await inBatches(count, 8, async (i) => {
    const token = tokens.get(email(i));
    if (!token) throw new Error(`no confirmation mail for ${email(i)}`);
    const response = await fetch(`${base}/v1/subscriptions/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(i) },
      body: JSON.stringify({ token }),
    });
    if (response.status !== 200) throw new Error(`confirm answered ${response.status}: ${await response.text()}`);
    const { subscriptionId } = (await response.json()) as { subscriptionId: string };
    byPerson[Math.floor(i / perPerson)].push(subscriptionId);
  });
  return { byPerson, personName };
}
