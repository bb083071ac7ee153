import { searchWord } from './fictional-names';
import { percentile, round } from '../stats';

const SAMPLES = 200;
/** Requests oneClient makes before it starts timing. */
export const WARM_UP = 20;

export interface AdminReadFigures {
  /** GET /v1/admin/persons/{id} of a person named in `busyIncidents` incidents. */
  busyPersonP99Ms: number;
  /** GET /v1/admin/incidents with the cursor of the 100th page (50 a page; an earlier one on a small log). */
  page100P99Ms: number;
  /** GET /v1/admin/persons?q= with the beginning of a surname, in either script. */
  wordSearchP99Ms: number;
}

/** One client, one request at a time: what an admin waits for, without queueing behind others. */
export async function oneClient(request: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await request(i);
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await request(i);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const p99 = async (request: (i: number) => Promise<void>): Promise<number> =>
  round(percentile(await oneClient(request), 99));

export async function measureAdminReads(
  base: string,
  adminToken: string,
  busyPersonId: string,
  page: number,
): Promise<AdminReadFigures> {
  const get = async (path: string): Promise<{ nextCursor?: string | null }> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { nextCursor?: string | null };
  };
  let cursor: string | null | undefined;
  for (let before = 1; before < page; before++) {
    cursor = (await get(`/v1/admin/incidents?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`))
      .nextCursor;
    if (!cursor) throw new Error(`the incidents list ended at page ${before}`);
  }
  const nth = `/v1/admin/incidents?limit=50&cursor=${encodeURIComponent(cursor!)}`;
  return {
    busyPersonP99Ms: await p99(() => get(`/v1/admin/persons/${busyPersonId}`).then(() => undefined)),
    page100P99Ms: await p99(() => get(nth).then(() => undefined)),
    wordSearchP99Ms: await p99((i) =>
      get(`/v1/admin/persons?q=${encodeURIComponent(searchWord(i))}`).then(() => undefined),
    ),
  };
}
