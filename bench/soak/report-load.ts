import { signedHeaders } from '../../test/support/signed-webhook';
import { sleep } from './faults';

export interface AcceptedReport {
  /** When the API accepted it (201, or 200 for a retry it had already taken), performance.now(). */
  at: number;
  /** Which person it named (an index into the watchers' persons). */
  person: number;
}

export interface ReportLoad {
  /** Accepted reports by incident id. */
  accepted: Map<string, AcceptedReport>;
  /** How often each answer came: a status code, or "no answer" (a reset or a timeout). */
  answers: Record<string, number>;
  /** Reports still refused a minute after the load ended, no longer retried. */
  givenUp(): number;
  /** Resolves once every report is accepted, refused for good or given up. */
  done: Promise<void>;
}

export interface ReportLoadOptions {
  base: string;
  source: { id: string; secret: string };
  perSecond: number;
  /** performance.now() times between which reports are started. */
  from: number;
  until: number;
  persons: number;
  personName(person: number): string;
}

/**
 * Signed reports through the partner webhook at a steady rate, report n naming person n mod `persons`.
 * Each is retried as a partner would, with the same webhook-id, on a 5xx, a 429 or a broken connection.
 */
export function startReportLoad(options: ReportLoadOptions): ReportLoad {
  const accepted = new Map<string, AcceptedReport>();
  const answers: Record<string, number> = {};
  let givenUp = 0;
  const count = (answer: string) => (answers[answer] = (answers[answer] ?? 0) + 1);

  const send = async (n: number): Promise<void> => {
    const person = n % options.persons;
    const body = JSON.stringify({
      externalId: `soak-${n}`,
      type: 'arrest',
      occurredOn: '2024-07-07',
      persons: [{ name: options.personName(person) }],
      source: { name: 'Soak Monitor', status: 'confirmed' },
    });
    const id = `msg_soak_${n}`;
    for (;;) {
      let retryAfterMs = 1_000;
      try {
        const response = await fetch(`${options.base}/v1/webhooks/incidents/${options.source.id}`, {
          method: 'POST',
          body,
          headers: signedHeaders(options.source.secret, body, { id }),
          signal: AbortSignal.timeout(60_000),
        });
        count(String(response.status));
        if (response.status === 201 || response.status === 200) {
          const { incidentId } = (await response.json()) as { incidentId: string };
          if (!accepted.has(incidentId)) accepted.set(incidentId, { at: performance.now(), person });
          return;
        }
        await response.arrayBuffer();
        if (response.status < 500 && response.status !== 429) return; // refused for good: not a report
        retryAfterMs = Math.min(5, Number(response.headers.get('retry-after')) || 1) * 1_000;
      } catch {
        count('no answer');
      }
      if (performance.now() > options.until + 60_000) {
        givenUp++;
        return;
      }
      await sleep(retryAfterMs);
    }
  };

  const done = (async () => {
    const sends: Promise<void>[] = [];
    for (let n = 0; ; n++) {
      const at = options.from + (n * 1_000) / options.perSecond;
      if (at >= options.until) break;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(send(n));
    }
    await Promise.all(sends);
  })();
  return { accepted, answers, givenUp: () => givenUp, done };
}
