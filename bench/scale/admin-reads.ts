import { searchWord } from './fictional-names';
import { percentile, round } from '../stats';

const SAMPLES = 200;
/** Requests oneClient makes before it starts timing. */
export const WARM_UP = 20;

export interface AdminReadFigures {
  /** GET /v1/admin/persons/{id} of a person named in `busyIncidents` incidents, the client's parse included. */
  busyPersonP99Ms: number;
  /**
   * The same requests timed at their last byte, before the client parses the answer: the service's own part of a
   * 1.5 MB answer whose parse alone takes the client 10–20 ms.
   */
  busyPersonLastByteP99Ms: number;
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
  const lastByte: number[] = [];
  const get = async (path: string): Promise<{ nextCursor?: string | null }> => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const text = await response.text();
    lastByte.push(performance.now() - started);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as { nextCursor?: string | null };
  };
  let cursor: string | null | undefined;
  for (let before = 1; before < page; before++) {
    cursor = (await get(`/v1/admin/incidents?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`))
      .nextCursor;
    if (!cursor) throw new Error(`the incidents list ended at page ${before}`);
  }
  const nth = `/v1/admin/incidents?limit=50&cursor=${encodeURIComponent(cursor!)}`;
  lastByte.length = 0;
  const busyPersonP99Ms = await p99(() => get(`/v1/admin/persons/${busyPersonId}`).then(() => undefined));
  const busyPersonLastByteP99Ms = round(percentile(lastByte.slice(WARM_UP), 99));
  return {
    busyPersonP99Ms,
    busyPersonLastByteP99Ms,
    page100P99Ms: await p99(() => get(nth).then(() => undefined)),
    wordSearchP99Ms: await p99((i) =>
      get(`/v1/admin/persons?q=${encodeURIComponent(searchWord(i))}`).then(() => undefined),
    ),
  };
}
